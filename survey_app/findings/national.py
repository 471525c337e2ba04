"""Findings of the national framework's templates (seed 001_* §2, §3, §4, §14).

An instrument gets a template's summary when it has that template's items (as `is_audit` picks
the skills audit), so an uploaded copy that keeps the item ids keeps its summary. A demand
campaign's findings can be joined to a skills and talent audit campaign of the same
commissioner that the reader may see, chosen on the page (`?audit=<campaign id>`).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select

from analysis import skills_audit
from analysis.audit_join import audit_join
from analysis.national_templates import demand_summary, practice_summary, supply_summary
from analysis.pi_return import TIERS, pi_summary
from instruments import Instrument

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Campaign
from ..responses import load_responses
from ..statuses import CampaignKind

PRACTICE, DEMAND, SUPPLY, PI = "workforce_practice", "demand", "supply", "pi_return"
TEMPLATE_ITEMS = {  # the items a template's summary reads
    PRACTICE: {"organisation", "implemented", "all_management_roles", "tailored", "maturity"},
    DEMAND: {"organisation", "senior_posts"},
    SUPPLY: {"organisation", "senior_leaders", "middle_leaders"},
    PI: {"region", *TIERS},
}
TITLES = {
    PRACTICE: "Summary of current workforce development practice",
    DEMAND: "Summary of demand for senior leaders",
    SUPPLY: "Summary regional supply matrix",
    PI: "Performance indicators by region and quarter",
}


def template_of(instrument: Instrument) -> str | None:
    """Which national template's summary applies to this instrument, if any."""
    ids = {item.id for item in instrument.items}
    for template, needed in TEMPLATE_ITEMS.items():
        if needed <= ids:
            return template
    return None


def national_findings(
    instrument: Instrument,
    responses: list[dict[str, list[str]]],
    k: int,
    audit: Campaign | None = None,
) -> dict[str, Any] | None:
    """The template's summary (and, for demand, the join with `audit`), or None."""
    template = template_of(instrument)
    if template is None:
        return None
    found: dict[str, Any] = {"template": template, "title": TITLES[template], "join": None}
    if template == PRACTICE:
        found["summary"] = practice_summary(instrument, responses)
    elif template == SUPPLY:
        found["summary"] = supply_summary(instrument, responses)
    elif template == PI:
        found["summary"] = pi_summary(instrument, responses, k)
    else:
        found["summary"] = demand_summary(instrument, responses)
        if audit is not None:
            found["join"] = audit_join(found["summary"], _audit_rows(audit), k)
            found["join_campaign"] = {"id": audit.id, "title": audit.title}
    return found


def _audit_rows(audit: Campaign) -> list[Any]:
    """The audit campaign's summary rows by organisation, suppressed with its own k."""
    instrument = campaign_instrument(audit)
    k = int(campaign_settings(audit).get("anonymity_threshold", 3))
    responses = [data.answers for data in load_responses(audit.id)]
    summary = skills_audit.audit_summary(instrument, responses, {}, k, by="organisation")
    return list(summary["rows"])


def is_audit_campaign(campaign: Campaign) -> bool:
    """True for a survey campaign on the skills and talent audit."""
    from .services import is_audit  # services imports this module

    return campaign.kind == CampaignKind.SURVEY and is_audit(campaign_instrument(campaign))


def audit_choices(campaign: Campaign) -> list[Campaign]:
    """The commissioner's skills audit campaigns a demand campaign can be joined with."""
    candidates = db.session.scalars(
        select(Campaign)
        .where(Campaign.owner_id == campaign.owner_id, Campaign.id != campaign.id)
        .order_by(Campaign.title)
    )
    return [c for c in candidates if is_audit_campaign(c)]


def national_json(found: dict[str, Any] | None) -> dict[str, Any] | None:
    """The summary as JSON-ready data (dataclasses as dicts)."""
    if found is None:
        return None
    return {
        **found,
        "summary": _plain(found["summary"]),
        "join": _plain(found["join"]) if found["join"] else None,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, tuple) and not hasattr(value, "__dataclass_fields__"):
        return [_plain(v) for v in value]
    return asdict(value)
