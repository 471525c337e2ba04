"""The diff of two instrument versions, in words."""

from __future__ import annotations

import copy
import json

from instruments.diff import instrument_diff
from instruments.upload import parse_upload
from tests.paths import INSTRUMENTS

BASE = """\
key: pulse
version: 1
title: Pulse
kind: survey
sections:
  - id: one
    title: First
    items:
      - {id: q1, type: short_text, prompt: Name your team}
      - {id: q2, type: single_choice, prompt: Pick one, options: ["Yes", "No"]}
      - {id: q3, type: short_text, prompt: "Why?", show_if: {item: q2, equals: "yes"}}
  - id: two
    title: Second
    items:
      - {id: q4, type: long_text, prompt: "Anything else?"}
      - {id: q5, type: single_choice, prompt: "Again?", options: ["Yes", "No"]}
"""


def data(text: str = BASE) -> dict:
    return json.loads(json.dumps(dict(parse_upload(text.encode(), "pulse.yaml").raw)))


def test_the_same_instrument_has_no_differences():
    assert instrument_diff(data(), data()) == []


def test_prompt_help_required_and_condition_changes_are_named_with_the_old_and_new_values():
    new = data()
    items = new["sections"][0]["items"]
    items[0]["prompt"] = "Name your service"
    items[0]["help"] = "As on your badge"
    items[0]["required"] = True
    items[2]["show_if"] = {"item": "q2", "in": ["no"]}
    changes = instrument_diff(data(), new)
    assert "item q1's prompt changed from 'Name your team' to 'Name your service'" in changes
    assert "item q1's help changed from nothing to 'As on your badge'" in changes
    assert "item q1's required changed from no to yes" in changes
    assert (
        "item q3's condition changed from 'shown when q2 is yes' to 'shown when q2 is no'"
        in changes
    )
    assert len(changes) == 4


def test_options_added_removed_and_relabelled():
    new = data(
        BASE.replace('Pick one, options: ["Yes", "No"]', 'Pick one, options: ["Yes", "Maybe"]')
    )
    new["sections"][1]["items"][1]["options"][0]["label"] = "Yes please"
    changes = instrument_diff(data(), new)
    assert "option 'Maybe' added to q2" in changes
    assert "option 'No' removed from q2" in changes
    assert "option 'yes' of q5 relabelled from 'Yes' to 'Yes please'" in changes


def test_sections_and_items_added_removed_and_moved():
    old = data()
    new = copy.deepcopy(old)
    first, second = new["sections"]
    moved = first["items"].pop(0)  # q1 to the second section
    second["items"].append(moved)
    second["items"].reverse()  # q1, q5, q4: q4 now after q5
    first["items"].append(
        {"id": "q6", "type": "short_text", "prompt": "New", "audience": ["respondent"]}
    )
    del first["items"][0]  # q2 removed (q3 stays)
    new["sections"].append({"id": "three", "title": "Third", "items": []})
    new["sections"][0], new["sections"][1] = new["sections"][1], new["sections"][0]
    changes = instrument_diff(old, new)
    assert "item q6 added to section 'one'" in changes
    assert "item q2 removed" in changes
    assert "item q1 moved from section 'one' to 'two'" in changes
    assert (
        "item q4 moved within section 'two'" in changes
        or "item q5 moved within section 'two'" in changes
    )
    assert "section 'three' added" in changes
    assert any(c in changes for c in ("section 'one' moved", "section 'two' moved"))


def test_levels_title_and_settings_changes():
    old = data()
    new = copy.deepcopy(old)
    new["title"] = "Pulse 2"
    new["settings"] = {"anonymity_threshold": 5}
    changes = instrument_diff(old, new)
    assert "the title changed from 'Pulse' to 'Pulse 2'" in changes
    assert "setting 'anonymity_threshold' added" in changes


def test_long_prompts_are_cut_in_the_sentence():
    new = data()
    new["sections"][0]["items"][0]["prompt"] = "word " * 100
    (change,) = instrument_diff(data(), new)
    assert len(change) < 200 and change.endswith("…'")


def test_a_grids_rows_and_a_tables_columns_are_compared_one_by_one():
    text = (INSTRUMENTS / "examples" / "composite_types.yaml").read_text(encoding="utf-8")
    old = data(text)
    new = copy.deepcopy(old)
    grid = new["sections"][0]["items"][0]
    grid["rows"].append({"code": "coaching", "label": "Coaching"})
    grid["rows"][0]["label"] = "Workforce plans"
    changes = instrument_diff(old, new)
    assert "row 'Coaching' added to practices" in changes
    assert (
        "row 'workforce_planning' of practices relabelled from 'Workforce planning' "
        "to 'Workforce plans'" in changes
    )
    assert len(changes) == 2
