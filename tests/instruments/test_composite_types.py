"""Each composite type's summary, printed form and import parsing, over plain values."""

import pytest

from analysis.tallies import tally_survey
from instruments import QUESTION_TYPES, load_instrument
from instruments.render import instrument_markdown
from tests.paths import INSTRUMENTS

INSTRUMENT = load_instrument(INSTRUMENTS / "examples" / "composite_types.yaml")
GRID = INSTRUMENT.item("practices")
TABLE = INSTRUMENT.item("pi_first_tier")
ROWS = INSTRUMENT.item("senior_posts")
NUMBER = INSTRUMENT.item("vacancies")


def summary(item, answers):
    return QUESTION_TYPES[item.type].summarise(item, answers)


def test_grid_summary_counts_each_option_per_row():
    found = summary(
        GRID,
        [
            ["workforce_planning=yes", "succession_planning=no"],
            ["workforce_planning=yes", "succession_planning=yes", "talent_management=no"],
            [],
        ],
    )
    assert (found["answered"], found["skipped"]) == (2, 1)
    assert found["row_counts"]["workforce_planning"] == {"yes": 2, "no": 0}
    assert found["row_counts"]["succession_planning"] == {"yes": 1, "no": 1}
    assert found["row_counts"]["talent_management"] == {"yes": 0, "no": 1}
    (table,) = QUESTION_TYPES["grid"].summary_tables(GRID, found)
    assert table["header"] == ["Row", "Yes", "No", "Answered this row"]
    assert table["rows"][1] == ["Succession planning", "1 (50%)", "1 (50%)", 2]


def test_number_summary_has_mean_lowest_highest_and_units():
    found = summary(NUMBER, [["2"], ["5"], []])
    assert found == {"answered": 2, "skipped": 1, "mean": 3.5, "min": 2, "max": 5, "units": "posts"}
    (table,) = QUESTION_TYPES["number"].summary_tables(NUMBER, found)
    assert table["header"] == ["Figure", "Value (posts)"]
    # the lowest and highest are one person's answer: never in the tables
    assert table["rows"] == [["Answered", 2], ["Mean", "3.50"]]
    (withheld,) = QUESTION_TYPES["number"].summary_tables(NUMBER, found, k=3)
    assert withheld["rows"][1] == ["Mean", None]


def test_number_table_sums_and_means_cells_and_gives_percentages_of_the_named_row():
    found = summary(
        TABLE,
        [
            ["posts.baseline=40", "filled_internally.baseline=10", "posts.q1=10"],
            ["posts.baseline=60", "filled_internally.baseline=20"],
        ],
    )
    assert found["cells"]["posts"]["baseline"] == {"count": 2, "sum": 100, "mean": 50}
    assert found["cells"]["filled_internally"]["q1"] == {"count": 0, "sum": None, "mean": None}
    assert found["percentages"] == {"filled_internally": {"baseline": 30.0, "q1": None}}
    tables = QUESTION_TYPES["number_table"].summary_tables(TABLE, found)
    titles = [t["title"] for t in tables]
    assert titles[0] == "First tier posts: totals (posts)"
    assert titles[-1] == "First tier posts: as a percentage of 'Number of 1st tier posts'"
    assert tables[-1]["rows"] == [["Posts filled internally", "30.0%", "–"]]
    # with k = 3 a cell from one or two answers is withheld, and so is a percentage of it
    withheld = QUESTION_TYPES["number_table"].summary_tables(TABLE, found, k=3)
    assert withheld[0]["rows"][0] == ["Number of 1st tier posts", None, None]
    assert withheld[-1]["rows"] == [["Posts filled internally", None, None]]


def test_repeating_rows_count_rows_and_summarise_each_field_by_its_own_type():
    found = summary(
        ROWS,
        [
            ['{"post":"Director","vacancy":"H","ease":"3"}', '{"post":"Head","vacancy":"H"}'],
            ['{"post":"Lead","vacancy":"L","grade_points":"40"}'],
            [],
        ],
    )
    assert (found["answered"], found["skipped"], found["row_count"]) == (2, 1, 3)
    assert found["fields"]["vacancy"]["counts"] == {"H": 2, "M": 0, "L": 1}
    assert found["fields"]["ease"]["mean"] == 3
    assert found["fields"]["grade_points"]["mean"] == 40
    assert found["fields"]["post"] == {"answered": 3, "skipped": 0}
    tables = QUESTION_TYPES["repeating_rows"].summary_tables(ROWS, found)
    vacancy = next(t for t in tables if t["title"].endswith("Likelihood of vacancy"))
    assert vacancy["rows"][0] == ["High", 2, "66.7%"]


def test_tallies_give_every_composite_question_its_tables():
    responses = [
        {"practices": ["workforce_planning=yes"], "vacancies": ["3"]},
        {"senior_posts": ['{"post":"Director"}']},
    ]
    questions = tally_survey(INSTRUMENT, responses)["questions"]
    assert set(questions) == {"practices", "vacancies", "pi_first_tier", "senior_posts"}
    assert questions["practices"]["answered"] == 1 and questions["practices"]["skipped"] == 1
    assert questions["pi_first_tier"]["answered"] == 0
    assert questions["senior_posts"]["tables"][0]["rows"][1] == ["Rows given", 1]


def test_the_printed_questionnaire_shows_grid_and_table_as_tables_to_fill_in():
    text = instrument_markdown(INSTRUMENT)
    assert "|  | Yes | No |" in text
    assert "| Workforce planning | ☐ | ☐ |" in text
    assert "| Number of 1st tier posts |   |   |" in text
    assert (
        "| Row | Post title | Likelihood of vacancy | Ease of recruitment | Grade points |" in text
    )
    assert "A whole number (posts) from 0 to 1000." in text
    assert "Likelihood of vacancy: High / Medium / Low." in text


@pytest.mark.parametrize(
    ("item", "cells", "expected"),
    [
        (
            GRID,
            {"workforce_planning": "Yes", "talent_management": "no"},
            ["workforce_planning=yes", "talent_management=no"],
        ),
        (
            TABLE,
            {"posts.q1": "1,200", "filled_internally.baseline": "3"},
            ["posts.q1=1200", "filled_internally.baseline=3"],
        ),
        (
            ROWS,
            {"1.post": "Director", "1.vacancy": "High", "3.post": "Head", "2.post": ""},
            ['{"post":"Director","vacancy":"H"}', '{"post":"Head"}'],
        ),
    ],
)
def test_imported_cells_become_stored_values(item, cells, expected):
    assert QUESTION_TYPES[item.type].parse_cells(item, cells) == expected


@pytest.mark.parametrize(
    ("item", "cells", "message"),
    [
        (GRID, {"succession_planning": "maybe"}, "Succession planning: 'maybe' is not one of"),
        (TABLE, {"posts.q1": "2.5"}, "Number of 1st tier posts, Q1: 2.5 is not a whole number"),
        (ROWS, {"2.vacancy": "Soon"}, "row 2, Likelihood of vacancy: 'Soon' is not one of"),
    ],
)
def test_a_bad_imported_cell_says_which_row_and_column(item, cells, message):
    with pytest.raises(ValueError, match=message):
        QUESTION_TYPES[item.type].parse_cells(item, cells)


@pytest.mark.parametrize(
    ("text", "expected"), [("1,000", ["1000"]), ("12", ["12"]), ("3.0", ["3.0"])]
)
def test_numbers_take_thousands_separators(text, expected):
    assert QUESTION_TYPES["number"].parse_text(NUMBER, text) == expected


@pytest.mark.parametrize("text", ["1,5", "2.5", "many", "NaN", "-1"])
def test_numbers_refuse_a_decimal_comma_a_fraction_text_and_out_of_range(text):
    with pytest.raises(ValueError):
        QUESTION_TYPES["number"].parse_text(NUMBER, text)
