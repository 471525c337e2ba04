"""The loader: valid files become typed objects; broken ones get located, coded problems."""

import pytest
import yaml

from instruments import QUESTION_TYPES, InstrumentError, load_instrument, parse_instrument
from instruments.model import NOT_OBSERVED
from tests.paths import INSTRUMENTS

TINY = INSTRUMENTS / "examples" / "tiny_feedback.yaml"


def tiny_data() -> dict:
    return yaml.safe_load(TINY.read_text())


def problems_of(data) -> list:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(data, source="test.yaml")
    return caught.value.problems


def codes(data) -> set[str]:
    return {p.code for p in problems_of(data)}


def test_tiny_instrument_loads_with_sections_behaviours_and_field_names():
    instrument = load_instrument(TINY)
    assert [s.id for s in instrument.behaviours] == ["listening", "delivery"]
    item = instrument.item("listening_meetings")
    assert item.field_name == "q_listening_meetings"
    assert len(item.levels) == 4
    assert item.prompt_for("rater", "Sam Patel") == "How does Sam Patel listen in meetings?"
    assert item.prompt_for("self") == "How do you listen in meetings?"


def test_shared_scale_and_string_options_are_normalised_to_codes_and_labels():
    instrument = load_instrument(TINY)
    confident = instrument.item("confident")
    assert [(o.code, o.label) for o in confident.options] == [
        ("1", "Disagree"),
        ("2", "Neutral"),
        ("3", "Agree"),
    ]
    reasons = instrument.item("move_reasons")
    assert [o.code for o in reasons.options] == ["pay", "challenge", "location"]


def test_condition_holds_only_for_the_named_answer():
    condition = load_instrument(TINY).item("move_reasons").show_if
    assert condition.holds({"wants_move": ["yes"]})
    assert not condition.holds({"wants_move": ["no"]})
    assert not condition.holds({})


def test_audience_limits_the_sections_each_person_sees():
    instrument = load_instrument(TINY)
    rater_items = [i.id for s in instrument.sections_for("rater") for i in s.items]
    assert "confident" not in rater_items
    assert "listening_meetings" in rater_items


def test_registry_is_read_only_and_has_every_required_type():
    expected = {
        "single_choice",
        "multiple_choice",
        "rating_scale",
        "levelled",
        "short_text",
        "long_text",
        "number",
    }
    assert expected <= set(QUESTION_TYPES)
    with pytest.raises(TypeError):
        QUESTION_TYPES["new"] = object()


def test_type_aliases_are_accepted():
    data = tiny_data()
    data["sections"][2]["items"][1]["type"] = "radio"
    data["sections"][2]["items"][5]["type"] = "textarea"
    instrument = parse_instrument(data)
    assert instrument.item("wants_move").type == "single_choice"
    assert instrument.item("comments").type == "long_text"


def test_bad_yaml_is_located_by_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("key: x\nsections:\n  - id: a\n   title: misaligned\n")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    problem = caught.value.problems[0]
    assert problem.code == "bad-yaml"
    assert problem.location.startswith("line 4")


def test_unknown_type_suggests_the_nearest_valid_one():
    data = tiny_data()
    data["sections"][2]["items"][1]["type"] = "single_chioce"
    [problem] = problems_of(data)
    assert problem.code == "unknown-type"
    assert problem.location == "item 'wants_move'"
    assert "single_choice" in problem.hint


def test_duplicate_item_ids_are_reported():
    data = tiny_data()
    data["sections"][1]["items"][0]["id"] = "listening_meetings"
    problems = [p for p in problems_of(data) if p.code == "duplicate-id"]
    assert problems and problems[0].location == "item 'listening_meetings'"


def test_condition_naming_a_missing_item_is_reported():
    data = tiny_data()
    data["sections"][2]["items"][2]["show_if"] = {"item": "wants_mvoe", "equals": "yes"}
    [problem] = problems_of(data)
    assert problem.code == "condition-missing-item"
    assert "wants_move" in problem.hint


def test_condition_with_a_value_that_is_not_an_option_is_reported():
    data = tiny_data()
    data["sections"][2]["items"][2]["show_if"] = {"item": "wants_move", "equals": "yess"}
    assert codes(data) == {"condition-bad-value"}


def test_levelled_item_needs_exactly_four_levels():
    data = tiny_data()
    data["sections"][0]["items"][0]["levels"] = ["one", "two", "three"]
    [problem] = problems_of(data)
    assert problem.code == "levels-not-four"
    assert "found 3" in problem.message


def test_missing_required_keys_are_each_reported():
    data = tiny_data()
    del data["title"]
    del data["sections"][2]["items"][3]["prompt"]
    problems = problems_of(data)
    assert {(p.code, p.location) for p in problems} == {
        ("missing-key", "top level"),
        ("missing-key", "item 'team_size'"),
    }


def test_unknown_keys_and_settings_get_a_suggestion():
    data = tiny_data()
    data["sections"][2]["items"][0]["requird"] = True
    data["settings"]["anonymity_threshhold"] = 3
    problems = problems_of(data)
    hints = {p.location: p.hint for p in problems}
    assert "required" in hints["item 'confident'"]
    assert "anonymity_threshold" in hints["settings"]


def test_threshold_below_two_is_refused():
    data = tiny_data()
    data["settings"]["anonymity_threshold"] = 1
    assert codes(data) == {"bad-threshold"}


@pytest.mark.parametrize("minutes", [None, "ten", True, 0, 2.5])
def test_an_estimated_time_that_is_not_whole_minutes_is_a_located_problem(minutes):
    # Found by the bad-input fuzz: `estimated_minutes:` left empty crashed the loader.
    data = tiny_data()
    data["estimated_minutes"] = minutes
    (problem,) = problems_of(data)
    assert (problem.code, problem.location) == ("bad-estimated-minutes", "estimated_minutes")


def test_every_problem_is_reported_not_just_the_first():
    data = tiny_data()
    data["sections"][0]["items"][0]["type"] = "levled"
    data["sections"][2]["items"][4]["type"] = "stirng"
    data["sections"][2]["items"][5]["id"] = "Bad Id"
    assert len(problems_of(data)) == 3


def test_levelled_answers_parse_levels_and_not_observed():
    item = load_instrument(TINY).item("listening_meetings")
    qtype = QUESTION_TYPES[item.type]
    assert qtype.parse_text(item, "3") == ["3"]
    assert qtype.parse_text(item, "Not observed") == [NOT_OBSERVED]
    with pytest.raises(ValueError, match="not one of the options"):
        qtype.parse_text(item, "7")


def test_text_longer_than_the_limit_is_refused_on_import():
    item = load_instrument(TINY).item("post_title")
    with pytest.raises(ValueError, match="limit is 80"):
        QUESTION_TYPES[item.type].parse_text(item, "x" * 81)


def test_a_value_of_the_wrong_shape_is_reported_where_it_is():
    data = tiny_data()
    data["sections"][1]["items"][0]["show_if"] = {"item": ["listening_meetings"]}
    [problem] = problems_of(data)
    assert problem.code == "bad-structure"
    assert problem.location == "item 'delivery_plans' show_if"
