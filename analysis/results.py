"""The shapes of the 360 results analysis returns: stored as JSON in frozen reports, read by key.

These are TypedDicts rather than dataclasses because a result is kept as JSON (`frozen_reports`,
docs/design.md §3.3) and templates, exports and the CLI read it back by key: at run time each is
a plain dict, built in the same key order as always, so the stored JSON does not change.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired[...] at run time only
# from evaluated annotations (for __required_keys__).
from typing import NotRequired, TypedDict


class Stats(TypedDict):
    """n, mean and sample SD of a set of figures (no minimum or maximum, docs/design.md §3.3)."""

    n: int
    mean: float | None
    sd: float | None


class GroupRow(TypedDict):
    """One published group's figures for a behaviour or an item."""

    label: str
    relationships: list[str]
    n: int
    mean: float | None
    sd: float | None
    not_observed_rate: float | None


class PartitionNote(TypedDict):
    """What `anonymity.partition` did with a behaviour's small groups, and why."""

    groups: list[str]
    reason: str
    kind: str


class PoolNote(TypedDict):
    """A note on groups pooled, folded or left out (of a behaviour, or withheld for an item)."""

    behaviour: str
    item: str | None
    groups: list[str]
    reason: str
    kind: NotRequired[str]  # behaviour notes only


class BehaviourRow(TypedDict):
    """One behaviour of a participant's result."""

    title: str
    items: list[str]
    groups: dict[str, GroupRow]
    self: float | None
    line_manager: float | None
    others_stats: Stats
    others: float | None
    others_n: int
    gap: float | None
    flag: str | None
    target: int | None
    distance: float | None


class ItemRow(TypedDict):
    """One levelled item of a participant's result."""

    behaviour: str
    prompt: str
    groups: dict[str, GroupRow]
    self: float | None
    line_manager: float | None
    others: float | None
    others_n: int
    others_stats: Stats


class TopItem(TypedDict):
    """An item among the highest or lowest rated by others."""

    item: str
    behaviour: str
    prompt: str
    others: float
    others_n: int


class Readiness(TypedDict):
    """How close others' ratings are to the aspired role's level, with a sentence."""

    target: int | None
    role: str | None
    behaviours_scored: int
    at_or_above_target: int | None
    mean_distance: float | None
    furthest: list[str]
    summary: str


class ParticipantResult(TypedDict):
    """`scoring.score_participant`: the publishable levelled 360 result of one participant."""

    behaviours: dict[str, BehaviourRow]
    items: dict[str, ItemRow]
    pooled: list[PoolNote]
    k: int
    blind_spot_threshold: float
    aspired_role: str | None
    aspired_role_label: str | None
    response_counts: dict[str, int]
    highest_items: list[TopItem]
    lowest_items: list[TopItem]
    readiness: Readiness


class Change(TypedDict):
    """One behaviour's others' mean in an earlier and a later frozen report."""

    title: str
    before: float
    after: float
    change: float
    before_n: int | None
    after_n: int | None


class Profile(TypedDict):
    """A participant's published others' means, raw and centred on their own mean."""

    raw: dict[str, float]
    normalised: dict[str, float]


class CohortBehaviour(TypedDict):
    """One behaviour across a cohort (figures only when at least k participants have one)."""

    title: str
    participants: int
    shown: bool
    raw: Stats | None
    normalised: Stats | None


class HeatMap(TypedDict):
    """Participants x behaviours matrices of published means (None where none is published)."""

    participants: list[str]
    behaviours: list[str]
    titles: list[str]
    raw: list[list[float | None]]
    normalised: list[list[float | None]]


class Cronbach(TypedDict):
    """Cronbach's alpha over complete rows (None when undefined), with the rows and items used."""

    alpha: float | None
    n: int
    items: int


class Icc(TypedDict):
    """ICC(1) and ICC(1,k) of a one-way random-effects ANOVA (see `reliability.icc_oneway`)."""

    icc1: float | None
    icc1k: float | None
    k_used: float | None
    targets: int
    ratings: int
    msb: NotRequired[float]
    msw: NotRequired[float]


class Reliability(TypedDict):
    """One behaviour's reliability figures."""

    cronbach: Cronbach
    icc: Icc
    krippendorff_ordinal: float | None


class TechnicalNote(TypedDict):
    """Reliability per behaviour and how it was computed."""

    method: str
    behaviours: dict[str, Reliability]


class CohortSummary(TypedDict):
    """`cohort.cohort_summary`: distributions, strongest and weakest behaviours, heat map."""

    k: int
    participants: int
    behaviours: dict[str, CohortBehaviour]
    strongest: list[str]
    weakest: list[str]
    heat_map: HeatMap
    technical_note: NotRequired[TechnicalNote]
