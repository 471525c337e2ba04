"""Problems of a YAML instrument get the line and column of what they are about."""

from __future__ import annotations

from instruments.problems import Problem
from instruments.yaml_lines import line_index, with_lines

TEXT = """\
key: pulse
settings:
  anonymity_threshold: 1
sections:
  - id: one
    title: First
    items:
      - id: q1
        type: short_txt
      - type: short_text
crosstabs:
  - [q1, q2]
"""


def _located(location: str) -> str:
    (problem,) = with_lines([Problem("x", "f.yaml", location, "m")], TEXT)
    return problem.location


def test_items_sections_settings_and_crosstabs_are_found():
    assert _located("item 'q1'") == "line 8, column 9 (item 'q1')"
    assert _located("item 'q1' type") == "line 9, column 9 (item 'q1' type)"
    assert _located("section 'one' items[1]") == "line 10, column 9 (section 'one' items[1])"
    assert _located("section 'one'") == "line 5, column 5 (section 'one')"
    assert _located("settings.anonymity_threshold").startswith("line 3, column 3")
    assert _located("crosstabs[0]").startswith("line 12, column 5")
    assert _located("top level").startswith("line 1, column 1")


def test_unknown_places_and_located_problems_are_left_as_they_are():
    assert _located("somewhere else") == "somewhere else"
    assert _located("line 2, column 3") == "line 2, column 3"
    assert line_index("key: [unclosed\n") == {}
