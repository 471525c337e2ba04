"""Survey tallies: denominators, multi-select, groups, show_if and the SESLIP report's figures."""

import csv

import pytest

from analysis.tallies import round_half_up, tally_survey
from instruments import bundled_instruments, parse_instrument
from tests.paths import SURVEY_APP

DATA = SURVEY_APP / "demo" / "data" / "seslip_responses.csv"

SURVEY = {
    "key": "mini",
    "version": 1,
    "title": "Mini survey",
    "kind": "survey",
    "sections": [
        {
            "id": "s",
            "title": "S",
            "items": [
                {
                    "id": "colour",
                    "type": "single_choice",
                    "prompt": "Colour?",
                    "options": [
                        {"code": "red", "label": "Red"},
                        {"code": "blue", "label": "Blue"},
                        {"code": "green", "label": "Green"},
                    ],
                    "groups": [
                        {"id": "warm_or_cool", "label": "Red or blue", "options": ["red", "blue"]}
                    ],
                },
                {
                    "id": "moving",
                    "type": "single_choice",
                    "prompt": "Moving?",
                    "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}],
                },
                {
                    "id": "why",
                    "type": "multiple_choice",
                    "prompt": "Why?",
                    "options": [
                        {"code": "pay", "label": "Pay"},
                        {"code": "family", "label": "Family"},
                        {"code": "travel", "label": "Travel"},
                    ],
                    "show_if": {"item": "moving", "equals": "yes"},
                },
                {
                    "id": "score",
                    "type": "rating_scale",
                    "prompt": "Score?",
                    "options": [{"code": i, "label": f"Point {i}"} for i in range(1, 6)],
                },
                {"id": "team", "type": "number", "prompt": "Team size?"},
                {"id": "notes", "type": "long_text", "prompt": "Notes?"},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def mini():
    return parse_instrument(SURVEY)


def load_seslip():
    """The SESLIP CSV with option labels turned back into codes through the instrument."""
    instrument = bundled_instruments()["seslip_aspiration_survey"]
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    responses = []
    for row in rows:
        response = {}
        for item_id, value in row.items():
            item = instrument.item(item_id)
            codes = {option.label: option.code for option in item.options}
            if value:
                response[item_id] = [codes[value] if item.options else value]
        responses.append(response)
    return instrument, responses


def test_percentages_are_of_those_who_answered_with_skips_counted(mini):
    responses = [{"colour": ["red"]}, {"colour": ["red"]}, {"colour": ["blue"]}, {}]
    colour = tally_survey(mini, responses)["questions"]["colour"]
    assert (colour["answered"], colour["skipped"], colour["not_applicable"]) == (3, 1, 0)
    assert colour["counts"] == {"Red": 2, "Blue": 1, "Green": 0}
    assert colour["percent"] == {"Red": 66.7, "Blue": 33.3, "Green": 0.0}


def test_percent_rounds_half_up_not_to_even(mini):
    responses = [{"colour": ["red"]}] + [{"colour": ["blue"]}] * 15  # 1 of 16 is 6.25%
    colour = tally_survey(mini, responses)["questions"]["colour"]
    assert colour["percent"]["Red"] == 6.3
    assert colour["percent"]["Blue"] == 93.8  # 93.75
    assert round_half_up(0.125, 2) == 0.13 and round_half_up(2.5, 0) == 3.0


def test_multi_select_percentages_are_of_respondents_and_may_pass_100(mini):
    responses = [
        {"moving": ["yes"], "why": ["pay", "family"]},
        {"moving": ["yes"], "why": ["pay"]},
        {"moving": ["yes"], "why": ["pay", "pay"]},  # a duplicate counts once
        {"moving": ["yes"]},
    ]
    why = tally_survey(mini, responses)["questions"]["why"]
    assert (why["answered"], why["skipped"]) == (3, 1)
    assert why["counts"] == {"Pay": 3, "Family": 1, "Travel": 0}
    assert why["percent"] == {"Pay": 100.0, "Family": 33.3, "Travel": 0.0}


def test_hidden_items_are_not_applicable_rather_than_skipped(mini):
    responses = [
        {"moving": ["no"]},
        {"moving": ["no"]},
        {},
        {"moving": ["yes"], "why": ["travel"]},
        {"moving": ["yes"]},
        {"moving": ["no"], "why": ["pay"]},
    ]  # a stale answer to a hidden question
    why = tally_survey(mini, responses)["questions"]["why"]
    assert why["not_applicable"] == 4
    assert (why["answered"], why["skipped"]) == (1, 1)
    assert why["counts"]["Pay"] == 0 and why["percent"]["Travel"] == 100.0


def test_grouped_options_count_respondents_choosing_any_of_them(mini):
    responses = [{"colour": ["red"]}, {"colour": ["blue"]}, {"colour": ["green"]}, {}]
    group = tally_survey(mini, responses)["groups"]["warm_or_cool"]
    assert group == {"label": "Red or blue", "item": "colour", "n": 2, "percent": 66.7}


def test_rating_scale_and_number_statistics(mini):
    responses = [
        {"score": ["5"], "team": ["12"]},
        {"score": ["2"], "team": ["3.5"]},
        {"score": ["2"]},
        {},
    ]
    tally = tally_survey(mini, responses)["questions"]
    assert tally["score"]["mean"] == 3.0 and tally["score"]["counts"]["Point 2"] == 2
    assert (tally["team"]["mean"], tally["team"]["min"], tally["team"]["max"]) == (7.75, 3.5, 12)
    assert (tally["team"]["answered"], tally["team"]["skipped"]) == (2, 2)


def test_text_questions_report_answer_counts_only(mini):
    tally = tally_survey(mini, [{"notes": ["Fine"]}, {"notes": ["  "]}, {}])
    assert "notes" not in tally["questions"]
    assert tally["text"]["notes"] == {
        "prompt": "Notes?",
        "answered": 1,
        "skipped": 2,
        "not_applicable": 0,
    }


def test_nobody_answering_gives_no_percentage(mini):
    colour = tally_survey(mini, [{}, {}])["questions"]["colour"]
    assert colour["answered"] == 0 and colour["percent"]["Red"] is None


def test_seslip_dataset_reproduces_the_report_tables():
    instrument, responses = load_seslip()
    tally = tally_survey(instrument, responses)
    questions = tally["questions"]
    assert tally["respondents"] == 71
    assert questions["gender"]["counts"] == {
        "Male": 18,
        "Female": 53,
        "In another way": 0,
        "Prefer not to say": 0,
    }
    assert questions["years_management"]["counts"] == {
        "1 – 2 years": 16,
        "3 to 5 years": 17,
        "6 to 10 years": 16,
        "10 years plus": 20,
    }
    assert questions["aspiration"]["counts"] == {
        "Planning to apply": 14,
        "Likely to apply": 14,
        "May apply": 18,
        "Unlikely to apply": 21,
        "Definitely won’t apply": 4,
    }
    # The report's table says OK = 7, but its table then sums to 72 for 71 people; its stated
    # percentages (4.23%, 52%, 35.2% of 71) fix OK at 6.
    assert questions["satisfaction"]["counts"] == {
        "Dissatisfied": 2,
        "Fairly dissatisfied": 1,
        "OK": 6,
        "Fairly satisfied": 37,
        "Satisfied": 25,
    }


def test_seslip_headline_percentages():
    instrument, responses = load_seslip()
    tally = tally_survey(instrument, responses)
    satisfaction = tally["questions"]["satisfaction"]["percent"]
    assert satisfaction["Fairly satisfied"] == 52.1  # 37/71; the report says 52%
    assert satisfaction["Satisfied"] == 35.2  # 25/71, as reported
    assert satisfaction["Dissatisfied"] + satisfaction["Fairly dissatisfied"] == pytest.approx(
        4.2
    )  # 3/71 = 4.23%, as reported
    assert tally["groups"]["likely_or_planning"]["n"] == 28
    assert tally["groups"]["likely_or_planning"]["percent"] == 39.4  # as reported
    years = tally["questions"]["years_management"]
    # "52% ... for 6 or more years" is 36 of the 69 who answered (52.2%); of all 71 it is 50.7%.
    assert (years["answered"], years["skipped"]) == (69, 2)
    six_plus_percent = years["percent"]["6 to 10 years"] + years["percent"]["10 years plus"]
    assert six_plus_percent == pytest.approx(52.2)
    six_plus = years["counts"]["6 to 10 years"] + years["counts"]["10 years plus"]
    assert round_half_up(100 * six_plus / tally["respondents"]) == 50.7


def test_seslip_free_text_is_answered_by_most_but_not_all():
    instrument, responses = load_seslip()
    text = tally_survey(instrument, responses)["text"]
    assert set(text) == {
        "best_things",
        "challenges",
        "attractions",
        "put_off",
        "barriers",
        "enablers",
        "development",
        "region_could",
    }
    for counts in text.values():
        assert 30 <= counts["answered"] < 71 and counts["skipped"] == 71 - counts["answered"]


def test_each_closed_question_gets_a_bar_chart_and_a_table():
    from analysis.survey_charts import tally_figures, tally_table

    instrument, responses = load_seslip()
    tally = tally_survey(instrument, responses)
    figures = tally_figures(tally)
    closed = {item.id for item in instrument.items if item.options}
    assert {"gender", "years_management", "satisfaction", "aspiration"} <= closed
    assert set(figures) == closed  # the 2019 questions and version 2's optional ones
    bar = figures["aspiration"].data[0]
    assert bar.orientation == "h" and list(bar.x) == [14, 14, 18, 21, 4]
    assert "skipped 0" in figures["aspiration"].layout.xaxis.title.text
    table = tally_table(tally["questions"]["years_management"])
    assert table["rows"][0] == ["1 – 2 years", "16", "23.2%"]
    assert table["footer"] == ["Answered: 69", "Skipped: 2"]


def test_bar_chart_labels_wrap_and_the_axis_makes_room_for_them():
    from analysis.survey_charts import LABEL_WIDTH, tally_figure

    question = {
        "prompt": "Which sub-region is your organisation in?",
        "answered": 3,
        "skipped": 0,
        "counts": {"Berkshire, Buckinghamshire and Oxfordshire": 2, "Kent": 1},
        "percent": {"Berkshire, Buckinghamshire and Oxfordshire": 66.7, "Kent": 33.3},
    }
    figure = tally_figure(question)
    assert figure.layout.yaxis.automargin is True  # not a fixed 10px margin that cuts labels
    long_label = figure.data[0].y[0]
    assert long_label.replace("<br>", " ") == "Berkshire, Buckinghamshire and Oxfordshire"
    assert all(len(line) <= LABEL_WIDTH for line in long_label.split("<br>"))
