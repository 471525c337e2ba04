"""Levelled 360 scoring of one participant (docs/design.md §3-4): groups, gaps, distance to travel.

A rater's behaviour score is the mean of the levels they gave its items, and they count for the
behaviour only when they gave a level to at least half of them. "Not observed" is never a score:
it is left out of every mean and reported as a rate. Group statistics are over rater scores: n,
mean and sample SD (the SD only from k + 2 raters; never a minimum or maximum, each of which would
be one rater's rating). Which groups appear is decided in `anonymity`;
everything here is computed only from published groups, so "others" (every non-self rater) is
exactly the union of the groups shown. Numbers are left unrounded for the presentation layer.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from instruments.model import LEVEL_CODES, LINE_MANAGER, NOT_OBSERVED, Instrument
from instruments.settings import effective_settings
from instruments.types import type_of

from .anonymity import (
    Block,
    individual_relationships,
    partition,
    relationship_labels,
    safe_item_cells,
)
from .results import (
    BehaviourRow,
    Change,
    GroupRow,
    ItemRow,
    ParticipantResult,
    PoolNote,
    Readiness,
    Stats,
    TopItem,
)

# Means are averages of small integers; this absorbs float noise at the blind-spot boundary.
BOUNDARY_TOLERANCE = 1e-9
# Reports show levels to one decimal place; a gap is taken between the figures as shown.
SHOWN_PLACES = 1


def as_shown(value: float) -> float:
    """A figure rounded as the report shows it (the same rounding as the page's formatting)."""
    return float(f"{value:.{SHOWN_PLACES}f}")


def compare_shown(
    self_level: float | None, others: float | None, threshold: float
) -> tuple[float | None, str | None]:
    """(gap, flag) from the rounded figures a reader sees: gap = shown self - shown others.

    So "You 2.3, Others 1.9" has gap +0.4 and the flag follows that gap, never a hidden
    +0.45 the reader cannot see.
    """
    if self_level is None or others is None:
        return None, None
    gap = round(as_shown(self_level) - as_shown(others), SHOWN_PLACES)
    if gap >= threshold - BOUNDARY_TOLERANCE:
        return gap, "blind_spot"
    if -gap >= threshold - BOUNDARY_TOLERANCE:
        return gap, "hidden_strength"
    return gap, None


def shown_gaps(result: ParticipantResult) -> ParticipantResult:
    """A copy of `result` with every behaviour's gap and flag taken from its shown figures.

    Reports frozen before gaps were compared as shown carry an unrounded gap; recomputing them
    from the frozen self and others figures publishes nothing new (the stored copy is untouched).
    """
    threshold = float(result.get("blind_spot_threshold", 0.5))
    behaviours: dict[str, BehaviourRow] = {}
    for bid, row in result["behaviours"].items():
        gap, flag = compare_shown(row.get("self"), row.get("others"), threshold)
        behaviours[bid] = {**row, "gap": gap, "flag": flag}
    return {**result, "behaviours": behaviours}


@dataclass
class RaterAnswers:
    """One submitted response about the participant: who the rater is to them, and the answers."""

    relationship: str
    answers: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Rater:
    relationship: str
    levels: dict[str, int]
    not_observed: set[str]


def describe(values: Sequence[float], sd_from: int = 2) -> Stats:
    """n, mean and sample SD of a list of numbers (SD only from `sd_from` values; else None).

    No minimum or maximum: over raters each would be one rater's rating (docs/design.md §3.3).
    """
    if not values:
        return {"n": 0, "mean": None, "sd": None}
    return {
        "n": len(values),
        "mean": statistics.fmean(values),
        "sd": sample_sd(values) if len(values) >= max(2, sd_from) else None,
    }


def sample_sd(values: Sequence[float]) -> float:
    """Sample standard deviation in floating point (two passes, compensated sums)."""
    # statistics.stdev works in exact fractions: over half of a 1,000-person cohort report's time,
    # for differences below the 15th significant figure (figures are shown to 2 decimals).
    centre = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))


def parse_rater(rater: RaterAnswers) -> _Rater:
    """A rater's levels by item and the items they marked "not observed" (the rest skipped)."""
    levels: dict[str, int] = {}
    not_observed: set[str] = set()
    for item_id, values in rater.answers.items():
        value = values[0] if values else None
        if value in LEVEL_CODES:
            levels[item_id] = int(value)
        elif value == NOT_OBSERVED:
            not_observed.add(item_id)
    return _Rater(rater.relationship, levels, not_observed)


def _not_observed_rate(raters: list[_Rater], items: list[str]) -> float | None:
    answered = sum(1 for r in raters for i in items if i in r.levels or i in r.not_observed)
    unseen = sum(1 for r in raters for i in items if i in r.not_observed)
    return unseen / answered if answered else None


def behaviour_score(rater: _Rater, items: list[str]) -> float | None:
    """Mean level over `items`, or None when the rater gave a level to fewer than half of them."""
    rated = [rater.levels[i] for i in items if i in rater.levels]
    return statistics.fmean(rated) if len(rated) >= math.ceil(len(items) / 2) else None


def _group_row(
    block: Block, values: Sequence[float], members: list[_Rater], items: list[str], sd_from: int
) -> GroupRow:
    return {
        "label": block.label,
        "relationships": list(block.relationships),
        **describe(values, sd_from),
        "not_observed_rate": _not_observed_rate(members, items),
    }


def score_participant(
    instrument: Instrument,
    raters: list[RaterAnswers],
    aspired_role: str | None = None,
    k: int | None = None,
    blind_spot_threshold: float | None = None,
) -> ParticipantResult:
    """The publishable levelled 360 result for one participant, as JSON-ready plain data."""
    settings = effective_settings(instrument.settings)
    k = int(settings["anonymity_threshold"] if k is None else k)
    if k < 2:
        raise ValueError(f"the anonymity threshold must be at least 2, not {k}")
    threshold = float(
        settings["blind_spot_threshold"] if blind_spot_threshold is None else blind_spot_threshold
    )
    target, role_label = _target(settings, aspired_role)
    parsed = [parse_rater(r) for r in raters]
    context = _Context(instrument, parsed, k, threshold, target)
    scored: _Scored = {"behaviours": {}, "items": {}, "pooled": []}
    for section in instrument.behaviours:
        items = [i.id for i in section.items if type_of(i).behaviour_facet]
        if items:
            context.score_behaviour(section.id, section.title, items, scored)
    highest, lowest = top_items(scored["items"])
    return {
        "behaviours": scored["behaviours"],
        "items": scored["items"],
        "pooled": scored["pooled"],
        "k": k,
        "blind_spot_threshold": threshold,
        "aspired_role": aspired_role,
        "aspired_role_label": role_label,
        "response_counts": dict(Counter(r.relationship for r in raters)),
        "highest_items": highest,
        "lowest_items": lowest,
        "readiness": readiness_summary(scored["behaviours"], target, role_label),
    }


class _Scored(TypedDict):
    """What `_Context` fills in, behaviour by behaviour, before the result is put together."""

    behaviours: dict[str, BehaviourRow]
    items: dict[str, ItemRow]
    pooled: list[PoolNote]


def _target(settings: Mapping[str, Any], aspired_role: str | None) -> tuple[int | None, str | None]:
    if not aspired_role:
        return None, None
    for role in settings.get("roles") or ():
        if role["id"] == aspired_role:
            return int(role["level"]), str(role.get("label", aspired_role))
    known = ", ".join(r["id"] for r in settings.get("roles") or ()) or "none"
    raise ValueError(f"unknown aspired role '{aspired_role}' (known roles: {known})")


class _Context:
    """What every behaviour of one participant's report shares."""

    def __init__(
        self,
        instrument: Instrument,
        parsed: list[_Rater],
        k: int,
        threshold: float,
        target: int | None,
    ) -> None:
        self.k, self.threshold, self.target = k, threshold, target
        # SD only where it reveals nothing about one rater (docs/design.md §4).
        self.sd_from = k + 2
        self.labels = relationship_labels(instrument.relationships)
        self.individual = individual_relationships(instrument.relationships)
        order = [str(r["id"]) for r in instrument.relationships]
        self.self_raters = [r for r in parsed if r.relationship == "self"]
        self.others = sorted(
            (r for r in parsed if r.relationship != "self"),
            key=lambda r: _order(order, r.relationship),
        )
        self.prompts = {i.id: i.prompt for i in instrument.items}

    def score_behaviour(self, bid: str, title: str, items: list[str], result: _Scored) -> None:
        """Add one behaviour's row, its items' rows and its pooling notes to `result`."""
        scores = {id(r): behaviour_score(r, items) for r in self.others}
        counted = Counter(r.relationship for r in self.others if scores[id(r)] is not None)
        present = list(
            dict.fromkeys(
                r.relationship
                for r in self.others
                if any(i in r.levels or i in r.not_observed for i in items)
            )
        )
        blocks, notes = partition(counted, present, self.labels, self.individual, self.k)
        result["pooled"] += [{"behaviour": bid, "item": None, **note} for note in notes]
        groups: dict[str, GroupRow] = {}
        published: list[float] = []
        for block in blocks:
            members = [r for r in self.others if r.relationship in block.relationships]
            values = [v for r in members if (v := scores[id(r)]) is not None]
            groups[block.id] = _group_row(block, values, members, items, self.sd_from)
            published += values
        self_scores = [s for r in self.self_raters if (s := behaviour_score(r, items)) is not None]
        own = describe(self_scores)["mean"]
        others_stats = describe(published, self.sd_from)
        others = others_stats["mean"]
        gap, flag = compare_shown(own, others, self.threshold)
        result["behaviours"][bid] = {
            "title": title,
            "items": items,
            "groups": groups,
            "self": own,
            "line_manager": _line_manager(groups),
            "others_stats": others_stats,
            "others": others,
            "others_n": others_stats["n"],
            "gap": gap,
            "flag": flag,
            "target": self.target,
            "distance": (
                max(0.0, self.target - others)
                if self.target is not None and others is not None
                else None
            ),
        }
        counted_members = {
            b.id: [
                r
                for r in self.others
                if r.relationship in b.relationships and scores[id(r)] is not None
            ]
            for b in blocks
        }
        self._score_items(bid, items, blocks, counted_members, result)

    def _score_items(
        self,
        bid: str,
        items: list[str],
        blocks: list[Block],
        counted_members: dict[str, list[_Rater]],
        result: _Scored,
    ) -> None:
        shown = {}
        for block in blocks:
            raters = counted_members[block.id]
            sizes = {i: sum(1 for r in raters if i in r.levels) for i in items}
            candidates = {i: n for i, n in sizes.items() if block.individual or n >= self.k}
            kept, withheld = (
                (list(candidates), [])
                if block.individual
                else safe_item_cells(
                    [frozenset(i for i in items if i in r.levels) for r in raters],
                    items,
                    candidates,
                    self.k,
                )
            )
            shown[block.id] = set(kept)
            result["pooled"] += self._item_notes(bid, block, sizes, candidates, withheld)
        for item_id in items:
            groups: dict[str, GroupRow] = {}
            published: list[float] = []
            for block in blocks:
                if item_id not in shown[block.id]:
                    continue
                members = [r for r in self.others if r.relationship in block.relationships]
                values = [
                    r.levels[item_id] for r in counted_members[block.id] if item_id in r.levels
                ]
                groups[block.id] = _group_row(block, values, members, [item_id], self.sd_from)
                published += values
            self_levels = [r.levels[item_id] for r in self.self_raters if item_id in r.levels]
            stats = describe(published, self.sd_from)
            result["items"][item_id] = {
                "behaviour": bid,
                "prompt": self.prompts.get(item_id, item_id),
                "groups": groups,
                "self": describe(self_levels)["mean"],
                "line_manager": _line_manager(groups),
                "others": stats["mean"],
                "others_n": stats["n"],
                "others_stats": stats,
            }

    def _item_notes(
        self,
        bid: str,
        block: Block,
        sizes: Mapping[str, int],
        candidates: Mapping[str, int],
        withheld: list[str],
    ) -> list[PoolNote]:
        notes: list[PoolNote] = []
        for item_id, n in sizes.items():
            if item_id not in candidates and n:
                reason = f"fewer than {self.k} of these raters rated this item"
            elif item_id in withheld:
                reason = (
                    "withheld: with the behaviour score it could reveal the answers of "
                    f"fewer than {self.k} raters who skipped items"
                )
            else:
                continue
            notes.append(
                {
                    "behaviour": bid,
                    "item": item_id,
                    "groups": list(block.relationships),
                    "reason": reason,
                }
            )
        return notes


def _line_manager(groups: Mapping[str, GroupRow]) -> float | None:
    """The line manager's figure: their group is always shown alone (docs/design.md §3.2)."""
    group = groups.get(LINE_MANAGER)
    return group["mean"] if group is not None else None


def top_items(items: Mapping[str, ItemRow], count: int = 3) -> tuple[list[TopItem], list[TopItem]]:
    """Highest and lowest rated items by others' mean, among items with a published mean."""
    ranked: list[TopItem] = [
        {
            "item": item_id,
            "behaviour": row["behaviour"],
            "prompt": row["prompt"],
            "others": others,
            "others_n": row["others_n"],
        }
        for item_id, row in items.items()
        if (others := row["others"]) is not None
    ]
    ranked.sort(key=lambda row: -row["others"])  # stable: ties keep form order
    count = min(count, len(ranked) // 2)  # never list one item as both highest and lowest
    lowest = sorted(ranked[len(ranked) - count :], key=lambda row: row["others"]) if count else []
    return ranked[:count], lowest


def readiness_summary(
    behaviours: Mapping[str, BehaviourRow], target: int | None, role_label: str | None
) -> Readiness:
    """How close others' ratings are to the aspired role's level, with a plain-English sentence."""
    scored = {bid: row for bid, row in behaviours.items() if row["others"] is not None}
    if target is None:
        return {
            "target": None,
            "role": role_label,
            "behaviours_scored": len(scored),
            "at_or_above_target": None,
            "mean_distance": None,
            "furthest": [],
            "summary": "No aspired role was given, so there is no target level to compare with.",
        }
    if not scored:
        return {
            "target": target,
            "role": role_label,
            "behaviours_scored": 0,
            "at_or_above_target": None,
            "mean_distance": None,
            "furthest": [],
            "summary": "There are not yet enough ratings from others to compare with the "
            f"{role_label} level.",
        }
    # A behaviour with others' mean and a target always has a distance.
    distances = {bid: row["distance"] or 0.0 for bid, row in scored.items()}
    reached = sum(1 for d in distances.values() if d <= BOUNDARY_TOLERANCE)
    mean_distance = statistics.fmean(distances.values())
    furthest = sorted(
        (bid for bid, d in distances.items() if d > BOUNDARY_TOLERANCE),
        key=lambda bid: -distances[bid],
    )[:3]
    summary = (
        f"Others rate you at or above the {role_label} level ({target}) on {reached} of "
        f"{len(scored)} behaviours; on average the distance still to travel is "
        f"{mean_distance:.1f} of a level."
    )
    if furthest:
        summary += " Furthest to go: " + ", ".join(behaviours[b]["title"] for b in furthest) + "."
    return {
        "target": target,
        "role": role_label,
        "behaviours_scored": len(scored),
        "at_or_above_target": reached,
        "mean_distance": mean_distance,
        "furthest": furthest,
        "summary": summary,
    }


def _order(order: list[str], relationship: str) -> tuple[int, str]:
    return (order.index(relationship) if relationship in order else len(order), relationship)


def change_over_time(
    before_result: ParticipantResult, after_result: ParticipantResult
) -> dict[str, Change]:
    """Per behaviour: others' mean then and now, and the difference, where both were published."""
    changes: dict[str, Change] = {}
    for bid, after in after_result.get("behaviours", {}).items():
        before = before_result.get("behaviours", {}).get(bid)
        if (
            before is None
            or (was := before.get("others")) is None
            or (now := after.get("others")) is None
        ):
            continue
        changes[bid] = {
            "title": after.get("title", bid),
            "before": was,
            "after": now,
            "change": now - was,
            "before_n": before.get("others_n"),
            "after_n": after.get("others_n"),
        }
    return changes
