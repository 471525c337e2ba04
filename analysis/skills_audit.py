"""The skills and talent audit summary table and the high-potential matrix (seed 001_* §8, §9)."""

from __future__ import annotations

from collections.abc import Mapping
from statistics import mean

from instruments import Instrument

from .crosstabs import (
    SUPPRESSED,
    Key,
    add_totals,
    protect,
    protect_grid,
    small_cells_exposed,
    suppression_note,
    withheld_note,
)
from .survey_results import AuditRow, AuditSummary, HipoMatrix
from .tallies import Response, applies, chosen

AREAS = (
    "leadership_attributes",
    "leadership_skills",
    "integrated_service_delivery",
    "partnership_working",
    "community_engagement",
    "political_corporate_context",
)
DIRECTIONS = (
    ("upwards", "upward"),
    ("lateral", "lateral"),
    ("another_sector", "another_sector"),
    (None, "direction_not_given"),
)
NOT_STATED = "Not stated"
OVERALL = "All respondents"
KEY_AREAS_SHOWN = 2

# Capability, from the printed levels of 001_* section 8 (Developing | Proficient | Advanced),
# coded 1, 3, 5 on the 1-5 measure that the five-point option and version 2 also use; a point in
# between (2, 4) counts as the lower level, as it is "not yet" the higher one. A person is placed
# by the level they gave most of the areas they rated, not by their mean: six ratings averaged
# almost always land near "proficient" (34 of the 36 demo respondents did), and the matrix is
# for seeing "the broad numbers in each category" (section 9), which a mean hides.
LEVEL_OF = {1: "developing", 2: "developing", 3: "proficient", 4: "proficient", 5: "advanced"}
MIN_AREAS_RATED = 3  # at least half of the six areas, as for 360 behaviours
CUT_POINTS = (
    "Capability: Advanced when at least half of the areas a person rated are at Advanced and "
    "fewer than half at Developing; Developing the other way round; Proficient otherwise (a "
    "point between two levels counts as the lower; at least 3 of the 6 areas rated). "
    "Aspiration: from the career progression questions"
)

CAPABILITY = (("advanced", "Advanced"), ("proficient", "Proficient"), ("developing", "Developing"))
ASPIRATION = (
    ("not_looking", "Not looking to advance"),
    ("later_or_lateral", "Not in the next two years, lateral or another sector"),
    ("upwards_soon", "Upwards within two years"),
)
PROMPTS = {
    ("advanced", "upwards_soon"): "Ready and wanting to step up: are there enough senior roles, "
    "acting-up chances and sponsors in the region to keep this talent here?",
    ("advanced", "later_or_lateral"): "Strong but not stepping up soon: what would make a senior "
    "role attractive, and could a secondment or project keep them growing in the sector?",
    ("advanced", "not_looking"): "Strong and not looking to advance: what lies behind that, and "
    "could they share their experience as coaches, mentors or action learning facilitators?",
    ("proficient", "upwards_soon"): "Keen with solid skills: which framework areas need stretching "
    "and which placements, shadowing or mentoring would close the gap within two years?",
    ("proficient", "later_or_lateral"): "Solid and keeping options open: how can they see what AD "
    "and DCS roles are really like and stay engaged with development?",
    ("proficient", "not_looking"): "Solid and settled: how are they kept valued in role, and is "
    "anything about senior posts putting them off that the region could change?",
    ("developing", "upwards_soon"): "Ambitious but still developing: what honest conversation and "
    "structured development (coaching, action learning) would make the ambition realistic?",
    ("developing", "later_or_lateral"): "Developing and not in a hurry: which opportunities would "
    "build their capability in their current role first?",
    ("developing", "not_looking"): "Developing and not looking to advance: what support do they "
    "need to be effective in their current post?",
}


def capability_band(response: Response) -> str | None:
    """developing / proficient / advanced from the levels self-rated, or None if too few rated."""
    levels = [
        LEVEL_OF[int(v[0])]
        for area in AREAS
        if (v := response.get(area)) and v[0].isdigit() and int(v[0]) in LEVEL_OF
    ]
    if len(levels) < MIN_AREAS_RATED:
        return None
    advanced = 2 * levels.count("advanced") >= len(levels)
    developing = 2 * levels.count("developing") >= len(levels)
    if advanced != developing:
        return "advanced" if advanced else "developing"
    return "proficient"


def aspiration_band(response: Response) -> str | None:
    """not_looking / later_or_lateral / upwards_soon from the career questions, or None."""
    progression = response.get("career_progression", [])
    direction = response.get("move_direction", [])
    if "not_foreseeable" in progression:
        return "not_looking"
    if "no" in progression:
        return "later_or_lateral"
    if "yes" in progression and direction:
        return "upwards_soon" if direction[0] == "upwards" else "later_or_lateral"
    return None


def hipo_matrix(instrument: Instrument, responses: list[Response], k: int) -> HipoMatrix:
    """3×3 counts of capability × aspiration with prompts; 1..k-1 and complements hidden.

    Only cells are hidden for being small: the margins are one-way counts of the kind survey
    tallies publish anyway, and are hidden only when a cell could otherwise be worked out.
    """
    rows, cols = [c for c, _ in CAPABILITY], [a for a, _ in ASPIRATION]
    values: dict[Key, int] = {(r, c): 0 for r in rows for c in cols}
    unclassified = 0
    for response in responses:
        capability, aspiration = capability_band(response), aspiration_band(response)
        if capability is None or aspiration is None:
            unclassified += 1
        else:
            values[(capability, aspiration)] += 1
    add_totals(values, rows, cols)
    hidden, withheld = protect_grid(values, rows, cols, k)
    labels = dict(CAPABILITY) | dict(ASPIRATION)

    def shown(key: Key) -> int | None:
        return None if key in hidden else values[key]

    return {
        "rows": [labels[r] for r in rows],
        "columns": [labels[c] for c in cols],
        "cells": {
            labels[r]: {
                labels[c]: {
                    "n": shown((r, c)),
                    "prompt": PROMPTS[(r, c)],
                    "flag": SUPPRESSED if (r, c) in hidden else None,
                }
                for c in cols
            }
            for r in rows
        },
        "row_totals": {labels[r]: shown((r, "*")) for r in rows},
        "column_totals": {labels[c]: shown(("*", c)) for c in cols},
        "total": shown(("*", "*")),
        "unclassified": unclassified,
        "threshold": k,
        "cut_points": CUT_POINTS,
        "withheld": withheld,
        "note": withheld_note(k) if withheld else suppression_note(k) if hidden else "",
    }


def _group_of(instrument: Instrument, by: str, response: Response) -> str:
    item = instrument.item(by)
    if item.options:
        codes = chosen(item, response)
        return item.option_label(codes[0]) if codes else NOT_STATED
    text = " ".join(" ".join(response.get(by, [])).split())
    return text or NOT_STATED


def _count_row(instrument: Instrument, members: list[Response]) -> dict[str, int]:
    counts = {"interested": sum(1 for r in members if "yes" in r.get("career_progression", []))}
    for code, column in DIRECTIONS:
        counts[column] = sum(
            1
            for r in members
            if "yes" in r.get("career_progression", [])
            and (r.get("move_direction", [None]) or [None])[0] == code
        )
    reasons = instrument.item("reasons_not")
    for option in reasons.options:
        counts[f"reason:{option.label}"] = sum(
            1
            for r in members
            if applies(instrument, reasons, r) and option.code in r.get(reasons.id, [])
        )
    interest = instrument.item("development_interest")
    for group in interest.groups:
        counts[f"development:{group.label}"] = sum(
            1 for r in members if set(chosen(interest, r)) & set(group.codes)
        )
    return counts


def key_development_areas(
    instrument: Instrument, members: list[Response], k: int
) -> list[str] | None:
    """The weakest framework areas by mean self-rating, or None when fewer than k rated any."""
    rated = [r for r in members if any(r.get(area) for area in AREAS)]
    if len(rated) < k:
        return None
    means: dict[str, float] = {}
    for area in AREAS:
        scores = [int(r[area][0]) for r in rated if r.get(area) and r[area][0].isdigit()]
        if scores:
            means[area] = mean(scores)
    ranked = sorted(means.values())
    if not ranked:
        return []
    cut = ranked[min(KEY_AREAS_SHOWN, len(ranked)) - 1]
    return [instrument.item(a).prompt for a in AREAS if a in means and means[a] <= cut]


def audit_summary(
    instrument: Instrument,
    responses: list[Response],
    organisational_hipo: dict[str, int],
    k: int,
    by: str = "sub_region",
) -> AuditSummary:
    """The §8 summary table by sub-region (or organisation), small counts and complements hidden.

    Group counts are hidden when 1..k-1 (the all-respondents row is a one-way tally and is only
    hidden as a complement). `organisational_hipo` is the commissioner's own count per group
    (keyed by option label or code) and is shown as given.
    Self-identified high potential = looking to move upwards within two years (the career question
    is already about the next two years), so it equals the upward-move column.
    """
    groups: dict[str, list[Response]] = {}
    for response in responses:
        groups.setdefault(_group_of(instrument, by, response), []).append(response)
    item = instrument.item(by)
    organisational_hipo = {
        item.option_label(g) if item.options else g: n for g, n in organisational_hipo.items()
    }
    order = [o.label for o in item.options] + [NOT_STATED] if item.options else sorted(groups)
    names = [g for g in order if g in groups or g in organisational_hipo]
    names += sorted(set(organisational_hipo) - set(names))
    counts = {
        g: {"respondents": len(groups.get(g, [])), **_count_row(instrument, groups.get(g, []))}
        for g in names
    }
    counts[OVERALL] = {"respondents": len(responses), **_count_row(instrument, responses)}
    columns = list(counts[OVERALL])
    values = {(g, col): n for g, row in counts.items() for col, n in row.items()}
    lines = [([(g, col) for g in names], (OVERALL, col)) for col in columns]
    lines += [([(g, column) for _, column in DIRECTIONS], (g, "interested")) for g in counts]
    by_group = [key for key in values if key[0] != OVERALL]
    overall = [key for key in values if key[0] == OVERALL]
    # A group of fewer than k is hidden whole, its size and zeros included: "hidden" beside a
    # visible zero would read as "chose it", and one respondent's row is that person's answers.
    small = {key for key in by_group if 0 < counts[key[0]]["respondents"] < k}
    hidden = protect(values, lines, by_group, k, keep=overall, start=small)
    if small_cells_exposed(values, lines, by_group, hidden, k, small):
        hidden |= set(by_group)  # the overall figures alone give the small group away
    members = {**{g: groups.get(g, []) for g in names}, OVERALL: responses}
    rows = [
        _summary_row(instrument, g, members[g], organisational_hipo, values, hidden, k)
        for g in members
    ]
    return {"by": by, "threshold": k, "rows": rows, "note": suppression_note(k) if hidden else ""}


def _summary_row(
    instrument: Instrument,
    group: str,
    members: list[Response],
    organisational_hipo: Mapping[str, int],
    values: Mapping[Key, int],
    hidden: set[Key],
    k: int,
) -> AuditRow:
    def shown(column: str) -> int | None:
        return None if (group, column) in hidden else values[(group, column)]

    columns = [col for (g, col) in values if g == group and col != "respondents"]
    organisational = (
        sum(organisational_hipo.values()) if group == OVERALL else organisational_hipo.get(group)
    )
    return {
        "group": group,
        "respondents": shown("respondents"),
        "hipo_organisational": organisational,
        "hipo_self": shown("upward"),
        "interested": shown("interested"),
        # The columns of DIRECTIONS, in its order.
        "upward": shown("upward"),
        "lateral": shown("lateral"),
        "another_sector": shown("another_sector"),
        "direction_not_given": shown("direction_not_given"),
        "key_development_areas": key_development_areas(instrument, members, k),
        "development_opportunities": {
            c.split(":", 1)[1]: shown(c) for c in columns if c.startswith("development:")
        },
        "reasons_not_advancing": {
            c.split(":", 1)[1]: shown(c) for c in columns if c.startswith("reason:")
        },
        "suppressed": sorted(c for c in columns if (group, c) in hidden),
    }
