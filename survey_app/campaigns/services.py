"""Campaign services: creation from a library instrument, its life cycle and its snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import InstanceState

from instruments import Instrument
from instruments.settings import campaign_raw, effective_settings, option_code

from ..bounded_cache import BoundedCache
from ..extensions import db
from ..library.services import latest, launchable
from ..library.store import plain, snapshot_instrument
from ..models import Campaign, Invitation, Response, User, utcnow
from ..people.replaced import remember_replaced
from ..statuses import CampaignStatus, InvitationStatus, LinkKind
from ..tokens import hash_token, new_token


class CampaignError(ValueError):
    """A campaign request that cannot be carried out, with a message for the person."""


def create_campaign(
    owner: User, instrument_key: str, title: str, settings: dict[str, Any] | None = None
) -> Campaign:
    """A draft campaign that snapshots the latest version of an instrument in the library.

    Bundled or uploaded (survey_app/library/services.py): the snapshot is that version's data,
    so a later upload of the same key never changes this campaign.
    """
    version = latest(instrument_key)
    if version is None:
        known = ", ".join(sorted(launchable()))
        raise CampaignError(
            f"No instrument '{instrument_key}'. Instruments in the library: {known}."
        )
    title = (title or "").strip()
    if not title:
        raise CampaignError("Give the campaign a title.")
    campaign = Campaign(
        title=title[:200],
        instrument_key=version.key,
        instrument_version=version.version,
        kind=version.kind,
        instrument_snapshot=plain(version.data),
        settings=dict(settings or {}),
        owner=owner,
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def open_campaign(campaign: Campaign) -> None:
    """Open (or reopen) a campaign so its links work."""
    if campaign.status == CampaignStatus.ARCHIVED:
        raise CampaignError("An archived campaign cannot be reopened.")
    campaign.status = CampaignStatus.OPEN
    campaign.closed_at = None
    db.session.flush()


def close_campaign(campaign: Campaign) -> None:
    """Close a campaign: every link to it stops working at once."""
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = utcnow()
    db.session.flush()


def open_link_token(campaign: Campaign) -> str:
    """Switch on the campaign's open link, returning a fresh token (the old one stops)."""
    token = new_token()
    remember_replaced(campaign.open_token_hash, campaign.id, LinkKind.OPEN)
    campaign.open_token_hash = hash_token(token)
    db.session.flush()
    return token


# Parsed snapshots and merged settings by (campaign id, Campaign.config_digest).
_CONFIGS: BoundedCache[tuple[Instrument, dict[str, Any]]] = BoundedCache(256)


def config_key(campaign: Campaign) -> tuple[str, str] | None:
    """(id, fingerprint of snapshot and settings) when loaded and current, else None.

    The fingerprint is loaded only by the link lookups (people/services.py); a campaign whose
    snapshot or settings were changed in this session and not yet flushed has no key.
    """
    state: InstanceState[Campaign] = inspect(campaign)
    digest = state.dict.get("config_digest")
    if (
        digest is None
        or "instrument_snapshot" in state.committed_state
        or ("settings" in state.committed_state)
    ):
        return None
    return campaign.id, digest


def _config(campaign: Campaign) -> tuple[Instrument, dict[str, Any]]:
    def build() -> tuple[Instrument, dict[str, Any]]:
        snapshot = campaign.instrument_snapshot
        settings = effective_settings(snapshot.get("settings") or {}, campaign.settings)
        # The campaign's own sub-regions and rating variant, over the snapshot it launched with.
        instrument = snapshot_instrument(campaign_raw(snapshot, settings))
        return instrument, effective_settings(instrument.settings, campaign.settings)

    key = config_key(campaign)
    return build() if key is None else _CONFIGS.get_or_build(key, build)


def campaign_instrument(campaign: Campaign) -> Instrument:
    """The instrument exactly as the campaign launched with it."""
    return _config(campaign)[0]


def campaign_settings(campaign: Campaign) -> dict[str, Any]:
    """Instrument defaults overlaid with the campaign's own settings (a copy to change freely)."""
    return dict(_config(campaign)[1])


def update_campaign(
    campaign: Campaign,
    title: str,
    opens_on: date | None,
    closes_on: date | None,
    settings: dict[str, Any],
) -> None:
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
        if campaign.kind == "360" and threshold != int(
            campaign_settings(campaign)["anonymity_threshold"]
        ):
            from ..reports.store import cohort_changed

            cohort_changed(campaign)  # k decides which behaviours the cohort shows
    campaign.title = title[:200]
    campaign.opens_on = opens_on
    campaign.closes_on = closes_on
    campaign.settings = {**(campaign.settings or {}), **settings}
    db.session.flush()


def campaign_option_settings(
    campaign: Campaign, typed: dict[str, str], variant: str | None
) -> dict[str, Any]:
    """listed_options and rating_variant from the edit form; fixed once answers have arrived.

    Codes are made from the labels, an existing label keeping its code, so answers already
    given keep theirs; mixing two scales or two lists of sub-regions in one campaign would make
    its figures meaningless, hence no change after the first answer.
    """
    current = campaign_settings(campaign)
    listed = dict(current.get("listed_options") or {})
    for item_id, text in typed.items():
        known = {o["label"]: o["code"] for o in listed.get(item_id) or ()}
        labels = list(dict.fromkeys(" ".join(line.split()) for line in text.splitlines()))
        listed[item_id] = [
            {"code": known.get(label) or option_code(label), "label": label}
            for label in labels
            if label
        ]
    listed = {item_id: options for item_id, options in listed.items() if options}
    new: dict[str, Any] = {"listed_options": listed} if typed else {}
    if variant is not None:
        new["rating_variant"] = variant or None
    changed = any((current.get(key) or None) != (value or None) for key, value in new.items())
    if changed and campaign.status != CampaignStatus.DRAFT and _answered(campaign):
        raise CampaignError(
            "The questions this campaign sets (its answers offered and rating scale) cannot "
            "change after the first answer has arrived."
        )
    return new


def archive_campaign(campaign: Campaign) -> None:
    """Archive a campaign: closed for good, kept for its reports."""
    if campaign.status != CampaignStatus.ARCHIVED:
        close_campaign(campaign)
    campaign.status = CampaignStatus.ARCHIVED
    db.session.flush()


def close_open_link(campaign: Campaign) -> None:
    """Switch the open link off."""
    campaign.open_token_hash = None
    campaign.settings = {**(campaign.settings or {}), "open_link": False}
    db.session.flush()


def enable_open_link(campaign: Campaign) -> str:
    """Switch the open link on with a fresh token (any earlier open link stops working)."""
    if campaign.is_360:
        raise CampaignError("A 360 campaign uses personal links only.")
    campaign.settings = {**(campaign.settings or {}), "open_link": True}
    return open_link_token(campaign)


def _check_threshold_change(campaign: Campaign, threshold: int) -> None:
    """k is fixed once a campaign opens: never lowered, raised only before any answer.

    Reading figures at one k and again at another would show groups the first hid
    (docs/design.md §3.3).
    """
    current = int(campaign_settings(campaign)["anonymity_threshold"])
    if threshold == current or campaign.status == CampaignStatus.DRAFT:
        return
    if threshold < current:
        raise CampaignError(
            f"The anonymity threshold cannot be lowered below {current} once the "
            "campaign has opened: smaller groups could then be compared with "
            "what was shown before."
        )
    if _answered(campaign):
        raise CampaignError(
            "The anonymity threshold cannot be changed after the first answer "
            f"has arrived; it stays at {current}."
        )


def _answered(campaign: Campaign) -> bool:
    """True once any invitation has started or any response arrived."""
    return bool(
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.status.in_((InvitationStatus.STARTED, InvitationStatus.COMPLETED)),
            )
        )
        or (
            db.session.scalar(
                select(func.count())
                .select_from(Response)
                .where(Response.campaign_id == campaign.id)
            )
        )
    )
