"""Campaign services: creation from a bundled instrument, its life cycle and its snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from instruments import Instrument
from instruments.settings import effective_settings

from ..extensions import db
from ..library.store import bundled, snapshot_instrument
from ..models import Campaign, Invitation, Response, User, utcnow
from ..people.replaced import remember_replaced
from ..tokens import hash_token, new_token


class CampaignError(ValueError):
    """A campaign request that cannot be carried out, with a message for the person."""


def create_campaign(owner: User, instrument_key: str, title: str,
                    settings: dict[str, Any] | None = None) -> Campaign:
    """A draft campaign that snapshots the current version of a bundled instrument."""
    instruments = bundled()
    if instrument_key not in instruments:
        known = ", ".join(sorted(instruments))
        raise CampaignError(f"No instrument '{instrument_key}'. Bundled instruments: {known}.")
    title = (title or "").strip()
    if not title:
        raise CampaignError("Give the campaign a title.")
    instrument = instruments[instrument_key]
    campaign = Campaign(
        title=title[:200], instrument_key=instrument.key, instrument_version=instrument.version,
        kind=instrument.kind, instrument_snapshot=_plain(instrument.raw),
        settings=dict(settings or {}), owner=owner)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def open_campaign(campaign: Campaign) -> None:
    """Open (or reopen) a campaign so its links work."""
    if campaign.status == "archived":
        raise CampaignError("An archived campaign cannot be reopened.")
    campaign.status = "open"
    campaign.closed_at = None
    db.session.flush()


def close_campaign(campaign: Campaign) -> None:
    """Close a campaign: every link to it stops working at once."""
    campaign.status = "closed"
    campaign.closed_at = utcnow()
    db.session.flush()


def open_link_token(campaign: Campaign) -> str:
    """Switch on the campaign's open link, returning a fresh token (the old one stops)."""
    token = new_token()
    remember_replaced(campaign.open_token_hash, campaign.id, "open")
    campaign.open_token_hash = hash_token(token)
    db.session.flush()
    return token


def campaign_instrument(campaign: Campaign) -> Instrument:
    """The instrument exactly as the campaign launched with it."""
    return snapshot_instrument(campaign.instrument_snapshot)


def campaign_settings(campaign: Campaign) -> dict[str, Any]:
    """Instrument defaults overlaid with the campaign's own settings."""
    return effective_settings(campaign_instrument(campaign).settings, campaign.settings)


def _plain(value: Any) -> Any:
    # Instrument.raw holds read-only mappings; the JSON column needs plain dicts and lists.
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def update_campaign(campaign: Campaign, title: str, opens_on: date | None,
                    closes_on: date | None, settings: dict[str, Any]) -> None:
    """Change the title, dates and campaign-level settings (threshold, targets, open link)."""
    title = (title or "").strip()
    if not title:
        raise CampaignError("Give the campaign a title.")
    if opens_on and closes_on and closes_on < opens_on:
        raise CampaignError("The closing date must be on or after the opening date.")
    threshold = settings.get("anonymity_threshold")
    if threshold is not None and (not isinstance(threshold, int) or threshold < 2):
        raise CampaignError("The anonymity threshold must be a whole number of at least 2.")
    if threshold is not None:
        _check_threshold_change(campaign, threshold)
    campaign.title = title[:200]
    campaign.opens_on = opens_on
    campaign.closes_on = closes_on
    campaign.settings = {**(campaign.settings or {}), **settings}
    db.session.flush()


def archive_campaign(campaign: Campaign) -> None:
    """Archive a campaign: closed for good, kept for its reports."""
    if campaign.status != "archived":
        close_campaign(campaign)
    campaign.status = "archived"
    db.session.flush()


def close_open_link(campaign: Campaign) -> None:
    """Switch the open link off."""
    campaign.open_token_hash = None
    campaign.settings = {**(campaign.settings or {}), "open_link": False}
    db.session.flush()


def enable_open_link(campaign: Campaign) -> str:
    """Switch the open link on with a fresh token (any earlier open link stops working)."""
    if campaign.kind == "360":
        raise CampaignError("A 360 campaign uses personal links only.")
    campaign.settings = {**(campaign.settings or {}), "open_link": True}
    return open_link_token(campaign)


def _check_threshold_change(campaign: Campaign, threshold: int) -> None:
    """k is fixed once a campaign opens: never lowered, raised only before any answer.

    Reading figures at one k and again at another would show groups the first hid
    (docs/design.md §3.3).
    """
    current = int(campaign_settings(campaign)["anonymity_threshold"])
    if threshold == current or campaign.status == "draft":
        return
    if threshold < current:
        raise CampaignError(f"The anonymity threshold cannot be lowered below {current} once the "
                            "campaign has opened: smaller groups could then be compared with "
                            "what was shown before.")
    answered = db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.campaign_id == campaign.id,
        Invitation.status.in_(("started", "completed")))) or db.session.scalar(
        select(func.count()).select_from(Response).where(Response.campaign_id == campaign.id))
    if answered:
        raise CampaignError("The anonymity threshold cannot be changed after the first answer "
                            f"has arrived; it stays at {current}.")
