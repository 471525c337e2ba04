"""The result types say what a result holds: the keys a frozen report stores, no more, no less."""

from __future__ import annotations

import json
from typing import Any, is_typeddict

from analysis.cohort import cohort_summary
from analysis.results import (
    BehaviourRow,
    CohortBehaviour,
    CohortSummary,
    GroupRow,
    ItemRow,
    ParticipantResult,
    PoolNote,
    Readiness,
    Stats,
    TopItem,
)
from analysis.scoring import RaterAnswers, score_participant
from tests.analysis.conftest import levelled_instrument

INSTRUMENT = levelled_instrument({"alpha": 3, "beta": 2})
ITEMS = ["alpha_0", "alpha_1", "alpha_2", "beta_0", "beta_1"]


def raters(seed: int) -> list[RaterAnswers]:
    """Self, a line manager, four peers and two partners (pooled), one peer skipping an item."""

    def rater(relationship: str, n: int) -> RaterAnswers:
        levels = [str((seed + n + i) % 4 + 1) for i in range(len(ITEMS))]
        answers = {item: [level] for item, level in zip(ITEMS, levels, strict=True)}
        if n == 3:
            del answers["alpha_2"]
        return RaterAnswers(relationship, answers)

    return [
        rater("self", 0),
        rater("line_manager", 1),
        *[rater("peer", n) for n in range(2, 6)],
        rater("partner", 6),
        rater("other", 7),
    ]


def keys_match(value: dict[str, Any], kind: type) -> None:
    """`value` has every required key of the TypedDict `kind` and no key it does not declare."""
    assert is_typeddict(kind)
    declared = kind.__required_keys__ | kind.__optional_keys__
    assert kind.__required_keys__ <= value.keys() <= declared, kind.__name__


def test_a_participant_result_has_exactly_the_keys_its_types_declare():
    result = score_participant(INSTRUMENT, raters(0), "head_of_service", k=3)
    keys_match(result, ParticipantResult)
    keys_match(result["readiness"], Readiness)
    assert result["pooled"] and result["highest_items"]
    for note in result["pooled"]:
        keys_match(note, PoolNote)
    for top in result["highest_items"] + result["lowest_items"]:
        keys_match(top, TopItem)
    for kind, rows in ((BehaviourRow, result["behaviours"]), (ItemRow, result["items"])):
        assert rows
        for row in rows.values():
            keys_match(row, kind)
            keys_match(row["others_stats"], Stats)
            assert row["groups"]
            for group in row["groups"].values():
                keys_match(group, GroupRow)


def test_results_survive_the_json_a_frozen_report_is_stored_as():
    results = {f"p{seed}": score_participant(INSTRUMENT, raters(seed), k=3) for seed in range(4)}
    summary = cohort_summary(INSTRUMENT, results, k=3)
    keys_match(summary, CohortSummary)
    for row in summary["behaviours"].values():
        keys_match(row, CohortBehaviour)
    for value in (*results.values(), summary):
        assert json.loads(json.dumps(value)) == value
