"""The Resourceful Leader 360: the eight behaviours of the seeds, levelled 1-4 for four roles."""

import re

import pytest

from instruments import NOT_OBSERVED, QUESTION_TYPES, bundled_instruments, load_instrument
from tests.paths import INSTRUMENTS, SEEDS

PATH = INSTRUMENTS / "library" / "resourceful_leader_360.yaml"

# The eight core behaviours of resourceful leaders, as the design and the seeds name them.
EIGHT_BEHAVIOURS = [
    "Openness to possibilities",
    "Ability to collaborate",
    "Belief in their teams",
    "Personal resilience and tenacity",
    "Creating and sustaining commitment across the system",
    "Focus on results and outcomes",
    "Ability to simplify",
    "Commitment to continuous learning",
]


@pytest.fixture(scope="module")
def rl360():
    return load_instrument(PATH)


def levelled(section):
    return [item for item in section.items if item.type == "levelled"]


def test_it_is_bundled_as_a_360_of_about_fifteen_minutes(rl360):
    assert bundled_instruments()["resourceful_leader_360"].title == "Resourceful Leader 360"
    assert rl360.kind == "360"
    assert 10 <= rl360.estimated_minutes <= 20


@pytest.mark.skipif(not SEEDS.exists(), reason="seed documents not present")
def test_the_seeds_describe_a_levelled_360_on_eight_resourceful_leader_behaviours():
    seed = next(SEEDS.glob("000_*")).read_text(encoding="utf-8")
    assert "8 core resourceful leader behaviours" in seed
    assert "'levelled'" in seed and "distance still to travel" in seed


def test_exactly_the_eight_behaviours_in_order(rl360):
    assert [section.title for section in rl360.behaviours] == EIGHT_BEHAVIOURS


def test_every_behaviour_has_a_one_sentence_definition(rl360):
    for section in rl360.behaviours:
        definition = section.description
        assert definition.endswith("."), section.id
        assert len(re.findall(r"[.!?](\s|$)", definition)) == 1, section.id
        assert len(definition.split()) >= 10, section.id


def test_each_behaviour_has_two_to_four_levelled_facets_and_at_most_24_overall(rl360):
    counts = {section.id: len(levelled(section)) for section in rl360.behaviours}
    assert all(2 <= count <= 4 for count in counts.values()), counts
    assert sum(counts.values()) <= 24
    assert all(not levelled(s) for s in rl360.sections if not s.behaviour)


def test_every_levelled_item_offers_four_distinct_levels_plus_not_observed(rl360):
    seen_descriptors = set()
    for section in rl360.behaviours:
        for item in levelled(section):
            choices = QUESTION_TYPES["levelled"].choices(item)
            assert [code for code, _ in choices] == ["1", "2", "3", "4", NOT_OBSERVED]
            assert len(set(item.levels)) == 4, item.id
            assert not seen_descriptors & set(item.levels), f"{item.id} repeats a descriptor"
            seen_descriptors |= set(item.levels)


def test_descriptors_are_observable_actions_not_adjectives(rl360):
    # Each descriptor starts with a present-tense verb ("Delegates…", "Briefs…") and says enough
    # for a colleague to recognise it.
    for item in rl360.items:
        for descriptor in item.levels:
            first_word = descriptor.split()[0]
            assert first_word[0].isupper() and first_word.endswith("s"), (item.id, descriptor)
            assert len(descriptor.split()) >= 8, (item.id, descriptor)


def test_rater_prompts_name_the_person_and_self_prompts_speak_to_them(rl360):
    for section in rl360.behaviours:
        for item in section.items:
            assert "{name}" in item.prompt, item.id
            assert item.self_prompt and "{name}" not in item.self_prompt, item.id
            assert "Sam Patel" in item.prompt_for("rater", "Sam Patel")
            assert re.search(r"\byou(rself)?\b", item.prompt_for("self", "Sam Patel"))


def test_each_behaviour_has_an_optional_unscored_ineffective_checklist(rl360):
    for section in rl360.behaviours:
        checklist = [item for item in section.items if item.id.endswith("_ineffective")]
        assert len(checklist) == 1, section.id
        item = checklist[0]
        assert item.id == f"{section.id}_ineffective"
        assert item.type == "multiple_choice" and not item.required
        assert len(item.options) >= 3


def test_final_free_text_section_asks_for_strengths_step_up_and_anything_else(rl360):
    final = rl360.sections[-1]
    assert not final.behaviour
    assert [item.id for item in final.items] == ["strengths", "step_up", "anything_else"]
    for item in final.items:
        assert item.type == "long_text" and item.max_length and "{name}" in item.prompt
    assert "step up" in final.items[1].prompt


def test_rater_relationships_with_self_and_line_manager_shown_individually(rl360):
    relationships = {r["id"]: r for r in rl360.relationships}
    assert list(relationships) == [
        "self",
        "line_manager",
        "peer",
        "direct_report",
        "partner",
        "other",
    ]
    individual = {key for key, r in relationships.items() if r.get("individual")}
    assert individual == {"self", "line_manager"}
    assert "partner agency" in relationships["partner"]["label"].lower()


def test_roles_set_target_levels_one_to_four_with_matching_level_labels(rl360):
    settings = rl360.settings
    levels = {role["id"]: role["level"] for role in settings["roles"]}
    assert levels == {
        "team_manager": 1,
        "head_of_service": 2,
        "assistant_director": 3,
        "director": 4,
    }
    labels = settings["level_labels"]
    assert len(labels) == 4
    assert labels[0].startswith("Team") and labels[3].startswith("Director")
    assert settings["anonymity_threshold"] == 3
    assert settings["blind_spot_threshold"] == 0.5


def test_imported_answers_accept_level_numbers_and_not_observed(rl360):
    item = rl360.item("collaborate_partners")
    levelled_type = QUESTION_TYPES["levelled"]
    assert levelled_type.parse_text(item, "3") == ["3"]
    assert levelled_type.parse_text(item, "Not observed") == [NOT_OBSERVED]
    with pytest.raises(ValueError):
        levelled_type.parse_text(item, "5")


def test_facets_for_diversity_objectivity_and_commissioning_are_levelled_like_the_others(rl360):
    added = {
        "teams_diversity": "belief_in_their_teams",
        "learning_objectivity": "commitment_to_continuous_learning",
        "results_commissioning": "focus_on_results_and_outcomes",
    }
    for item_id, section_id in added.items():
        item = rl360.item(item_id)
        assert item.type == "levelled" and item.section_id == section_id
        assert len(item.levels) == 4 and item.not_observed
    assert "diversity" in " ".join(rl360.item("teams_diversity").levels[:3]).casefold() or any(
        "profession" in level for level in rl360.item("teams_diversity").levels
    )
    assert "commission" in " ".join(rl360.item("results_commissioning").levels).casefold()


def test_introductions_do_not_name_the_role_each_level_is_typical_of(rl360):
    titles = rl360.settings["level_labels"]
    for text in (rl360.description, rl360.self_description):
        assert "level 1 to level 4" in text
        assert not any(title.casefold() in text.casefold() for title in titles)
        assert "first-line manager" not in text


def test_every_facet_has_a_crosswalk_to_the_dcs_framework(rl360):
    crosswalk = rl360.settings["crosswalk"]
    assert "003_* Annex B" in crosswalk["framework"]
    facets = {item.id for item in rl360.items if item.type == "levelled"}
    assert set(crosswalk["facets"]) == facets
    assert all(crosswalk["facets"][facet] for facet in facets)


def _plain(text):
    return " ".join(text.replace("\u2013", "-").replace("- ", "-").split()).casefold()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not present")
def test_crosswalk_quotes_the_framework_of_annex_b():
    seed = next(SEEDS.glob("003_*")).read_text(encoding="utf-8")
    annex = _plain(seed[seed.index("ANNEX B SKILLS") : seed.index("ANNEX C MODELS")])
    for facet, elements in load_instrument(PATH).settings["crosswalk"]["facets"].items():
        for element in elements:
            for part in element.split(": ", 1):  # "Role requirement: wording", both quoted
                assert _plain(part) in annex, (facet, part)


def test_a_crosswalk_naming_no_facet_is_a_located_problem(tmp_path):
    from instruments import InstrumentError

    text = PATH.read_text(encoding="utf-8").replace(
        "      openness_new_ideas:\n", "      openness_new_idea:\n", 1
    )
    path = tmp_path / "rl.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError) as raised:
        load_instrument(path)
    problem = next(p for p in raised.value.problems if p.code == "unknown-item")
    assert "settings.crosswalk.facets.openness_new_idea" in problem.location
    assert "openness_new_ideas" in problem.hint
