"""The exact differencing audit over every figure a viewer can obtain (docs/design.md §3.3).

Each published figure of a 360 report is a linear function of raters' item levels: an item
figure is the sum of the levels its raters gave that item, a behaviour figure the sum of each
rater's own mean over the items they rated (so rater r's level on item i weighs 1/m_r, m_r being
how many of the behaviour's items r rated). Cohort rows and change over time reuse "others"
figures of frozen reports, so one participant's whole set of outputs is one linear system per
behaviour. Individually shown raters (self, line manager) are public by design: their values are
known, so they are removed from the system, which is exactly what subtracting them would do.

The question the audit answers: can some combination of the published figures be a function of
fewer than k of the remaining raters? A set T of raters can be isolated exactly when the figures'
row space holds a non-zero vector that involves only T's values, i.e. when dropping T's columns
lowers the rank of the figure matrix. Every set of k-1 raters is tried, which is cheap for the
group sizes a 360 has (with 40 raters and k = 3, 780 small rank computations).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .results import ParticipantResult

if TYPE_CHECKING:
    from .scoring import RaterAnswers

MAX_AUDITED_RATERS = 60  # beyond this the subsets are too many; callers withhold instead


@dataclass(frozen=True)
class Figure:
    """One published sum: over which raters, of which items, for which behaviour, from where."""

    behaviour: str
    raters: frozenset[int]
    items: tuple[str, ...]  # one item for an item figure; the behaviour's items otherwise
    kind: str  # "item" or "behaviour"
    source: str = "report"


@dataclass(frozen=True)
class Leak:
    """A set of raters some combination of published figures describes on its own."""

    behaviour: str
    raters: frozenset[int]


def _columns(
    rated: Mapping[int, frozenset[str]], private: Sequence[int], items: Sequence[str]
) -> list[tuple[int, str]]:
    return [(r, i) for r in private for i in items if i in rated[r]]


def _matrix(
    figures: Sequence[Figure], columns: list[tuple[int, str]], rated: Mapping[int, frozenset[str]]
) -> np.ndarray:
    index = {column: n for n, column in enumerate(columns)}
    matrix = np.zeros((len(figures), len(columns)))
    for row, figure in enumerate(figures):
        for rater in figure.raters:
            for item in figure.items:
                column = index.get((rater, item))
                if column is None:
                    continue
                weight = (
                    1.0 if figure.kind == "item" else 1.0 / len(rated[rater] & set(figure.items))
                )
                matrix[row, column] = weight
    return matrix


def isolated_sets(
    figures: Iterable[Figure], rated: Mapping[int, frozenset[str]], public: set[int], k: int
) -> list[Leak]:
    """Every set of 1..k-1 non-public raters that published figures single out, per behaviour.

    `rated[r]` is the set of items rater r gave a level (for every behaviour at once).
    """
    by_behaviour: dict[str, list[Figure]] = {}
    for figure in figures:
        by_behaviour.setdefault(figure.behaviour, []).append(figure)
    leaks = []
    for behaviour, group in by_behaviour.items():
        items = sorted({i for f in group for i in f.items})
        private = sorted({r for f in group for r in f.raters} - public)
        if len(private) > MAX_AUDITED_RATERS:
            leaks.append(Leak(behaviour, frozenset(private)))
            continue
        columns = _columns(rated, private, items)
        matrix = _matrix(group, columns, rated)
        rank = np.linalg.matrix_rank(matrix) if matrix.size else 0
        if not rank:
            continue
        owner = np.array([r for r, _ in columns])
        # A superset of an isolated set is isolated too, so sets of exactly k - 1 (or all the
        # raters, when there are fewer) cover every case.
        for chosen in itertools.combinations(private, min(k - 1, len(private))):
            rest = matrix[:, ~np.isin(owner, chosen)]
            if (np.linalg.matrix_rank(rest) if rest.size else 0) < rank:
                leaks.append(Leak(behaviour, frozenset(chosen)))
    return leaks


def report_figures(
    raters: Sequence[RaterAnswers], result: ParticipantResult, individual: set[str]
) -> tuple[list[Figure], dict[int, frozenset[str]], set[int]]:
    """(figures, items rated by rater index, public rater indexes) of a `score_participant` result.

    Rebuilt from the raters and the published groups, independently of how scoring chose them,
    so the audit checks what was published rather than trusting the code that published it.
    """
    from .scoring import behaviour_score, parse_rater

    parsed = [parse_rater(r) for r in raters]
    rated = {n: frozenset(p.levels) for n, p in enumerate(parsed)}
    public = {
        n for n, p in enumerate(parsed) if p.relationship == "self" or p.relationship in individual
    }
    figures: list[Figure] = []
    for bid, row in result["behaviours"].items():
        items = tuple(row["items"])
        counted: dict[str, set[int]] = {}
        for gid, group in row["groups"].items():
            counted[gid] = {
                n
                for n, p in enumerate(parsed)
                if p.relationship in group["relationships"]
                and behaviour_score(p, list(items)) is not None
            }
            if group["mean"] is not None:
                figures.append(Figure(bid, frozenset(counted[gid]), items, "behaviour"))
        if row["others"] is not None:
            everyone = frozenset().union(*counted.values()) if counted else frozenset()
            figures.append(Figure(bid, everyone, items, "behaviour", "others, cohort, change"))
        for item_id in items:
            shown = result["items"][item_id]
            members: set[int] = set()
            for gid, cell in shown["groups"].items():
                who = frozenset(n for n in counted.get(gid, ()) if item_id in rated[n])
                members |= who
                if cell["mean"] is not None:
                    figures.append(Figure(bid, who, (item_id,), "item"))
            if shown["others"] is not None:
                figures.append(Figure(bid, frozenset(members), (item_id,), "item", "others"))
    return figures, rated, public


def audit_result(
    raters: Sequence[RaterAnswers], result: ParticipantResult, individual: set[str], k: int
) -> list[Leak]:
    """Every isolating combination in one participant's published figures (empty when safe)."""
    figures, rated, public = report_figures(raters, result, individual)
    return isolated_sets(figures, rated, public, k)
