"""The whole pipeline: counts, intervals, suppression, duplicates, discovery and reproducibility."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.evaluation import load_hand_coded
from analysis.theming import STEPS_PER_COMMENT, theme_comments, wilson
from instruments.codebook import codebook_hash, load_codebook
from tests.paths import INSTRUMENTS, TESTS

ROOT = Path(__file__).resolve().parents[3]
BARRIERS = load_codebook(INSTRUMENTS / "codebooks" / "barriers.yaml")
DERIVED = TESTS / "data" / "theming" / "codebook_derived_barriers.csv"
COMMENTS, _ = load_hand_coded(DERIVED)


def _theme(result, theme_id):
    return next(theme for theme in result["themes"] if theme["id"] == theme_id)


def test_wilson_interval_matches_a_hand_calculation():
    # 8/20: p = .4, z = 1.96: centre .41611, half-width .19732 (worked by hand).
    low, high = wilson(8, 20)
    assert (round(low, 4), round(high, 4)) == (0.2188, 0.6134)
    assert tuple(round(value, 4) for value in wilson(0, 10)) == (0.0, 0.2775)


def test_counts_percent_of_commenters_and_blanks_are_not_commenters():
    comments = [
        "Budgets are cut again",
        "Workload and budget cuts",
        "N/A",
        "",
        "none",
        "Politicians worry me",
    ]
    result = theme_comments(comments, BARRIERS)
    assert (result["commented"], result["no_answer"]) == (3, 3)
    budgets = _theme(result, "budgets")
    assert (budgets["count"], budgets["percent"]) == (2, 66.7)
    assert budgets["ci"] == [round(100 * value, 1) for value in wilson(2, 3)]
    # Multi-label: the percentages add up to more than 100.
    assert sum(theme["percent"] for theme in result["themes"]) > 100


def test_quotes_only_when_the_theme_reaches_the_threshold_and_are_short_and_redacted():
    long_tail = " ".join(["and then the savings target again"] * 10)
    comments = [
        "Budget cuts, call Jo Bloggs on 07700 900123 " + long_tail,
        "The budget is a nightmare",
        "Budgets again",
        "Interims everywhere",
        "Interim directors come and go",
    ]
    result = theme_comments(comments, BARRIERS, names=["Jo Bloggs"], k=3)
    budgets, interims = _theme(result, "budgets"), _theme(result, "interims_and_consultants")
    assert interims["count"] == 2 and interims["quotes"] == []
    assert len(budgets["quotes"]) == 3
    assert all(len(quote.split()) <= 41 for quote in budgets["quotes"])
    assert any(quote.endswith("…") for quote in budgets["quotes"])
    everything = json.dumps(result)
    assert "Bloggs" not in everything and "07700" not in everything


def test_group_cells_below_k_are_suppressed_with_a_complement():
    comments = (
        ["budget cuts"] * 5
        + ["budget cuts"] * 2
        + ["nothing to say here"] * 3
        + ["budget cuts"] * 4
        + ["budget cuts"]
    )
    groups = ["women"] * 5 + ["men"] * 2 + ["men"] * 3 + ["other"] * 4 + ["tiny"]
    split = _theme(theme_comments(comments, BARRIERS, groups=groups, k=3), "budgets")["groups"]
    assert split["women"] == {"n": 5, "count": 5, "percent": 100.0, "suppressed": False}
    # Men: 2 of 5 is below k; "tiny" has a base of 1; then one more is hidden so the
    # published total minus the shown cells cannot recover either.
    assert split["men"]["count"] is None and split["tiny"] == {
        "n": None,
        "count": None,
        "percent": None,
        "suppressed": True,
    }
    shown = [cell for cell in split.values() if not cell["suppressed"]]
    assert len(shown) == 2


def test_exact_and_near_duplicates_are_reported_and_still_counted():
    comments = [
        "Workload is far too high and budgets are cut.",
        "workload is far too high, and budgets are cut!!",
        "Workload is far too high and the budgets are cut.",
        "Politicians scare me.",
        "I like my team.",
    ]
    result = theme_comments(comments, BARRIERS)
    assert result["duplicates"]["exact"] == [[0, 1]]
    assert result["duplicates"]["near"] == [[0, 1, 2]]
    assert _theme(result, "budgets")["count"] == 3


def test_below_150_uncoded_comments_key_phrases_replace_modelling():
    comments = (
        ["Recruitment of social workers is the real problem"] * 3
        + [
            "Social worker recruitment and retention",
            "Retention of good social workers",
            "Agency social workers cost a fortune",
        ]
        + COMMENTS[:20]
    )
    result = theme_comments(comments, BARRIERS)
    assert result["discovered"] == [] and result["discovery"]["method"] == "key phrases"
    phrases = {item["phrase"]: item["count"] for item in result["key_phrases"]}
    assert phrases["social workers"] >= 4 and phrases["recruitment"] >= 4


def test_at_150_uncoded_or_more_discovery_proposes_labelled_themes():
    result = theme_comments(COMMENTS, codebook=None)
    assert result["uncoded"] == len(COMMENTS) >= 150
    assert 2 <= len(result["discovered"]) <= 8
    assert result["discovery"]["k"] == len(result["discovered"])
    for found in result["discovered"]:
        assert found["label"] and found["terms"] and found["count"] >= 0
    assert sum(found["count"] for found in result["discovered"]) <= len(COMMENTS)


def test_no_two_proposed_themes_share_a_label_on_real_answers():
    # Real NHS "What was good?" answers (tests/data/theming/public/README.md): staff, help and
    # support run through most of them, and two themes were once both labelled "staff help".
    path = TESTS / "data" / "theming" / "public" / "discovery_C.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        answers = [row["comment"] for row in csv.DictReader(handle)]
    found = theme_comments(answers, codebook=None, question="What was good?")["discovered"]
    labels = [theme["label"] for theme in found]
    assert len(found) >= 3 and len(set(labels)) == len(labels)


def test_same_input_same_output_and_seed_does_not_change_codebook_results():
    first = theme_comments(COMMENTS, BARRIERS, seed=0)
    assert json.dumps(first) == json.dumps(theme_comments(COMMENTS, BARRIERS, seed=0))
    other_seed = theme_comments(COMMENTS, BARRIERS, seed=7)
    assert other_seed["themes"] == first["themes"] and other_seed["coded"] == first["coded"]


def test_output_is_identical_in_another_process_with_another_hash_seed():
    script = (
        "import csv, json; from analysis.theming import theme_comments; "
        f"rows = list(csv.DictReader(open({str(DERIVED)!r})))[:60]; "
        "print(json.dumps(theme_comments([row['comment'] for row in rows], "
        f"{str(INSTRUMENTS / 'codebooks' / 'barriers.yaml')!r}, "
        "names=['Jane Doe', 'Sam Hill'])))"
    )
    # Both at once: most of the time is importing nltk and scikit-learn.
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "2")
    ]
    outputs = {run.communicate(timeout=60)[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(outputs) == 1


def test_run_records_versions_parameters_and_the_codebook_hash():
    run = theme_comments(["Budgets"], BARRIERS, k=4, seed=3)["run"]
    assert run["codebook_hash"] == codebook_hash(BARRIERS)
    assert run["parameters"]["seed"] == 3 and run["parameters"]["threshold"] == 4
    assert run["versions"]["scikit-learn"] and run["versions"]["vaderSentiment"]


def test_sentiment_is_negative_for_complaints_and_progress_reaches_the_total():
    ticks = []
    comments = [
        "The budget cuts are awful and demoralising",
        "Budget cuts are terrible",
        "Budget cuts hurt families",
        "",
    ]
    result = theme_comments(comments, BARRIERS, progress=ticks.append)
    assert _theme(result, "budgets")["sentiment"] < -0.05
    assert sum(ticks) == STEPS_PER_COMMENT * len(comments)


def test_groups_must_line_up_with_comments():
    with pytest.raises(ValueError, match="groups"):
        theme_comments(["a", "b"], BARRIERS, groups=["x"])


@pytest.mark.parametrize(
    "text", COMMENTS[:40] + ["Budgets are NOT fine!!! :(", "kind of ok, but awful"]
)
def test_fast_sentiment_path_scores_exactly_like_vader(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.theming.sentiment import compound

    assert compound(text) == SentimentIntensityAnalyzer().polarity_scores(text)["compound"]


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0.9, "positive"),
        (0.5, "positive"),
        (0.172, "mostly positive"),
        (0.05, "mostly positive"),
        (0.049, "mixed"),
        (0.0, "mixed"),
        (-0.049, "mixed"),
        (-0.05, "mostly negative"),
        (-0.5, "negative"),
        (None, "n/a"),
    ],
)
def test_a_mean_sentiment_reads_in_words(score, words):
    from analysis.theming.sentiment import describe

    assert describe(score) == words
