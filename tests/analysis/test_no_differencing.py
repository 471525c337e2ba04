"""No differencing (docs/design.md §3.3): no combination of published sums isolates < k raters.

The check here is independent of `analysis.anonymity`. From the raw answers it rebuilds every
number a report publishes (each group's, "others'" and each item cell's n and mean) as a linear
function of the raters' item levels, confirms the report's figures equal it, and then asks linear
algebra whether any combination of those sums depends on the answers of 1..k-1 raters only.
Self and line manager answers are published individually, so their levels count as known.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.anonymity import leaks
from analysis.scoring import RaterAnswers, score_participant
from tests.analysis.conftest import levelled_instrument

NO = "not_observed"
SHAPE = {"alpha": 3, "beta": 2, "gamma": 1, "delta": 4}
ITEMS = {bid: [f"{bid}_{n}" for n in range(count)] for bid, count in SHAPE.items()}
ALL_ITEMS = [i for ids in ITEMS.values() for i in ids]
KNOWN = {"self", "line_manager"}


INSTRUMENT = levelled_instrument(SHAPE)


def levels_of(rater: RaterAnswers) -> dict[str, int]:
    return {i: int(v[0]) for i, v in rater.answers.items() if v and v[0] in ("1", "2", "3", "4")}


def published_sums(raters: list[RaterAnswers], result: dict, k: int) -> list[dict]:
    """Every published sum as {(rater, item): coefficient}, checked against the report."""
    levels = [levels_of(r) for r in raters]
    sums = []
    for bid, items in ITEMS.items():
        counted = [
            n
            for n, r in enumerate(raters)
            if r.relationship != "self"
            and len(set(levels[n]) & set(items)) >= math.ceil(len(items) / 2)
        ]
        score = {
            n: {(n, i): 1 / len(set(levels[n]) & set(items)) for i in items if i in levels[n]}
            for n in counted
        }
        row = result["behaviours"][bid]
        members = _check_groups(row["groups"], counted, raters, k)
        _check_others(row, members, score, levels, sums)
        for item in items:
            cell = {n: {(n, item): 1.0} for n in counted if item in levels[n]}
            item_row = result["items"][item]
            cell_members = _check_groups(item_row["groups"], list(cell), raters, k)
            assert set().union(*cell_members.values()) <= set().union(*members.values())
            _check_others(item_row, cell_members, cell, levels, sums)
    return sums


def _check_groups(groups: dict, eligible: list[int], raters, k: int) -> dict[str, set[int]]:
    members, seen_relationships = {}, set()
    for gid, group in groups.items():
        assert not seen_relationships & set(group["relationships"]), "groups overlap"
        seen_relationships |= set(group["relationships"])
        members[gid] = {n for n in eligible if raters[n].relationship in group["relationships"]}
        assert group["n"] == len(members[gid])
        individual = set(group["relationships"]) <= KNOWN
        assert individual or group["n"] >= k, f"group {gid} shown with n={group['n']} < {k}"
    return members


def _check_others(
    row: dict,
    members: dict[str, set[int]],
    functional: dict[int, dict],
    levels: list[dict],
    sums: list[dict],
) -> None:
    for gid, group in [*row["groups"].items(), ("others", None)]:
        raters = set().union(*members.values()) if group is None else members[gid]
        vector = {key: c for n in raters for key, c in functional[n].items()}
        total = sum(c * levels[n][i] for (n, i), c in vector.items())
        mean = row["others"] if group is None else group["mean"]
        assert (mean is None) == (not raters)
        if raters:
            assert mean == pytest.approx(total / len(raters), abs=1e-12)
            sums.append(vector)


def isolating_sets(sums: list[dict], raters: list[RaterAnswers], k: int) -> list[tuple]:
    """Sets of fewer than k hidden raters whose answers some combination of `sums` isolates."""
    hidden = sorted(
        {n for vector in sums for n, _ in vector if raters[n].relationship not in KNOWN}
    )
    columns = sorted({key for vector in sums for key in vector if key[0] in hidden})
    if not columns:
        return []
    index = {key: c for c, key in enumerate(columns)}
    matrix = np.zeros((len(sums), len(columns)))
    for row, vector in enumerate(sums):
        for key, coefficient in vector.items():
            if key in index:
                matrix[row, index[key]] = coefficient
    full = np.linalg.matrix_rank(matrix)
    owner = np.array([n for n, _ in columns])
    found = []
    for subset in itertools.combinations(hidden, min(k - 1, len(hidden))):
        if np.linalg.matrix_rank(matrix[:, ~np.isin(owner, subset)]) < full:
            found.append(subset)
    return found


def assert_no_differencing(raters: list[RaterAnswers], k: int) -> dict:
    result = score_participant(INSTRUMENT, raters, "director", k=k)
    leaks = isolating_sets(published_sums(raters, result, k), raters, k)
    assert not leaks, f"published sums isolate raters {leaks[:3]}"
    return result


def same(relationship: str, value: str) -> RaterAnswers:
    return RaterAnswers(relationship, {i: [value] for i in ALL_ITEMS})


def test_the_checker_catches_a_naive_report():
    complete = [same("peer", "3") for _ in range(4)]
    skipper = RaterAnswers("peer", {"alpha_0": ["1"], "alpha_1": ["1"], "alpha_2": [NO]})
    raters = complete + [skipper]
    behaviour = {
        (n, i): 1 / (2 if n == 4 else 3)
        for n in range(5)
        for i in ITEMS["alpha"]
        if not (n == 4 and i == "alpha_2")
    }
    item_sums = [{(n, i): 1.0 for n in range(5) if (n, i) in behaviour} for i in ITEMS["alpha"]]
    assert isolating_sets([behaviour, *item_sums], raters, 3) == [
        subset for subset in itertools.combinations(range(5), 2) if 4 in subset
    ]
    assert_no_differencing(raters, 3)


def test_design_example_lopsided_groups():
    raters = [
        same("self", "3"),
        same("line_manager", "2"),
        same("partner", "1"),
        same("direct_report", "4"),
        same("direct_report", "2"),
        same("peer", "2"),
        same("peer", "3"),
        same("peer", "4"),
        same("peer", NO),
    ]
    result = assert_no_differencing(raters, 3)
    assert result["behaviours"]["alpha"]["groups"]["pooled"]["n"] == 3


def test_line_manager_alone_with_a_small_pool():
    raters = [same("line_manager", "2"), same("peer", "4"), same("partner", "1")]
    result = assert_no_differencing(raters, 3)
    assert result["behaviours"]["alpha"]["others"] == 2


ANSWER = st.sampled_from(["1", "2", "3", "4", "2", "3", NO, ""])
RELATIONSHIP = st.sampled_from(["peer", "peer", "direct_report", "partner", "other"])
RATER = st.tuples(RELATIONSHIP, st.lists(ANSWER, min_size=len(ALL_ITEMS), max_size=len(ALL_ITEMS)))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    others=st.lists(RATER, max_size=10),
    line_manager=st.booleans(),
    self_rated=st.booleans(),
    k=st.sampled_from([2, 3, 3, 4]),
)
def test_no_published_combination_isolates_fewer_than_k_raters(others, line_manager, self_rated, k):
    raters = [
        RaterAnswers(rel, {i: [v] for i, v in zip(ALL_ITEMS, answers, strict=True) if v})
        for rel, answers in others
    ]
    raters += [same("line_manager", "2")] * line_manager + [same("self", "4")] * self_rated
    assert_no_differencing(raters, k)


BLOCK_ITEMS = ["i0", "i1", "i2"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    rated=st.lists(st.sets(st.sampled_from(BLOCK_ITEMS), min_size=2), min_size=1, max_size=7),
    published=st.sets(st.sampled_from(BLOCK_ITEMS)),
    k=st.sampled_from([2, 3, 4]),
)
def test_the_reports_audit_agrees_with_linear_algebra(rated, published, k):
    rated = [frozenset(r) for r in rated]
    published = {i for i in published if sum(i in r for r in rated) >= k}
    behaviour = {(n, i): 1 / len(r) for n, r in enumerate(rated) for i in r}
    item_sums = [{(n, i): 1.0 for n, r in enumerate(rated) if i in r} for i in sorted(published)]
    peers = [RaterAnswers("peer", {}) for _ in rated]
    by_algebra = bool(isolating_sets([behaviour, *item_sums], peers, k))
    assert leaks(rated, BLOCK_ITEMS, published, k) == by_algebra
