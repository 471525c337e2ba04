"""Campaign services: creation from a bundled instrument and access to its snapshot."""

from __future__ import annotations

from typing import Any

from instruments import Instrument
from instruments.settings import effective_settings

from ..extensions import db
from ..instrument_store import bundled, snapshot_instrument
from ..models import Campaign, User


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
