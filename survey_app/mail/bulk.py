"""Invitations and reminders for a whole campaign.

Only token hashes are stored, so each email carries a freshly issued link; any earlier link for
the same person stops working (their saved draft is kept and opens with the new link).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..campaigns.links import handed_out_invitations, link_url
from ..campaigns.tracking import individual_relationships
from ..extensions import db
from ..models import Campaign, Invitation, Message, Participant
from ..people.services import reissue_token, self_invitation
from ..statuses import InvitationStatus, MessageKind, WindowStatus
from .services import deliver, record_message, smtp_configured


@dataclass
class SendSummary:
    """What a bulk send did."""

    sent: int = 0
    queued: int = 0
    failed: int = 0
    without_email: int = 0

    def describe(self) -> str:
        """One sentence for a flash message or the CLI."""
        parts = []
        if self.sent:
            parts.append(f"{self.sent} sent")
        if self.queued:
            parts.append(f"{self.queued} put in the outbox (no mail server is configured)")
        if self.failed:
            parts.append(f"{self.failed} failed (see the messages page)")
        if self.without_email:
            parts.append(f"{self.without_email} skipped because there is no email address")
        return ("; ".join(parts) or "Nobody to write to") + "."


def _already_invited(campaign: Campaign) -> tuple[set[str], set[str]]:
    rows = db.session.execute(
        select(Message.invitation_id, Message.participant_id).where(
            Message.campaign_id == campaign.id,
            Message.kind == MessageKind.INVITATION,
            Message.error.is_(None),
        )
    ).all()
    return {i for i, _ in rows if i}, {p for _, p in rows if p}


def _recipients(campaign: Campaign, kind: str):
    """(record, email, relationship) for everyone this send should reach."""
    invited_ids, invited_participants = _already_invited(campaign)
    people: list[tuple[Participant | Invitation, str | None, str | None]] = []
    for participant in db.session.scalars(
        select(Participant).where(Participant.campaign_id == campaign.id).order_by(Participant.name)
    ):
        finished = self_invitation(participant).status == InvitationStatus.COMPLETED
        fresh = participant.id not in invited_participants
        if (kind == MessageKind.INVITATION and fresh) or (
            kind == MessageKind.REMINDER and not finished
        ):
            people.append((participant, participant.email, "self"))
    for invitation in handed_out_invitations(campaign):
        if kind == MessageKind.INVITATION and invitation.id in invited_ids:
            continue
        people.append((invitation, invitation.email, invitation.relationship))
    if kind == MessageKind.REMINDER:
        people += [(i, i.email, i.relationship) for i in answered_in_groups(campaign)]
    return people


def answered_in_groups(campaign: Campaign) -> list[Invitation]:
    """Raters of combined groups who have answered: reminded like the rest of their group.

    Reminding only those who have not answered would tell whoever reads the messages which peer
    has (docs/design.md §3.4); their reminder says that if they have answered there is nothing
    more to do.
    """
    if not campaign.is_360:
        return []
    individual = individual_relationships(campaign)
    query = (
        select(Invitation)
        .join(Participant, Invitation.participant_id == Participant.id)
        .where(
            Invitation.campaign_id == campaign.id,
            Invitation.status == InvitationStatus.COMPLETED,
            Participant.window_status == WindowStatus.OPEN,
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [i for i in db.session.scalars(query) if i.relationship not in individual and i.email]


def recipients_count(campaign: Campaign, kind: str) -> tuple[int, int]:
    """(with an email address, without one): who a send of this kind would reach now."""
    people = _recipients(campaign, kind)
    with_email = sum(1 for _, email, _ in people if email)
    return with_email, len(people) - with_email


def send_campaign_messages(campaign: Campaign, kind: str) -> SendSummary:
    """Invite everyone not yet invited, or remind everyone who has not finished."""
    summary = SendSummary()
    batch = []
    for record, email, relationship in _recipients(campaign, kind):
        if not email:
            summary.without_email += 1
            continue
        is_participant = isinstance(record, Participant)
        url = link_url("participant" if is_participant else "invitation", reissue_token(record))
        invitation = None if is_participant else record
        participant = record if is_participant else None
        batch.append(
            (record_message(campaign, email, kind, relationship, invitation, participant), url)
        )
    deliver(batch)
    for message, _ in batch:
        if message.sent_at:
            summary.sent += 1
        elif message.error:
            summary.failed += 1
        else:
            summary.queued += 1
    return summary


__all__ = ["SendSummary", "recipients_count", "send_campaign_messages", "smtp_configured"]
