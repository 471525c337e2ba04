"""Sponsors: each participant's DCS or nominated senior leader confirms the nomination by link.

Seeds 000_* (DCSs nominate in the North West, Yorkshire and Humber, the East) and 002_*
Appendix C ("All applicants to the programme will have a sponsor"). The sponsor's link is a
long random token of which only the hash is stored (survey_app/tokens.py); it goes to the
sponsor by email or waits in the outbox with a placeholder, and stops working once they have
decided or the campaign closes.
"""

from __future__ import annotations

from sqlalchemy import select

from ..auth.services import AccountError, normalise_email
from ..extensions import db
from ..mail.services import LINK_MAKERS, deliver, record_rendered, smtp_configured
from ..models import Campaign, Message, Participant, today
from ..statuses import MessageKind, SponsorStatus
from ..tokens import hash_token, looks_like_token, new_token
from .models import Sponsor

MESSAGE_KIND = MessageKind.SPONSOR


class SponsorError(ValueError):
    """A sponsor that cannot be asked, with a message for the commissioner."""


def sponsor_of(participant: Participant) -> Sponsor | None:
    """The participant's sponsor, if one has been asked."""
    return db.session.scalar(select(Sponsor).where(Sponsor.participant_id == participant.id))


def sponsors_of(campaign: Campaign) -> dict[str, Sponsor]:
    """Sponsors by participant id for a campaign."""
    rows = db.session.scalars(
        select(Sponsor).join(Participant).where(Participant.campaign_id == campaign.id)
    )
    return {s.participant_id: s for s in rows}


def sponsor_link(token: str) -> str:
    """The full address of a sponsor's link."""
    from flask import current_app

    return f"{current_app.config['BASE_URL'].rstrip('/')}/s/{token}"


def ask_sponsor(
    participant: Participant, name: str | None, email: str | None, role: str
) -> Sponsor:
    """Ask someone to sponsor a participant: a new link goes to them (flushes).

    Asking again (a declined sponsor, or a different person) replaces the earlier request and
    its link.
    """
    name = " ".join((name or "").split())
    if not name:
        raise SponsorError("Enter the sponsor's name")
    try:
        address = normalise_email(email or "")
    except AccountError as error:
        raise SponsorError(str(error)) from None
    if participant.email and address == participant.email.lower():
        raise SponsorError("A participant cannot sponsor themself: enter their sponsor's address")
    sponsor = sponsor_of(participant) or Sponsor(participant_id=participant.id)
    if sponsor.status == SponsorStatus.CONFIRMED and sponsor.email == address:
        raise SponsorError(f"{sponsor.name} has already confirmed this nomination")
    token = new_token()
    sponsor.name, sponsor.email, sponsor.role = name[:200], address, (role or "").strip()[:200]
    sponsor.status, sponsor.decided_on = SponsorStatus.REQUESTED, None
    sponsor.requested_on = today()
    sponsor.token_hash = hash_token(token)
    db.session.add(sponsor)
    db.session.flush()
    message = record_rendered(
        participant.campaign,
        address,
        MESSAGE_KIND,
        "sponsors/mail_request.txt",
        participant,
        sponsor=sponsor,
    )
    deliver([(message, sponsor_link(token))] if smtp_configured() else [])
    return sponsor


def find_sponsor(token: str) -> Sponsor | None:
    """The sponsor whose link this is, while they have not decided (None otherwise)."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(select(Sponsor).where(Sponsor.token_hash == hash_token(token)))


def decide(sponsor: Sponsor, confirm: bool) -> None:
    """The sponsor confirms or declines; their link stops working (flushes)."""
    sponsor.status = SponsorStatus.CONFIRMED if confirm else SponsorStatus.DECLINED
    sponsor.decided_on = today()
    sponsor.token_hash = None
    db.session.flush()


def fresh_link(message: Message) -> str | None:
    """A new link for the sponsor a waiting message is for (the old link stops working)."""
    sponsor = (
        db.session.scalar(select(Sponsor).where(Sponsor.participant_id == message.participant_id))
        if message.participant_id
        else None
    )
    if (
        sponsor is None
        or sponsor.status != SponsorStatus.REQUESTED
        or (sponsor.email != message.to_address)
    ):
        return None
    return reissue_link(sponsor)


def reissue_link(sponsor: Sponsor) -> str:
    """A new link for a sponsor who has not decided; the old one stops working (flushes)."""
    token = new_token()
    sponsor.token_hash = hash_token(token)
    db.session.flush()
    return sponsor_link(token)


LINK_MAKERS[MESSAGE_KIND] = fresh_link


def sponsorship_summary(campaign: Campaign) -> dict[str, int]:
    """How many participants are sponsored, waiting for their sponsor, or have none."""
    sponsors = sponsors_of(campaign)
    counts = {
        SponsorStatus.CONFIRMED: 0,
        SponsorStatus.REQUESTED: 0,
        SponsorStatus.DECLINED: 0,
        "none": 0,
    }
    for participant in campaign.participants:
        sponsor = sponsors.get(participant.id)
        counts[sponsor.status if sponsor else "none"] += 1
    return counts
