"""The commissioners' cohort view: behaviour distributions, heat map, support wanted, reliability.

Cohort figures are built from each participant's published result only (see analysis.cohort), so
they open no differencing route the participant reports do not already close. Participant names
appear only for viewers allowed to see them; everyone else sees stable pseudonyms.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.cohort import cohort_summary, pseudonyms
from analysis.results import CohortSummary
from instruments import Instrument

from ..campaigns.services import campaign_settings
from ..models import Campaign, Participant
from .plan import support_counts
from .services import campaign_results


@dataclass
class CohortReport:
    """What the cohort page, PDF and exports show."""

    campaign: Campaign
    instrument: Instrument
    participants: list[Participant]
    summary: CohortSummary
    names: dict[str, str]
    names_shown: bool
    support: dict

    def tables(self) -> dict[str, tuple[str, list[str], list[list]]]:
        """Aggregate tables by key: (title, header, rows), as the page and exports show them."""
        return {"behaviours": behaviour_table(self.summary),
                "heat_map": heat_map_table(self.summary, self.names),
                "support": ("Support wanted in development plans",
                            ["Support", "Participants wanting it"],
                            [[row["label"], row["participants"]] for row in self.support["rows"]]),
                "reliability": reliability_table(self.summary)}

    def page_tables(self) -> dict[str, tuple[str, list[str], list[list]]]:
        """The tables plus the relative heat map, the page's text alternative to that chart."""
        return {**self.tables(), "heat_map_relative": heat_map_table(
            self.summary, self.names, relative=True)}


def cohort_report(campaign: Campaign, names_shown: bool) -> CohortReport:
    """The cohort view of a 360 campaign, with names or pseudonyms."""
    instrument, participants, results, raters = campaign_results(campaign)
    k = int(campaign_settings(campaign)["anonymity_threshold"])
    summary = cohort_summary(instrument, results, k, raters)
    names = ({p.id: p.name for p in participants} if names_shown
             else pseudonyms([p.id for p in participants], seed=campaign.id))
    return CohortReport(campaign, instrument, participants, summary, names, names_shown,
                        support_counts(participants))


def cohort_json(campaign: Campaign, instrument: Instrument, participants: list[Participant],
                results: dict, raters: dict) -> dict:
    """The cohort part of `report_360_json` (heat map rows keyed by participant id)."""
    k = int(campaign_settings(campaign)["anonymity_threshold"])
    summary = cohort_summary(instrument, results, k, raters)
    return {**summary, "support": support_counts(participants)}


def behaviour_table(summary: CohortSummary) -> tuple[str, list[str], list[list]]:
    """Per behaviour: participants with a published score, cohort mean, spread, relative mean.

    No lowest or highest column: outputs publish no minimum or maximum (docs/design.md §3.3).
    """
    header = ["Behaviour", "Participants", "Mean level", "SD", "Relative to own average"]
    rows = []
    for row in summary["behaviours"].values():
        raw, normalised = row["raw"], row["normalised"]
        rows.append([row["title"], row["participants"], _round(raw["mean"] if raw else None),
                     _round(raw["sd"] if raw else None),
                     _round(normalised["mean"] if normalised else None)])
    return "Behaviours across the cohort (others' ratings)", header, rows


def heat_map_table(summary: CohortSummary, names: dict[str, str],
                   relative: bool = False) -> tuple[str, list[str], list[list]]:
    """Participants x behaviours: each participant's published others' mean level (or relative)."""
    grid = summary["heat_map"]
    values_by_row = grid["normalised"] if relative else grid["raw"]
    rows = [[names.get(pid, pid), *[_round(v) for v in values]]
            for pid, values in zip(grid["participants"], values_by_row, strict=True)]
    rows.sort(key=lambda row: str(row[0]).casefold())
    title = ("Others' level relative to the participant's own average" if relative
             else "Others' mean level by participant")
    return title, ["Participant", *grid["titles"]], rows


def reliability_table(summary: CohortSummary) -> tuple[str, list[str], list[list]]:
    """Cronbach's alpha, ICC(1), ICC(1,k) and Krippendorff's alpha per behaviour."""
    note = summary.get("technical_note")
    rows = []
    for bid, stats in (note["behaviours"] if note else {}).items():
        icc = stats["icc"]
        rows.append([summary["behaviours"][bid]["title"], _round(stats["cronbach"]["alpha"], 2),
                     stats["cronbach"]["n"], _round(icc["icc1"], 2), _round(icc["icc1k"], 2),
                     _round(icc["k_used"], 1), _round(stats["krippendorff_ordinal"], 2)])
    header = ["Behaviour", "Cronbach's alpha", "Complete responses", "ICC(1)", "ICC(1,k)",
              "k used", "Krippendorff's alpha (ordinal)"]
    return "Technical note: reliability per behaviour", header, rows


def _round(value, places: int = 2):
    return None if value is None else round(float(value), places)
