"""Codebooks: the seeded themes load, match their own examples and reject broken files clearly."""

import copy
import re

import pytest
import yaml
from nltk.stem.snowball import SnowballStemmer

from analysis.theming import Matcher
from instruments import InstrumentError, load_instrument
from instruments.codebook import (
    CODEBOOKS,
    bundled_codebooks,
    codebook_hash,
    is_codebook_data,
    load_codebook,
    parse_codebook,
)
from tests.paths import INSTRUMENTS

TINY = load_instrument(INSTRUMENTS / "examples" / "tiny_feedback.yaml")
STEMMER = SnowballStemmer("english")

# Themes the seeds report: 004_* (SESLIP) challenges, put-offs, barriers, enablers, development.
EXPECTED_THEMES = {
    "barriers": {
        "time_pressure",
        "budgets",
        "volume_of_work",
        "work_life_balance",
        "exposure_to_politicians",
        "gendered_culture",
        "maternity_flexible_working",
        "non_social_work_routes",
        "interims_and_consultants",
        "geography_and_roots",
        "lack_of_support",
        "unclear_role",
        "pay_and_pensions",
        "confidence",
    },
    "development": {
        "coaching",
        "mentoring",
        "action_learning",
        "shadowing",
        "secondment_and_placements",
        "cross_authority_networks",
        "working_with_politicians",
        "managing_risk",
        "finance",
    },
    "attractions": {
        "influence_change",
        "developing_people",
        "making_a_difference",
        "political_influence",
        "career_and_reward",
    },
}

# Comments quoted in seed 004_*, and the theme each must be coded to.
SEED_QUOTES = [
    ("barriers", "the aggressive macho culture of our organisation", "gendered_culture"),
    ("barriers", "subtly women are having to work harder for the same credit", "gendered_culture"),
    (
        "barriers",
        "feeling very exposed and not able to support their leader",
        "accountability_and_exposure",
    ),
    (
        "barriers",
        "getting a more senior role would feel like passing your driving test and "
        "being expected to drive on the motorway an hour later",
        "lack_of_support",
    ),
    ("attractions", "making a difference for all children", "making_a_difference"),
    (
        "attractions",
        "working to enable more families to stay safely together",
        "making_a_difference",
    ),
]


def stems(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("'", "").replace("’", ""))
    return [STEMMER.stem(word) for word in words]


def contains(text: str, phrase: str) -> bool:
    haystack, needle = stems(text), stems(phrase)
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def codes_to(theme, text: str) -> bool:
    """A plain reference matcher: stem-aware phrases or regexes, vetoed by any exclusion."""
    if any(contains(text, phrase) for phrase in theme.exclude):
        return False
    return any(contains(text, phrase) for phrase in theme.include) or any(
        re.search(pattern, text, re.IGNORECASE) for pattern in theme.patterns
    )


@pytest.fixture(scope="module")
def codebooks():
    return bundled_codebooks()


def barriers_data() -> dict:
    return yaml.safe_load((CODEBOOKS / "barriers.yaml").read_text(encoding="utf-8"))


def problems(data, instruments=None) -> list:
    with pytest.raises(InstrumentError) as caught:
        parse_codebook(data, source="test.yaml", instruments=instruments or {})
    return caught.value.problems


def codes(data, instruments=None) -> set[str]:
    return {p.code for p in problems(data, instruments)}


def test_bundled_codebooks_hold_the_themes_the_seeds_report(codebooks):
    assert set(codebooks) == set(EXPECTED_THEMES)
    for key, expected in EXPECTED_THEMES.items():
        assert expected <= {theme.id for theme in codebooks[key].themes}, key


def test_the_three_key_challenges_of_the_seed_are_separate_themes(codebooks):
    labels = [theme.label for theme in codebooks["barriers"].themes]
    assert labels[:3] == [
        "Not enough time",
        "Budgets and financial pressure",
        "Volume of work and demand",
    ]


def test_every_theme_is_complete_and_codes_its_own_examples(codebooks):
    for codebook in codebooks.values():
        for theme in codebook.themes:
            assert theme.label and theme.definition, theme.id
            assert len(theme.examples) >= 2, theme.id
            for example in theme.examples:
                assert codes_to(theme, example), (codebook.key, theme.id, example)


@pytest.mark.parametrize(("key", "quote", "theme_id"), SEED_QUOTES)
def test_comments_quoted_in_the_seed_are_coded_to_the_reported_theme(
    codebooks, key, quote, theme_id
):
    assert codes_to(codebooks[key].theme(theme_id), quote)


def test_secondment_is_not_confused_with_second_tier(codebooks):
    theme = codebooks["development"].theme("secondment_and_placements")
    assert codes_to(theme, "A secondment to a neighbouring council")
    assert not codes_to(theme, "More support for second tier officers")


def test_applies_to_names_open_text_items_of_bundled_instruments(codebooks):
    from instruments import bundled_instruments

    instruments = bundled_instruments()
    for codebook in codebooks.values():
        assert codebook.applies_to, codebook.key
        for reference in codebook.applies_to:
            instrument_key, item_id = reference.split(".")
            if instrument_key in instruments:
                item_type = instruments[instrument_key].item(item_id).type
                assert item_type in ("short_text", "long_text"), reference
    assert "resourceful_leader_360.step_up" in codebooks["barriers"].applies_to


def test_hash_is_stable_and_changes_when_a_term_is_edited():
    data = barriers_data()
    first = parse_codebook(data, instruments={})
    assert codebook_hash(first) == codebook_hash(load_codebook(CODEBOOKS / "barriers.yaml"))
    assert re.fullmatch(r"[0-9a-f]{64}", codebook_hash(first))
    spelled_out = copy.deepcopy(data)
    spelled_out["themes"][1]["patterns"] = []
    assert codebook_hash(parse_codebook(spelled_out, instruments={})) == codebook_hash(first)
    data["themes"][0]["include"].append("stretched thin")
    assert codebook_hash(parse_codebook(data, instruments={})) != codebook_hash(first)


def test_codebook_data_is_told_apart_from_instrument_data():
    assert is_codebook_data(barriers_data())
    assert not is_codebook_data(dict(TINY.raw))
    assert not is_codebook_data(["themes"])


def test_bad_yaml_and_missing_file_are_reported_with_their_location(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: barriers\nthemes: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_codebook(broken)
    assert caught.value.problems[0].code == "bad-yaml"
    assert "line" in caught.value.problems[0].location
    with pytest.raises(InstrumentError) as caught:
        load_codebook(tmp_path / "absent.yaml")
    assert caught.value.problems[0].code == "file-missing"


def test_not_a_mapping_and_missing_keys():
    assert codes(["themes"]) == {"not-a-mapping"}
    data = barriers_data()
    del data["title"]
    del data["themes"][0]["label"]
    found = problems(data)
    assert {(p.code, p.location) for p in found} == {
        ("missing-key", "top level"),
        ("missing-key", "theme 'time_pressure'"),
    }


def test_duplicate_and_badly_formed_ids():
    data = barriers_data()
    data["themes"][1]["id"] = data["themes"][0]["id"]
    data["themes"][2]["id"] = "Volume of work"
    data["key"] = "2barriers"
    found = problems(data)
    assert "duplicate-id" in {p.code for p in found}
    assert {p.location for p in found if p.code == "bad-id"} == {"key", "theme 'Volume of work'"}


def test_a_pattern_that_does_not_compile_is_reported_with_the_regex_error():
    data = barriers_data()
    data["themes"][0]["patterns"] = ["[unclosed"]
    (problem,) = problems(data)
    assert problem.code == "bad-pattern"
    assert problem.location == "theme 'time_pressure' patterns"
    assert "'[unclosed' cannot be used: missing ]" in problem.message


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"^(\w+\s?)*$", "matches an empty comment"),  # the pattern that killed a worker
        (r".*", "matches an empty comment"),
        (r"\w+", "matches 'a'"),
        (r"(budget)\s+\1", "Back-references and look-arounds are not supported"),
        ("budget|" * 60, "keep patterns under 300"),
    ],
)
def test_patterns_that_could_stall_or_code_everything_are_refused(pattern, reason):
    data = barriers_data()
    data["themes"][0]["patterns"] = [pattern]
    (problem,) = problems(data)
    assert problem.code == "bad-pattern" and reason in problem.message


def test_codebook_patterns_run_in_linear_time_on_hostile_comments():
    # Backtracking engines take exponential time on this pair; RE2 answers at once.
    data = barriers_data()
    data["themes"][0]["patterns"] = [r"^(\w+\s?)+!$"]
    matcher = Matcher(parse_codebook(data, instruments={}))
    assert "time_pressure" not in matcher.code("budget " * 5000 + "?").themes
    assert "time_pressure" in matcher.code("budget cuts!").themes


def test_unknown_keys_suggest_the_nearest_known_key():
    data = barriers_data()
    data["themes"][0]["includes"] = data["themes"][0].pop("include")
    data["titel"] = data.pop("title")
    found = {p.message: p.hint for p in problems(data) if p.code == "unknown-key"}
    assert found == {
        "unknown key 'includes'": "did you mean 'include'?",
        "unknown key 'titel'": "did you mean 'title'?",
    }


def test_a_theme_with_nothing_to_match_or_too_few_examples_is_rejected():
    data = barriers_data()
    data["themes"][0]["include"] = []
    data["themes"][0]["patterns"] = []
    data["themes"][1]["examples"] = ["Only one example."]
    found = {(p.code, p.location) for p in problems(data)}
    assert found == {
        ("empty-include", "theme 'time_pressure'"),
        ("too-few-examples", "theme 'budgets' examples"),
    }


def test_wrong_shapes_are_reported():
    data = barriers_data()
    data["version"] = "one"
    data["themes"][0]["exclude"] = "just a string"
    data["themes"][1] = "budgets"
    assert codes(data) == {"bad-version", "bad-list", "bad-theme"}
    data = barriers_data()
    data["themes"] = []
    assert codes(data) == {"no-themes"}


def test_references_are_checked_only_against_instruments_that_exist():
    data = barriers_data()
    data["applies_to"] = ["tiny_feedback.comments", "not_written_yet.anything"]
    assert parse_codebook(data, instruments={"tiny_feedback": TINY}).applies_to == tuple(
        data["applies_to"]
    )
    data["applies_to"] = ["tiny_feedback.commnets", "no_dot_here"]
    found = {(p.code, p.hint) for p in problems(data, {"tiny_feedback": TINY})}
    assert ("unknown-item", "did you mean 'comments'?") in found
    assert "bad-reference" in {code for code, _ in found}


def test_every_problem_is_reported_at_once():
    data = barriers_data()
    data["themes"][0]["patterns"] = ["(open"]
    data["themes"][3]["examples"] = []
    data["themes"][5]["colour"] = "red"
    assert codes(data) == {"bad-pattern", "too-few-examples", "unknown-key"}
