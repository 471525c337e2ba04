"""Markdown rendering: an instrument reads like the questionnaire a person would be handed."""

import re

import pytest
import yaml

from instruments import bundled_instruments, load_instrument, parse_instrument
from instruments.render import instrument_markdown
from instruments.types import DEFAULT_LONG_TEXT
from tests.paths import INSTRUMENTS

TINY_PATH = INSTRUMENTS / "examples" / "tiny_feedback.yaml"
RL360_PATH = INSTRUMENTS / "library" / "resourceful_leader_360.yaml"


@pytest.fixture(scope="module")
def rl360():
    return load_instrument(RL360_PATH)


@pytest.fixture(scope="module")
def rl360_markdown(rl360):
    return instrument_markdown(rl360)


@pytest.fixture(scope="module")
def tiny_markdown():
    return instrument_markdown(load_instrument(TINY_PATH))


def question_numbers(markdown: str) -> list[int]:
    return [int(n) for n in re.findall(r"^\*\*(\d+)\. ", markdown, flags=re.MULTILINE)]


def test_header_has_title_description_and_estimated_time(rl360, rl360_markdown):
    assert rl360_markdown.startswith("# Resourceful Leader 360\n")
    assert rl360.description in rl360_markdown
    assert "Estimated time: about 15 minutes" in rl360_markdown
    assert "Partner agency colleague" in rl360_markdown


def test_every_behaviour_appears_as_a_section_with_its_definition(rl360, rl360_markdown):
    for section in rl360.behaviours:
        assert f"\n## {section.title}\n\n{section.description}\n" in rl360_markdown


def test_level_descriptors_are_listed_without_role_titles(rl360, rl360_markdown):
    labels = rl360.settings["level_labels"]
    levelled = [item for item in rl360.items if item.type == "levelled"]
    for item in levelled:
        for number, descriptor in enumerate(item.levels, 1):
            assert f"- Level {number}: {descriptor}\n" in rl360_markdown
    assert rl360_markdown.count("- Not observed\n") == len(levelled)
    # The titles are named once, as what reports use to explain the levels.
    assert "**Levels in reports:**" in rl360_markdown
    assert all(rl360_markdown.count(label) == 1 for label in labels[1:])


def test_each_facet_lists_its_crosswalk_to_the_dcs_framework(rl360, rl360_markdown):
    facets = rl360.settings["crosswalk"]["facets"]
    for item_id, elements in facets.items():
        assert f"*Crosswalk: {'; '.join(elements)}.*" in rl360_markdown, item_id
    assert "003_* Annex B" in rl360_markdown


def test_questions_are_numbered_in_order_with_name_shown_as_a_placeholder(rl360, rl360_markdown):
    assert question_numbers(rl360_markdown) == list(range(1, len(rl360.items) + 1))
    assert "{name}" not in rl360_markdown
    first = rl360.items[0]
    assert f"**1. {first.prompt.replace('{name}', '[name]')}**" in rl360_markdown
    assert f"Self-assessment wording: {first.self_prompt}" in rl360_markdown


def test_checklists_are_bullets_and_text_boxes_show_their_limit(rl360, rl360_markdown):
    checklist = rl360.item("ability_to_simplify_ineffective")
    for option in checklist.options:
        assert f"- {option.label}\n" in rl360_markdown
    assert "Tick all that apply." in rl360_markdown
    assert f"Up to {rl360.item('step_up').max_length} characters." in rl360_markdown


def test_required_marker_conditions_scales_and_ranges(tiny_markdown):
    assert "**4. I feel confident in my role** *(required)*" in tiny_markdown
    assert "**6. Why?**\n" in tiny_markdown
    assert 'Answer only if the answer to question 5 is "Yes".' in tiny_markdown
    assert "- 1 – Disagree\n- 2 – Neutral\n- 3 – Agree\n" in tiny_markdown
    assert "A number from 0 to 500." in tiny_markdown
    assert "Up to 80 characters." in tiny_markdown
    assert "Asked of the self-assessment only." in tiny_markdown


def test_levels_without_labels_are_plain_and_default_limits_are_shown():
    data = yaml.safe_load(TINY_PATH.read_text(encoding="utf-8"))
    about = data["sections"][2]["items"]
    about[2]["show_if"] = {"item": "wants_move", "in": ["yes", "no"]}
    del about[-1]["max_length"]
    markdown = instrument_markdown(parse_instrument(data))
    assert "- Level 1: Lets each team member finish before replying.\n" in markdown
    assert 'Answer only if the answer to question 5 is one of "Yes", "No".' in markdown
    assert f"Up to {DEFAULT_LONG_TEXT} characters." in markdown


def test_every_bundled_instrument_renders_every_question():
    for key, instrument in bundled_instruments().items():
        markdown = instrument_markdown(instrument)
        assert question_numbers(markdown) == list(range(1, len(instrument.items) + 1)), key
        for item in instrument.items:
            assert item.prompt.replace("{name}", "[name]") in markdown, (key, item.id)
            for option in item.options:
                assert option.label in markdown, (key, item.id, option.code)


def test_the_audit_document_says_the_campaign_lists_the_sub_regions():
    from instruments import bundled_instruments

    markdown = instrument_markdown(bundled_instruments()["skills_talent_audit"])
    assert "Each campaign lists the answers offered here" in markdown
    assert "- 1 – Developing\n- 3 – Proficient\n- 5 – Advanced\n" in markdown
