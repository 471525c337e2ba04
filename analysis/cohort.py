"""Cohort views of a 360 (docs/design.md §4): behaviour distributions, heat map, reliability.

Cohort figures are built only from each participant's *published* others' means, so they add no
differencing route of their own. Each participant's means are also centred on their own mean
across behaviours before aggregating ("normalised"), so a generous or severe set of raters does
not make one behaviour look like a cohort strength. A behaviour's cohort distribution is shown only
when at least k participants have a published mean for it.

The technical note (reliability) uses raw non-self rater answers and is described in
`technical_note`.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Iterable, Mapping, Sequence

from instruments.model import Instrument
from instruments.types import type_of

from .reliability import cronbach_alpha, icc_oneway, krippendorff_alpha_ordinal
from .results import (
    CohortBehaviour,
    CohortSummary,
    HeatMap,
    ParticipantResult,
    Profile,
    Reliability,
    TechnicalNote,
)
from .scoring import RaterAnswers, _Rater, behaviour_score, describe, parse_rater


def _behaviour_items(instrument: Instrument) -> dict[str, list[str]]:
    found = {
        s.id: [i.id for i in s.items if type_of(i).behaviour_facet] for s in instrument.behaviours
    }
    return {bid: items for bid, items in found.items() if items}


def participant_profile(result: ParticipantResult) -> Profile:
    """A participant's published others' means, raw and centred on their own mean."""
    raw = {
        bid: others
        for bid, row in result["behaviours"].items()
        if (others := row.get("others")) is not None
    }
    if len(raw) < 2:
        return {"raw": raw, "normalised": {}}
    centre = statistics.fmean(raw.values())
    return {"raw": raw, "normalised": {bid: value - centre for bid, value in raw.items()}}


def cohort_summary(
    instrument: Instrument,
    participant_results: Mapping[str, ParticipantResult],
    k: int,
    raters_by_participant: Mapping[str, Sequence[RaterAnswers]] | None = None,
) -> CohortSummary:
    """Per-behaviour cohort distributions, strongest/weakest behaviours and the heat map."""
    titles = {s.id: s.title for s in instrument.behaviours}
    behaviour_ids = list(_behaviour_items(instrument))
    profiles = {pid: participant_profile(r) for pid, r in participant_results.items()}
    behaviours: dict[str, CohortBehaviour] = {}
    for bid in behaviour_ids:
        raw = [p["raw"][bid] for p in profiles.values() if bid in p["raw"]]
        normalised = [p["normalised"][bid] for p in profiles.values() if bid in p["normalised"]]
        shown = len(raw) >= k
        behaviours[bid] = {
            "title": titles[bid],
            "participants": len(raw),
            "shown": shown,
            "raw": describe(raw) if shown else None,
            "normalised": describe(normalised) if shown and normalised else None,
        }
    means = {
        bid: stats["mean"]
        for bid, row in behaviours.items()
        if (stats := row["normalised"]) and stats["mean"] is not None
    }
    ranked = sorted(means, key=lambda bid: -means[bid])
    count = min(3, len(ranked) // 2)
    summary: CohortSummary = {
        "k": k,
        "participants": len(participant_results),
        "behaviours": behaviours,
        "strongest": ranked[:count],
        "weakest": list(reversed(ranked[len(ranked) - count :])) if count else [],
        "heat_map": heat_map(profiles, behaviour_ids, titles),
    }
    if raters_by_participant is not None:
        summary["technical_note"] = technical_note(instrument, raters_by_participant)
    return summary


def heat_map(
    profiles: Mapping[str, Profile], behaviour_ids: Sequence[str], titles: Mapping[str, str]
) -> HeatMap:
    """Participants x behaviours matrices (raw and normalised; None where nothing is published)."""
    participants = sorted(profiles)
    return {
        "participants": participants,
        "behaviours": list(behaviour_ids),
        "titles": [titles[b] for b in behaviour_ids],
        "raw": [[profiles[p]["raw"].get(b) for b in behaviour_ids] for p in participants],
        "normalised": [
            [profiles[p]["normalised"].get(b) for b in behaviour_ids] for p in participants
        ],
    }


def pseudonyms(ids: Iterable[str], seed: str) -> dict[str, str]:
    """'Participant A', 'Participant B', ... in an order fixed by the seed but unrelated to ids."""
    ordered = sorted(set(ids), key=lambda i: hashlib.sha256(f"{seed}\0{i}".encode()).hexdigest())
    return {pid: f"Participant {_letters(n)}" for n, pid in enumerate(ordered)}


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


METHOD = (
    "Computed from raters other than the participant themself; 'not observed' counts as missing. "
    "Cronbach's alpha: one row per rater response, one column per item of the behaviour, rows with "
    "a missing item dropped. ICC(1) and ICC(1,k): one-way random effects with participants as "
    "targets and each counted rater's behaviour score as a rating; groups are unequal in size, so "
    "k is the ANOVA's adjusted mean group size k0 (reported as k_used). Krippendorff's alpha "
    "(ordinal): each participant x item is a unit whose values are the levels their raters gave; "
    "missing values allowed, units with one value carry no information."
)


def technical_note(
    instrument: Instrument, raters_by_participant: Mapping[str, Sequence[RaterAnswers]]
) -> TechnicalNote:
    """Cronbach's alpha, ICC(1), ICC(1,k) and Krippendorff's alpha per behaviour, with method."""
    parsed = {
        pid: [parse_rater(r) for r in raters if r.relationship != "self"]
        for pid, raters in raters_by_participant.items()
    }
    return technical_note_parsed(instrument, parsed)


def technical_note_parsed(
    instrument: Instrument, parsed: Mapping[str, Sequence[_Rater]]
) -> TechnicalNote:
    """`technical_note` from raters already parsed, self-assessments left out (a stream's form)."""
    behaviours: dict[str, Reliability] = {}
    for bid, items in _behaviour_items(instrument).items():
        rows = [[r.levels.get(i) for i in items] for raters in parsed.values() for r in raters]
        groups = [
            [s for s in (behaviour_score(r, items) for r in raters) if s is not None]
            for raters in parsed.values()
        ]
        units = [
            [r.levels[i] for r in raters if i in r.levels]
            for raters in parsed.values()
            for i in items
        ]
        behaviours[bid] = {
            "cronbach": cronbach_alpha(rows),
            "icc": icc_oneway(groups),
            "krippendorff_ordinal": krippendorff_alpha_ordinal(_coders(units)),
        }
    return {"method": METHOD, "behaviours": behaviours}


def _coders(units: list[list[int]]) -> list[list[int | None]]:
    """Coders x units data from each unit's values (alpha depends only on each unit's values)."""
    depth = max((len(u) for u in units), default=0)
    return [[u[row] if row < len(u) else None for u in units] for row in range(depth)]


def cohort_items(instrument: Instrument) -> set[str]:
    """The levelled items the cohort figures and the technical note read (behaviours' items)."""
    return {item for items in _behaviour_items(instrument).values() for item in items}
