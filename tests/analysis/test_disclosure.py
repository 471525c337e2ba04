"""The audit run before a report is published (analysis/disclosure.py) against an independent
linear-algebra checker, on random rater sets, and on a deliberately naive report."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analysis.scoring as scoring
from analysis.disclosure import audit_result
from analysis.scoring import RaterAnswers, score_participant
from tests.analysis.test_no_differencing import (
    ALL_ITEMS,
    INSTRUMENT,
    NO,
    RATER,
    isolating_sets,
    published_sums,
    same,
)

INDIVIDUAL = {"line_manager"}


def naive_items(rated, items, candidates, k):
    """Publish every item cell with k raters, as a report without the differencing guard would."""
    return [i for i in items if i in candidates], []


def test_the_audit_catches_a_report_that_publishes_every_item_cell(monkeypatch):
    # Four complete peers and one who skipped an item: behaviour and item sums together leave
    # only that peer's answers once all item cells are shown.
    skipper = RaterAnswers("peer", {"alpha_0": ["1"], "alpha_1": ["1"], "alpha_2": [NO]})
    raters = [same("peer", "3") for _ in range(4)] + [skipper]
    safe = score_participant(INSTRUMENT, raters, k=3)
    assert audit_result(raters, safe, INDIVIDUAL, 3) == []
    monkeypatch.setattr(scoring, "safe_item_cells", naive_items)
    naive = score_participant(INSTRUMENT, raters, k=3)
    leaks = audit_result(raters, naive, INDIVIDUAL, 3)
    assert leaks and all(4 in leak.raters for leak in leaks)
    assert {leak.behaviour for leak in leaks} == {"alpha"}


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(
    others=st.lists(RATER, max_size=9),
    line_manager=st.booleans(),
    k=st.sampled_from([2, 3, 4]),
    naive=st.booleans(),
)
def test_the_audit_agrees_with_the_independent_checker(others, line_manager, k, naive):
    raters = [
        RaterAnswers(rel, {i: [v] for i, v in zip(ALL_ITEMS, answers, strict=True) if v})
        for rel, answers in others
    ]
    raters += [same("line_manager", "2")] * line_manager
    with pytest.MonkeyPatch.context() as patch:
        if naive:
            patch.setattr(scoring, "safe_item_cells", naive_items)
        result = score_participant(INSTRUMENT, raters, k=k)
    independent = bool(isolating_sets(published_sums(raters, result, k), raters, k))
    assert bool(audit_result(raters, result, INDIVIDUAL, k)) == independent
    if not naive:
        assert not independent
