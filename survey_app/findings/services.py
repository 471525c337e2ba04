"""Survey findings of a campaign: tallies, groups, cross-tabs, audit tables and themed text."""

from __future__ import annotations

from typing import Any

from analysis import skills_audit
from analysis.crosstabs import crosstab
from analysis.tallies import tally_survey
from instruments import Instrument, type_of

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Campaign
from ..responses import load_responses
from .national import national_findings, national_json
from .source_notes import data_set_of, source_notes
from .themes import themed_findings

AUDIT_VIEWS = {"sub_region": "Sub-region", "organisation": "Organisation"}


def threshold(campaign: Campaign) -> int:
    """The campaign's minimum group size k."""
    return int(campaign_settings(campaign).get("anonymity_threshold", 3))


def crosstab_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """(item id, prompt) of every question that can be cross-tabulated."""
    return [(item.id, item.prompt) for item in instrument.items if type_of(item).crosstabs]


def is_audit(instrument: Instrument) -> bool:
    """True for the skills and talent audit (its §8 summary and §9 matrix apply)."""
    ids = {item.id for item in instrument.items}
    return {
        *skills_audit.AREAS,
        "career_progression",
        "move_direction",
        "reasons_not",
        "development_interest",
    } <= ids


def audit_views(instrument: Instrument) -> dict[str, str]:
    """The groupings the audit summary can be shown by: sub-region only if the campaign asks it."""
    ids = {item.id for item in instrument.items}
    return {view: label for view, label in AUDIT_VIEWS.items() if view in ids}


def organisational_hipo(campaign: Campaign) -> dict[str, int]:
    """The commissioner's own high-potential counts, by organisation or sub-region name."""
    stored = (campaign.settings or {}).get("organisational_hipo") or {}
    return {str(name): int(n) for name, n in stored.items() if str(n).lstrip("-").isdigit()}


def save_organisational_hipo(campaign: Campaign, counts: dict[str, int | None]) -> None:
    """Store the commissioner's counts (blank removes a name); flushes, the view commits."""
    stored = organisational_hipo(campaign)
    for name, n in counts.items():
        name = " ".join(str(name).split())
        if not name:
            continue
        if n is None:
            stored.pop(name, None)
        else:
            stored[name] = int(n)
    campaign.settings = {**(campaign.settings or {}), "organisational_hipo": stored}
    db.session.flush()


def save_redact_terms(campaign: Campaign, text: str) -> list[str]:
    """Store the commissioner's extra names to redact, one a line; flushes."""
    terms = sorted({" ".join(line.split()) for line in text.splitlines() if line.strip()})
    campaign.settings = {**(campaign.settings or {}), "redact_terms": terms}
    db.session.flush()
    return terms


def _audit_hipo_for_view(instrument: Instrument, campaign: Campaign, by: str) -> dict[str, int]:
    # One stored list serves both views: names that are sub-regions belong to that view, the rest
    # are organisations.
    asked = "sub_region" in audit_views(instrument)
    regions = {o.label for o in instrument.item("sub_region").options} if asked else set()
    counts = organisational_hipo(campaign)
    if by == "sub_region":
        return {name: n for name, n in counts.items() if name in regions}
    return {name: n for name, n in counts.items() if name not in regions}


def survey_findings(
    campaign: Campaign,
    row_item: str | None = None,
    col_item: str | None = None,
    by: str = "sub_region",
    with_themes: bool = True,
    audit: Campaign | None = None,
) -> dict[str, Any]:
    """Everything the findings page, exports and `survey-app report` show, suppressed alike."""
    instrument = campaign_instrument(campaign)
    k = threshold(campaign)
    responses = [data.answers for data in load_responses(campaign.id)]
    tally = tally_survey(instrument, responses, k)
    choices = dict(crosstab_choices(instrument))
    declared = [
        crosstab(instrument, responses, r, c, k)
        for r, c in instrument.crosstabs
        if r in choices and c in choices
    ]
    chosen = None
    if row_item in choices and col_item in choices and row_item != col_item:
        chosen = crosstab(instrument, responses, row_item, col_item, k)
    findings: dict[str, Any] = {
        "campaign": {
            "id": campaign.id,
            "title": campaign.title,
            "instrument": instrument.key,
            "version": instrument.version,
        },
        "instrument": instrument,
        "threshold": k,
        "respondents": tally["respondents"],
        "questions": tally["questions"],
        "groups": tally["groups"],
        "text": tally["text"],
        "crosstabs": declared,
        "chosen_crosstab": chosen,
        "crosstab_choices": list(choices.items()),
        "audit_summary": None,
        "hipo_matrix": None,
        "audit_by": None,
        "source_notes": source_notes(
            campaign_settings(campaign).get("source_data"), instrument.key, tally
        ),
        "data_set": data_set_of(campaign_settings(campaign).get("source_data"), instrument.key),
        "themes": {},
        # A national template's summary; `audit` is the skills audit a demand return joins.
        "national": national_findings(instrument, responses, k, audit),
    }
    if is_audit(instrument):
        views = audit_views(instrument)
        by = by if by in views else next(iter(views))
        findings["audit_by"] = by
        findings["audit_summary"] = skills_audit.audit_summary(
            instrument, responses, _audit_hipo_for_view(instrument, campaign, by), k, by=by
        )
        findings["hipo_matrix"] = skills_audit.hipo_matrix(instrument, responses, k)
    if with_themes:
        findings["themes"] = themed_findings(campaign, instrument, responses, k)
    return findings


def crosstab_key(table: dict[str, Any]) -> str:
    """The name a cross-tab goes by in JSON: '<row item>_by_<column item>'."""
    return f"{table['row_item']}_by_{table['col_item']}"


def report_json(findings: dict[str, Any]) -> dict[str, Any]:
    """The findings as plain JSON-ready data (what `survey-app report --format json` prints)."""
    crosstabs = {crosstab_key(t): t for t in findings["crosstabs"]}
    if findings["chosen_crosstab"]:
        crosstabs[crosstab_key(findings["chosen_crosstab"])] = findings["chosen_crosstab"]
    return {
        "campaign": findings["campaign"],
        "threshold": findings["threshold"],
        "respondents": findings["respondents"],
        "questions": findings["questions"],
        "groups": findings["groups"],
        "text": findings["text"],
        "crosstabs": crosstabs,
        "audit_summary": findings["audit_summary"],
        "hipo_matrix": findings["hipo_matrix"],
        "themes": findings["themes"],
        "source_notes": findings["source_notes"],
        "national": national_json(findings["national"]),
    }
