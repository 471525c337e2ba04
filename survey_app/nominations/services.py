"""Nominating raters, approving the list, and sending each approved rater their own link.

A rater's link never passes through the participant (docs/design.md §3.4): a participant
proposes names and addresses; the commissioner, or the participant's line manager where the
campaign says so, approves or rejects each one; only then is a link made, and it goes straight to
the rater by email (or waits in the outbox, or in the commissioner's mail-merge download). So a
participant cannot add people they control to unmask a real rater, nor open a rater's link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..auth.services import AccountError, normalise_email
from ..campaigns.services import campaign_settings
from ..extensions import db
from ..models import Campaign, Invitation, Participant
from ..people.services import add_invitation, reissue_token
from ..statuses import NOT_INVITED, InvitationStatus

MAX_RATERS = 40
SUGGESTED_PER_GROUP = 5
APPROVERS = ("commissioner", "line_manager")


class NominationError(ValueError):
    """A nomination that cannot be accepted, with a message for the participant."""


@dataclass
class Decision:
    """What an approval round did."""

    approved: int = 0
    rejected: int = 0
    emailed: int = 0
    outbox: int = 0
    failed: int = 0


def rater_relationships(settings: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The relationships a participant can nominate (everything but 'self')."""
    return [r for r in settings.get("relationships", ()) if r.get("id") != "self"]


def approver(campaign: Campaign) -> str:
    """Who approves nominations: 'commissioner' (the default) or 'line_manager'."""
    chosen = (campaign.settings or {}).get("nomination_approval", "commissioner")
    return chosen if chosen in APPROVERS else "commissioner"


def raters_of(participant: Participant) -> list[Invitation]:
    """The participant's raters and nominations, oldest first (never their links)."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.participant_id == participant.id, Invitation.relationship != "self")
            .order_by(Invitation.created_at, Invitation.name)
        )
    )


def nominate(
    participant: Participant, name: str, email: str | None, relationship: str
) -> Invitation:
    """Propose a rater: no link exists until the nomination is approved (flushes)."""
    settings = campaign_settings(participant.campaign)
    if relationship not in {r["id"] for r in rater_relationships(settings)}:
        raise NominationError("Choose how they work with you from the list")
    try:
        address = normalise_email(email or "")
    except AccountError as error:
        raise NominationError(str(error)) from None
    if participant.email and address == participant.email.lower():
        raise NominationError("That is your own address: nominate someone else")
    taken = db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.participant_id == participant.id, func.lower(Invitation.email) == address)
    )
    if taken:
        raise NominationError(f"{address} is already on your list")
    if len(raters_of(participant)) >= MAX_RATERS:
        raise NominationError(f"You can nominate up to {MAX_RATERS} people")
    invitation = add_invitation(
        participant.campaign,
        participant=participant,
        relationship=relationship,
        name=name,
        email=address,
        source="participant",
    ).invitation
    # The token made with the row is never given to anyone; approval issues the real one.
    invitation.status = InvitationStatus.PROPOSED
    db.session.flush()
    return invitation


def pending(campaign: Campaign, participant: Participant | None = None) -> list[Invitation]:
    """Nominations waiting for approval, by participant then in the order they were made."""
    query = (
        select(Invitation)
        .join(Participant, Invitation.participant_id == Participant.id)
        .where(
            Invitation.campaign_id == campaign.id, Invitation.status == InvitationStatus.PROPOSED
        )
        .order_by(Participant.name, Participant.id, Invitation.created_at)
    )
    if participant is not None:
        query = query.where(Invitation.participant_id == participant.id)
    return list(db.session.scalars(query))


def can_approve(line_manager: Invitation) -> bool:
    """True for a line manager the commissioner added, in a campaign approved by line managers.

    A line manager the participant nominated cannot approve, or a participant could nominate a
    'line manager' they control and have them approve the rest.
    """
    return (
        line_manager.relationship == "line_manager"
        and line_manager.source == "commissioner"
        and line_manager.participant is not None
        and approver(line_manager.participant.campaign) == "line_manager"
        and line_manager.status not in NOT_INVITED
    )


def decide(invitations: Iterable[Invitation], approve: set[str], reject: set[str]) -> Decision:
    """Approve or reject each proposed nomination by id; approved raters get their link."""
    from ..mail.services import send_invitation

    decision = Decision()
    for invitation in invitations:
        if invitation.status != InvitationStatus.PROPOSED:
            continue
        if invitation.id in approve:
            invitation.status = InvitationStatus.INVITED
            decision.approved += 1
            message = send_invitation(invitation, reissue_token(invitation))
            if message.sent_at:
                decision.emailed += 1
            elif message.error:
                decision.failed += 1
            else:
                decision.outbox += 1
        elif invitation.id in reject:
            invitation.status = InvitationStatus.REJECTED
            decision.rejected += 1
    db.session.flush()
    return decision


def suspicious(invitation: Invitation, participant: Participant) -> list[str]:
    """Reasons an approver might look twice at a nomination (shown beside it)."""
    reasons = []
    own = (participant.email or "").lower()
    address = (invitation.email or "").lower()
    if own and address.split("@")[-1] != own.split("@")[-1]:
        reasons.append(f"address outside {own.split('@')[-1]}")
    local = address.split("@")[0]
    if own and local and local.split("+")[0] == own.split("@")[0].split("+")[0]:
        reasons.append("same name part as the participant's own address")
    return reasons
