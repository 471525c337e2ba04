"""Stored groups are decided from who answered and never single out fewer than k raters."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.mixing import group_labels, stored_group_sizes

INDIVIDUAL = {"line_manager"}
ORDER = ["self", "line_manager", "peer", "direct_report", "partner", "other"]
GROUPED = ["peer", "direct_report", "partner", "other"]


def test_three_peers_invited_one_answering_is_not_a_peer_group():
    # Invitations do not count: only the one peer who answered (with a line manager).
    labels = group_labels(["line_manager", "peer"], INDIVIDUAL, 3, ORDER)
    assert labels == {"line_manager": "line_manager", "peer": None}


def test_small_groups_pool_then_join_the_smallest_big_group():
    answered = ["peer"] * 4 + ["direct_report"] * 3 + ["partner"] + ["other"]
    labels = group_labels(answered, INDIVIDUAL, 3, ORDER)
    assert labels["peer"] == "peer"
    assert (
        labels["direct_report"]
        == labels["partner"]
        == labels["other"]
        == ("direct_report_and_others")
    )
    pooled = group_labels(["peer"] * 2 + ["partner"] * 2, INDIVIDUAL, 3, ORDER)
    assert pooled == {"peer": "pooled", "partner": "pooled"}


@settings(max_examples=400, derandomize=True, database=None)
@given(
    invited=st.lists(st.sampled_from(GROUPED + ["line_manager", "self"]), max_size=20),
    answers=st.lists(st.sampled_from(["answered", "declined", "silent"]), min_size=20, max_size=20),
    k=st.sampled_from([2, 3, 4, 5]),
)
def test_no_stored_group_but_an_individual_one_holds_fewer_than_k(invited, answers, k):
    answered = [rel for rel, what in zip(invited, answers, strict=False) if what == "answered"]
    labels = group_labels(answered, INDIVIDUAL, k, ORDER)
    assert set(labels) == set(answered)
    sizes = stored_group_sizes(labels, answered)
    for label, n in sizes.items():
        assert label in INDIVIDUAL | {"self"} or n >= k, (label, n, answered)
    # Every answer of a relationship goes the same way, and the individual ones are kept as is.
    assert all(labels[r] == r for r in answered if r in INDIVIDUAL | {"self"})
    # What is not kept is exactly what no group of k could take in.
    dropped = Counter(r for r in answered if labels[r] is None)
    kept_groups = {label for label in sizes if label not in INDIVIDUAL | {"self"}}
    assert not dropped or not kept_groups
    assert sum(dropped.values()) < k or not dropped
