"""The loader reads the composite question types and locates every problem in their definitions."""

import pytest
import yaml

from instruments import InstrumentError, load_instrument, parse_instrument
from tests.paths import INSTRUMENTS

COMPOSITE = INSTRUMENTS / "examples" / "composite_types.yaml"


def data() -> dict:
    return yaml.safe_load(COMPOSITE.read_text())


def item_of(raw: dict, item_id: str) -> dict:
    return next(i for s in raw["sections"] for i in s["items"] if i["id"] == item_id)


def problems_of(raw) -> list:
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(raw, source="test.yaml")
    return [(p.code, p.location, p.message) for p in caught.value.problems]


def test_the_example_loads_rows_columns_fields_units_and_limits():
    instrument = load_instrument(COMPOSITE)
    grid = instrument.item("practices")
    assert [r.code for r in grid.rows] == [
        "workforce_planning",
        "succession_planning",
        "talent_management",
    ]
    assert [o.code for o in grid.options] == ["yes", "no"]
    table = instrument.item("pi_first_tier")
    assert [c.label for c in table.columns] == ["Baseline 2009/10", "Q1"]
    assert (table.units, table.whole, table.percent_of) == ("posts", True, "posts")
    repeat = instrument.item("senior_posts")
    assert repeat.max_rows == 5
    assert [f.id for f in repeat.fields] == ["post", "vacancy", "ease", "grade_points"]
    assert repeat.fields[0].required and repeat.fields[0].max_length == 80
    assert [o.code for o in repeat.fields[2].options] == ["1", "2", "3"]
    assert instrument.item("vacancies").units == "posts"


def test_a_grid_without_rows_is_reported_at_the_item():
    raw = data()
    del item_of(raw, "practices")["rows"]
    assert ("missing-key", "item 'practices'", "a grid item needs 'rows'") in problems_of(raw)


def test_duplicate_row_and_column_codes_are_reported():
    raw = data()
    item_of(raw, "practices")["rows"].append({"code": "workforce_planning", "label": "Again"})
    item_of(raw, "pi_first_tier")["columns"].append({"code": "q1", "label": "Q1 again"})
    found = problems_of(raw)
    assert (
        "duplicate-row",
        "item 'practices'",
        "row code 'workforce_planning' appears twice",
    ) in found
    assert ("duplicate-column", "item 'pi_first_tier'", "column code 'q1' appears twice") in found


def test_percent_of_must_name_a_row():
    raw = data()
    item_of(raw, "pi_first_tier")["percent_of"] = "post"
    (problem,) = problems_of(raw)
    assert problem[:2] == ("unknown-percent-of", "item 'pi_first_tier'")
    assert "'post'" in problem[2]


def test_repeating_rows_inside_repeating_rows_are_refused():
    raw = data()
    item_of(raw, "senior_posts")["fields"].append(
        {
            "id": "inner",
            "type": "repeating_rows",
            "prompt": "Inner",
            "fields": [{"id": "x", "type": "short_text", "prompt": "X"}],
        }
    )
    codes = {code for code, _, _ in problems_of(raw)}
    assert "nested-repeat" in codes


def test_a_field_of_a_type_rows_cannot_hold_is_reported_with_the_types_they_can():
    raw = data()
    item_of(raw, "senior_posts")["fields"].append(
        {"id": "notes", "type": "long_text", "prompt": "Notes"}
    )
    ((code, location, message),) = problems_of(raw)
    assert (code, location) == ("field-type-unsupported", "item 'senior_posts'")
    assert "field 'notes' is a long_text" in message


def test_a_fields_own_problem_is_located_at_the_field():
    raw = data()
    item_of(raw, "senior_posts")["fields"][1]["type"] = "single_choise"
    ((code, location, _),) = problems_of(raw)
    assert (code, location) == ("unknown-type", "item 'senior_posts' field 'vacancy'")


def test_keys_of_another_type_are_refused_rather_than_ignored():
    raw = data()
    item_of(raw, "vacancies")["rows"] = [{"code": "a", "label": "A"}]
    ((code, location, message),) = problems_of(raw)
    assert (code, location) == ("key-not-for-type", "item 'vacancies'")
    assert "'rows' does not apply to a number item" in message


def test_codes_that_would_break_column_names_and_bad_limits_are_reported():
    raw = data()
    item_of(raw, "practices")["rows"][0]["code"] = "work.planning"
    item_of(raw, "senior_posts")["max_rows"] = 0
    item_of(raw, "vacancies")["whole"] = "yes"
    codes = {code for code, _, _ in problems_of(raw)}
    assert {"bad-row-code", "bad-max-rows", "bad-whole"} <= codes


def test_a_condition_on_a_composite_item_is_refused():
    raw = data()
    item_of(raw, "vacancies")["show_if"] = {"item": "practices", "equals": "yes"}
    ((code, location, _),) = problems_of(raw)
    assert (code, location) == ("condition-on-composite", "item 'vacancies' show_if")
