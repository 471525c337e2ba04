"""Proposing coaches and mentors for a participant from the pool (docs/design.md §8).

Pure functions. The caller passes the participant's development priorities, taken only from the
report released to them and the plan they wrote (`development_priorities`), the region's pool,
and the region's own list of neighbouring authorities. A supporter from the participant's own
authority or a neighbouring one is never proposed (seed 004_*, recommendation 7: "not from
within their own or a neighbouring authority"), nor one already at capacity. The rest are ranked
by how many of the priorities their strengths cover (seed 001_* §12: mentors "selected
specifically because they have strengths in the competency areas in which the participant has
developmental needs"), then by spare capacity, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .results import BehaviourRow

ROLES = ("coach", "mentor")
# Reasons a supporter is not proposed, in the order they are checked.
OWN = "from the participant's own authority"
NEIGHBOUR = "from a neighbouring authority"
FULL = "at capacity"
TOP_DISTANCES = 3


def authority_key(name: str) -> str:
    """An authority's name compared without case or spacing differences."""
    return " ".join((name or "").casefold().split())


def neighbours_of(authority: str, pairs: Iterable[Sequence[str]]) -> set[str]:
    """The keys of every authority listed as a neighbour of `authority` (pairs are symmetric)."""
    own = authority_key(authority)
    found = set()
    for first, second in pairs:
        a, b = authority_key(first), authority_key(second)
        if a == own:
            found.add(b)
        elif b == own:
            found.add(a)
    return found - {own}


@dataclass(frozen=True)
class Priority:
    """A development priority: a behaviour, its distance to travel, whether the plan names it."""

    behaviour: str
    title: str
    distance: float | None
    in_plan: bool


@dataclass(frozen=True)
class Candidate:
    """A coach or mentor in the pool, with how many participants they support now."""

    id: str
    name: str
    authority: str
    roles: frozenset[str]
    strengths: frozenset[str]
    capacity: int
    active: int = 0

    @property
    def spare(self) -> int:
        """Places left before capacity."""
        return max(0, self.capacity - self.active)


@dataclass(frozen=True)
class Proposal:
    """A supporter who may be matched: the priorities their strengths cover."""

    candidate: Candidate
    covered: tuple[str, ...]
    coverage: float


@dataclass(frozen=True)
class Excluded:
    """A supporter who offers this kind of support but may not be proposed, and why."""

    candidate: Candidate
    reason: str


@dataclass(frozen=True)
class Matching:
    """Ranked proposals and the supporters left out, for one participant and one kind."""

    priorities: tuple[Priority, ...]
    proposals: tuple[Proposal, ...]
    excluded: tuple[Excluded, ...]


def development_priorities(
    behaviours: Mapping[str, BehaviourRow], plan_behaviours: Iterable[str], top: int = TOP_DISTANCES
) -> tuple[Priority, ...]:
    """The behaviours with the largest distance to travel, then those chosen in the plan.

    `behaviours` is the released report's per-behaviour rows ({"title", "distance", ...}); a
    distance of 0 or none (no target for the aspired role) is not a priority by itself.
    """
    planned = [b for b in dict.fromkeys(plan_behaviours) if b in behaviours]
    order = list(behaviours)
    distances = {
        bid: distance
        for bid, row in behaviours.items()
        if (distance := row.get("distance") or 0) > 0
    }
    travelling = sorted(distances, key=lambda bid: (-distances[bid], order.index(bid)))[:top]
    chosen = travelling + [b for b in planned if b not in travelling]
    return tuple(
        Priority(
            bid,
            str(behaviours[bid].get("title", bid)),
            behaviours[bid].get("distance"),
            bid in planned,
        )
        for bid in chosen
    )


def propose(
    priorities: Sequence[Priority],
    candidates: Iterable[Candidate],
    authority: str,
    neighbour_pairs: Iterable[Sequence[str]],
    role: str,
) -> Matching:
    """Supporters offering `role` ranked by coverage of the priorities; the rest with a reason."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    own = authority_key(authority)
    neighbours = neighbours_of(authority, neighbour_pairs)
    wanted = [p.behaviour for p in priorities]
    proposals, excluded = [], []
    for candidate in candidates:
        if role not in candidate.roles:
            continue
        reason = _exclusion(candidate, own, neighbours)
        if reason:
            excluded.append(Excluded(candidate, reason))
            continue
        covered = tuple(b for b in wanted if b in candidate.strengths)
        proposals.append(
            Proposal(candidate, covered, len(covered) / len(wanted) if wanted else 0.0)
        )
    proposals.sort(
        key=lambda p: (
            -len(p.covered),
            -p.candidate.spare,
            p.candidate.name.casefold(),
            p.candidate.id,
        )
    )
    excluded.sort(key=lambda e: (e.reason, e.candidate.name.casefold(), e.candidate.id))
    return Matching(tuple(priorities), tuple(proposals), tuple(excluded))


def _exclusion(candidate: Candidate, own: str, neighbours: set[str]) -> str | None:
    key = authority_key(candidate.authority)
    if key == own:
        return OWN
    if key in neighbours:
        return NEIGHBOUR
    if candidate.spare <= 0:
        return FULL
    return None
