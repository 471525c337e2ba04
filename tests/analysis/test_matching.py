"""Matching coaches and mentors: never the own or a neighbouring authority, never over capacity,
ranked by how many of the participant's development priorities a supporter's strengths cover."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.matching import (
    FULL,
    NEIGHBOUR,
    OWN,
    Candidate,
    authority_key,
    development_priorities,
    neighbours_of,
    propose,
)

AUTHORITIES = [
    "Westshire County Council",
    "Eastbridge Borough Council",
    "Northgate City Council",
    "Southport Council",
    "Middleton Council",
]
BEHAVIOURS = ["openness", "collaborate", "belief", "resilience", "commitment", "results"]


def _spelling(name: str) -> st.SearchStrategy[str]:
    """The same authority as people type it: any case, extra spaces."""
    return st.sampled_from(
        [name, name.upper(), name.lower(), f"  {name} ", name.replace(" ", "  ")]
    )


candidates = st.lists(
    st.builds(
        Candidate,
        id=st.uuids().map(str),
        name=st.sampled_from(["Ann", "Bo", "Cy", "Di", "Ed", "Fay"]),
        authority=st.sampled_from(AUTHORITIES).flatmap(_spelling),
        roles=st.sets(st.sampled_from(["coach", "mentor"]), min_size=1).map(frozenset),
        strengths=st.sets(st.sampled_from(BEHAVIOURS)).map(frozenset),
        capacity=st.integers(0, 3),
        active=st.integers(0, 4),
    ),
    max_size=12,
)
pairs = st.lists(
    st.tuples(
        st.sampled_from(AUTHORITIES).flatmap(_spelling),
        st.sampled_from(AUTHORITIES).flatmap(_spelling),
    ),
    max_size=6,
)
priorities = st.lists(st.sampled_from(BEHAVIOURS), unique=True, max_size=4).map(
    lambda bids: development_priorities(
        {b: {"title": b, "distance": 1.0} for b in bids}, [], top=len(bids)
    )
)


@settings(max_examples=200, deadline=None)
@given(
    candidates,
    pairs,
    st.sampled_from(AUTHORITIES).flatmap(_spelling),
    priorities,
    st.sampled_from(["coach", "mentor"]),
)
def test_proposals_never_break_the_rules_and_lose_no_one(
    pool, neighbour_pairs, authority, wanted, role
):
    matching = propose(wanted, pool, authority, neighbour_pairs, role)
    own = authority_key(authority)
    neighbours = neighbours_of(authority, neighbour_pairs)
    for proposal in matching.proposals:
        candidate = proposal.candidate
        assert authority_key(candidate.authority) != own
        assert authority_key(candidate.authority) not in neighbours
        assert candidate.active < candidate.capacity
        assert role in candidate.roles
        assert set(proposal.covered) == {p.behaviour for p in wanted} & candidate.strengths
    offered = [c for c in pool if role in c.roles]
    seen = [p.candidate for p in matching.proposals] + [e.candidate for e in matching.excluded]
    assert sorted(c.id for c in seen) == sorted(c.id for c in offered)
    for excluded in matching.excluded:
        key = authority_key(excluded.candidate.authority)
        expected = OWN if key == own else NEIGHBOUR if key in neighbours else FULL
        assert excluded.reason == expected


@settings(max_examples=200, deadline=None)
@given(candidates, priorities)
def test_ranking_follows_coverage_of_the_priorities(pool, wanted):
    matching = propose(wanted, pool, "Nowhere Council", [], "coach")
    covered = [len(p.covered) for p in matching.proposals]
    assert covered == sorted(covered, reverse=True)
    for first, second in zip(matching.proposals, matching.proposals[1:], strict=False):
        if len(first.covered) == len(second.covered):
            assert first.candidate.spare >= second.candidate.spare


def test_neighbours_are_symmetric_and_forgiving_about_spelling():
    pairs = [("Westshire County Council", "eastbridge  borough council")]
    assert neighbours_of("EASTBRIDGE Borough Council", pairs) == {"westshire county council"}
    assert neighbours_of("Westshire County Council", pairs) == {"eastbridge borough council"}
    assert neighbours_of("Northgate City Council", pairs) == set()


def test_a_neighbour_covering_everything_is_still_left_out():
    strong = Candidate(
        "1",
        "Strong Neighbour",
        "Eastbridge Borough Council",
        frozenset({"coach"}),
        frozenset(BEHAVIOURS),
        capacity=2,
    )
    weak = Candidate(
        "2",
        "Far Away",
        "Southport Council",
        frozenset({"coach"}),
        frozenset({"belief"}),
        capacity=2,
    )
    wanted = development_priorities(
        {
            "openness": {"title": "Openness", "distance": 1.2},
            "belief": {"title": "Belief", "distance": 0.4},
        },
        [],
    )
    matching = propose(
        wanted,
        [strong, weak],
        "Westshire County Council",
        [("Westshire County Council", "Eastbridge Borough Council")],
        "coach",
    )
    assert [p.candidate.name for p in matching.proposals] == ["Far Away"]
    assert matching.proposals[0].covered == ("belief",)
    assert matching.proposals[0].coverage == 0.5
    assert [(e.candidate.name, e.reason) for e in matching.excluded] == [
        ("Strong Neighbour", NEIGHBOUR)
    ]


def test_priorities_are_the_largest_distances_then_the_plan():
    behaviours = {
        "a": {"title": "A", "distance": 0.2},
        "b": {"title": "B", "distance": 1.1},
        "c": {"title": "C", "distance": 0.0},
        "d": {"title": "D", "distance": 0.7},
        "e": {"title": "E", "distance": 0.5},
        "f": {"title": "F", "distance": None},
    }
    found = development_priorities(behaviours, ["c", "b", "unknown"])
    assert [(p.behaviour, p.in_plan) for p in found] == [
        ("b", True),
        ("d", False),
        ("e", False),
        ("c", True),
    ]
    # With no target for the aspired role there are no distances: only the plan counts.
    assert [
        p.behaviour for p in development_priorities({"a": {"title": "A", "distance": None}}, ["a"])
    ] == ["a"]
