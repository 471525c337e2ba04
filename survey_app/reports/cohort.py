"""The commissioners' cohort view: behaviour distributions, heat map, support wanted, reliability.

Cohort figures are built from each participant's published result only (see analysis.cohort), so
they open no differencing route the participant reports do not already close. Participant names
appear only for viewers allowed to see them; everyone else sees stable pseudonyms.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import select

from analysis.cohort import pseudonyms
from analysis.results import CohortSummary
from instruments import Instrument

from ..bounded_cache import BoundedCache
from ..campaigns.services import campaign_instrument
from ..extensions import db
from ..models import Campaign, Participant
from .plan import support_counts, support_from_plans
from .store import current_summary, stored_cohort

PER_PAGE = 50  # heat-map rows per page: 5,000 participants must not make a 5 MB page

Table = tuple[str, list[str], list[list]]


@dataclass(frozen=True)
class CohortMember:
    """A participant as the cohort page lists them (plain values: audit commits expire rows)."""

    id: str
    name: str
    report_released: bool


@dataclass
class HeatMapPage:
    """One page of the heat map: its participants (display order) and both tables' rows."""

    number: int
    pages: int
    first: int
    last: int
    total: int
    summary: dict
    tables: dict[str, Table]
    participants: list[CohortMember] = field(default_factory=list)


@dataclass
class CohortReport:
    """What the cohort page, PDF and exports show, from the stored figures and this viewer."""

    campaign: Campaign
    instrument: Instrument
    participants: list[CohortMember]
    summary: dict
    names: dict[str, str]
    names_shown: bool
    support: dict
    computed_at: datetime | None = None
    updating: bool = False

    @property
    def computed_text(self) -> str:
        """'Computed 1 Dec 2026 at 16:40' (UTC), for the page and the PDF."""
        at = self.computed_at
        return f"Computed {at.day} {at:%b %Y} at {at:%H:%M} UTC" if at else ""

    def tables(self) -> dict[str, Table]:
        """Aggregate tables by key: (title, header, rows), as the page and exports show them."""
        return {
            "behaviours": behaviour_table(self.summary),
            "heat_map": heat_map_table(self.summary, self.names),
            **self.summary_tables(),
        }

    def summary_tables(self) -> dict[str, Table]:
        """The tables that do not grow with the cohort: support wanted and reliability."""
        return {
            "behaviours": behaviour_table(self.summary),
            "support": (
                "Support wanted in development plans",
                ["Support", "Participants wanting it"],
                [[row["label"], row["participants"]] for row in self.support["rows"]],
            ),
            "reliability": reliability_table(self.summary),
        }

    def page_tables(self) -> dict[str, Table]:
        """The tables plus the relative heat map (both heat maps are downloads of the page)."""
        return {
            **self.tables(),
            "heat_map_relative": heat_map_table(self.summary, self.names, relative=True),
        }

    def heat_map_page(self, number: int, per_page: int = PER_PAGE) -> HeatMapPage:
        """Page `number` (from 1, kept in range) of the heat map, in the tables' name order."""
        grid = self.summary["heat_map"]
        order = sorted(
            range(len(grid["participants"])),
            key=lambda n: str(
                self.names.get(grid["participants"][n], grid["participants"][n])
            ).casefold(),
        )
        pages = max(1, math.ceil(len(order) / per_page))
        number = min(max(number, 1), pages)
        chosen = order[(number - 1) * per_page : number * per_page]
        sliced = {
            **grid,
            **{
                key: [grid[key][n] for n in chosen] for key in ("participants", "raw", "normalised")
            },
        }
        summary = {**self.summary, "heat_map": sliced}
        people = {p.id: p for p in self.participants}
        return HeatMapPage(
            number,
            pages,
            (number - 1) * per_page + 1 if chosen else 0,
            (number - 1) * per_page + len(chosen),
            len(order),
            summary,
            {
                "heat_map": heat_map_table(summary, self.names),
                "heat_map_relative": heat_map_table(summary, self.names, relative=True),
            },
            [people[pid] for pid in sliced["participants"] if pid in people],
        )


_charts: BoundedCache[dict[str, dict]] = BoundedCache(64)  # recent pages' figures


def heat_map_charts(report: CohortReport, heat: HeatMapPage) -> dict[str, dict]:
    """The page's two heat-map figures (raw, normalised) as plain JSON-ready dicts.

    Kept per process for recent pages: building plotly figures costs more than the rest of
    the page, and a page's figures change only with the stored figures or the names shown.
    """
    from analysis.report_charts import heat_map_chart  # plotly: loaded when a chart is drawn

    from ..charts.routes import figure_json

    grid = heat.summary["heat_map"]
    key = (
        report.campaign.id,
        report.computed_at,
        report.names_shown,
        tuple((pid, report.names.get(pid, pid)) for pid in grid["participants"]),
    )
    summary = cast(CohortSummary, heat.summary)  # the stored summary, one page of heat map

    def draw() -> dict[str, dict]:
        return {
            "raw": json.loads(figure_json(heat_map_chart(summary, report.names)[0])),
            "normalised": json.loads(
                figure_json(heat_map_chart(summary, report.names, normalised=True)[0])
            ),
        }

    return _charts.get_or_build(key, draw)


def cohort_report(campaign: Campaign, names_shown: bool) -> CohortReport | None:
    """The stored cohort view of a 360 campaign with names or pseudonyms (None: not yet computed).

    The store holds ids only; names are looked up now, for viewers allowed them (docs/design.md
    §3). Participants erased since the computation are left out at once.
    """
    stored = stored_cohort(campaign)
    if stored.data is None:
        return None
    ids = stored.data["participants"]
    # Plain rows, not ORM objects: thousands of them, read once.
    found = {
        row.id: row
        for row in db.session.execute(
            select(
                Participant.id,
                Participant.name,
                Participant.report_released,
                Participant.development_plan,
            ).where(Participant.campaign_id == campaign.id)
        )
    }
    rows = [found[pid] for pid in ids if pid in found]
    summary = _present(stored.data["summary"], set(found))
    names = (
        {p.id: p.name for p in rows}
        if names_shown
        else pseudonyms([p.id for p in rows], seed=campaign.id)
    )
    members = [CohortMember(p.id, p.name, p.report_released) for p in rows]
    return CohortReport(
        campaign,
        campaign_instrument(campaign),
        members,
        summary,
        names,
        names_shown,
        support_from_plans(p.development_plan for p in rows),
        stored.computed_at,
        stored.updating,
    )


def _present(summary: dict, present: set[str]) -> dict:
    """The summary with heat-map rows of participants no longer in the campaign taken out."""
    grid = summary["heat_map"]
    keep = [n for n, pid in enumerate(grid["participants"]) if pid in present]
    if len(keep) == len(grid["participants"]):
        return summary
    return {
        **summary,
        "heat_map": {
            **grid,
            **{key: [grid[key][n] for n in keep] for key in ("participants", "raw", "normalised")},
        },
    }


def cohort_json(campaign: Campaign, participants: list[Participant]) -> dict:
    """The cohort part of `report_360_json` (heat map rows keyed by participant id).

    The stored figures when they are up to date, else computed now by the job's own function.
    """
    return {**current_summary(campaign), "support": support_counts(participants)}


def behaviour_table(summary: dict) -> tuple[str, list[str], list[list]]:
    """Per behaviour: participants with a published score, cohort mean, spread, relative mean.

    No lowest or highest column: outputs publish no minimum or maximum (docs/design.md §3.3).
    """
    header = ["Behaviour", "Participants", "Mean level", "SD", "Relative to own average"]
    rows = []
    for row in summary["behaviours"].values():
        raw, normalised = row["raw"] or {}, row["normalised"] or {}
        rows.append(
            [
                row["title"],
                row["participants"],
                _round(raw.get("mean")),
                _round(raw.get("sd")),
                _round(normalised.get("mean")),
            ]
        )
    return "Behaviours across the cohort (others' ratings)", header, rows


def heat_map_table(
    summary: dict, names: dict[str, str], relative: bool = False
) -> tuple[str, list[str], list[list]]:
    """Participants x behaviours: each participant's published others' mean level (or relative)."""
    grid = summary["heat_map"]
    values_by_row = grid["normalised"] if relative else grid["raw"]
    rows = [
        [names.get(pid, pid), *[_round(v) for v in values]]
        for pid, values in zip(grid["participants"], values_by_row, strict=True)
    ]
    rows.sort(key=lambda row: str(row[0]).casefold())
    title = (
        "Others' level relative to the participant's own average"
        if relative
        else "Others' mean level by participant"
    )
    return title, ["Participant", *grid["titles"]], rows


def reliability_table(summary: dict) -> tuple[str, list[str], list[list]]:
    """Cronbach's alpha, ICC(1), ICC(1,k) and Krippendorff's alpha per behaviour."""
    note = summary.get("technical_note") or {"behaviours": {}}
    rows = []
    for bid, stats in note["behaviours"].items():
        icc = stats["icc"]
        rows.append(
            [
                summary["behaviours"][bid]["title"],
                _round(stats["cronbach"]["alpha"], 2),
                stats["cronbach"]["n"],
                _round(icc["icc1"], 2),
                _round(icc["icc1k"], 2),
                _round(icc["k_used"], 1),
                _round(stats["krippendorff_ordinal"], 2),
            ]
        )
    header = [
        "Behaviour",
        "Cronbach's alpha",
        "Complete responses",
        "ICC(1)",
        "ICC(1,k)",
        "k used",
        "Krippendorff's alpha (ordinal)",
    ]
    return "Technical note: reliability per behaviour", header, rows


def _round(value, places: int = 2):
    return None if value is None else round(float(value), places)
