"""Retention, erasure and a participant's own data (UK GDPR rights), as plain service calls."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db, rows_matched
from ..models import (
    Answer,
    Campaign,
    ImportBatch,
    Invitation,
    Message,
    Participant,
    Response,
    utcnow,
)
from ..people.services import self_invitation
from ..reports.store import cohort_changed
from ..respond.services import sealed_answers
from ..statuses import BatchStatus, InvitationStatus


@dataclass
class Removed:
    """How many rows of each kind a purge or an erasure deleted."""

    participants: int = 0
    invitations: int = 0
    responses: int = 0
    messages: int = 0

    def describe(self) -> str:
        """'3 participants, 9 invitations, ...' for the audit log and the command line."""
        return ", ".join(f"{count} {name}" for name, count in vars(self).items())


def retention_days(campaign: Campaign) -> int | None:
    """Days to keep personal data after closing, or None when the campaign sets no limit."""
    value = (campaign.settings or {}).get("retention_days")
    if value is None:
        return None
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return days if days >= 0 else None


def purge_due(now: datetime | None = None) -> list[Campaign]:
    """Closed campaigns whose retention period has run out and that are not purged yet."""
    now = now or utcnow()
    closed = db.session.scalars(
        select(Campaign).where(Campaign.closed_at.is_not(None)).order_by(Campaign.closed_at)
    )
    return [
        campaign
        for campaign in closed
        if (days := retention_days(campaign)) is not None
        and not (campaign.settings or {}).get("purged_on")
        and campaign.closed_at is not None
        and campaign.closed_at + timedelta(days=days) <= now
    ]


def purge_campaign(campaign: Campaign) -> Removed:
    """Delete every response, invitation, participant and message of a campaign."""
    removed = Removed(
        responses=_delete_responses(Response.campaign_id == campaign.id),
        messages=rows_matched(
            db.session.execute(delete(Message).where(Message.campaign_id == campaign.id))
        ),
        invitations=rows_matched(
            db.session.execute(delete(Invitation).where(Invitation.campaign_id == campaign.id))
        ),
        participants=rows_matched(
            db.session.execute(delete(Participant).where(Participant.campaign_id == campaign.id))
        ),
    )
    # Uploads waiting in their preview hold answers too (never identifying columns).
    db.session.execute(
        delete(ImportBatch).where(
            ImportBatch.campaign_id == campaign.id, ImportBatch.status == BatchStatus.PENDING
        )
    )
    campaign.settings = {**(campaign.settings or {}), "purged_on": utcnow().date().isoformat()}
    _audit("retention_purge", campaign, removed.describe())
    if campaign.kind == "360":
        cohort_changed(campaign)
    db.session.flush()
    db.session.expire_all()
    return removed


def erase_participant(participant: Participant) -> Removed:
    """Delete a participant and everything about them: links, raters, answers, plan, messages."""
    from ..talent.services import erase_for_participant

    campaign = participant.campaign
    invitation_ids = select(Invitation.id).where(Invitation.participant_id == participant.id)
    # Their talent-pool entry goes too; matches, sessions, sponsor and outcomes cascade.
    erase_for_participant(participant.id)
    removed = Removed(
        responses=_delete_responses(Response.participant_id == participant.id),
        messages=rows_matched(
            db.session.execute(
                delete(Message).where(
                    or_(
                        Message.participant_id == participant.id,
                        Message.invitation_id.in_(invitation_ids),
                    )
                )
            )
        ),
        invitations=rows_matched(
            db.session.execute(
                delete(Invitation).where(Invitation.participant_id == participant.id)
            )
        ),
        participants=rows_matched(
            db.session.execute(delete(Participant).where(Participant.id == participant.id))
        ),
    )
    # The audit trail keeps only that an erasure happened, never whom it was about.
    _audit("participant_erased", campaign, removed.describe())
    if campaign.kind == "360":
        cohort_changed(campaign)  # their figures leave the stored cohort report too
    db.session.flush()
    db.session.expire_all()
    return removed


def _delete_responses(condition) -> int:
    # Answers first: bulk deletes do not run ORM cascades, and SQLite may lack FK cascades.
    ids = select(Response.id).where(condition)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    return rows_matched(db.session.execute(delete(Response).where(condition)))


def _audit(action: str, campaign: Campaign, detail: str) -> None:
    from ..admin.audit_log import record_event

    record_event(action, campaign, detail)


def participant_data(participant: Participant) -> dict[str, Any]:
    """A participant's own data: never what any rater answered, nor raters' email addresses."""
    campaign = participant.campaign
    instrument = campaign_instrument(campaign)
    prompts = {
        item.id: item.prompt_for("self", participant.name)
        for section in instrument.sections_for("self")
        for item in section.items
    }
    own = self_invitation(participant)
    return {
        "campaign": {
            "title": campaign.title,
            "instrument": instrument.title,
            "status": campaign.status,
        },
        "you": {
            "name": participant.name,
            "email": participant.email,
            "organisation": participant.organisation,
            "current_role": participant.current_role,
            "aspired_role": participant.aspired_role,
            "added_on": participant.created_at.date().isoformat(),
        },
        "nominations": [
            {"name": invitation.name, "relationship": invitation.relationship}
            for invitation in _nominations(participant)
        ],
        "self_assessment": _self_answers(participant, own, prompts),
        "development_plan": participant.development_plan,
        "retention": _retention_text(campaign),
    }


def _nominations(participant: Participant) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.participant_id == participant.id, Invitation.relationship != "self")
            .order_by(Invitation.relationship, Invitation.name)
        )
    )


def _self_answers(
    participant: Participant, own: Invitation | None, prompts: dict[str, str]
) -> dict[str, Any]:
    response = db.session.scalar(
        select(Response).where(
            Response.participant_id == participant.id, Response.relationship == "self"
        )
    )
    if response is not None:
        values: dict[str, list[str]] = {}
        for answer in sorted(response.answers, key=lambda a: (a.item_id, a.position)):
            values.setdefault(answer.item_id, []).append(answer.value)
        status, answers = "submitted", values
    else:
        # Not mixed yet: the answers are still sealed on the participant's own invitation.
        status = own.status if own else "none"
        status = "submitted" if status == InvitationStatus.COMPLETED else status
        answers = sealed_answers(own) if own else {}
    return {
        "status": status,
        "answers": [
            {"item": item_id, "question": prompts.get(item_id, item_id), "values": list(vals)}
            for item_id, vals in answers.items()
        ],
    }


def _retention_text(campaign: Campaign) -> str:
    days = retention_days(campaign)
    if days is None:
        return "Kept until the campaign team deletes it."
    return f"Deleted {days} days after the campaign closes."


def privacy_notice(campaign: Campaign) -> dict[str, Any]:
    """What the privacy notice says, from the campaign's own settings (nothing about others)."""
    settings = campaign_settings(campaign)
    relationships = [r for r in settings.get("relationships", ()) if r.get("id") != "self"]
    owner = campaign.owner
    return {
        "title": campaign.title,
        "controller": (owner.name or "the campaign team") if owner else "the campaign team",
        "threshold": int(settings.get("anonymity_threshold", 3)),
        "individual": [str(r.get("label", r["id"])) for r in relationships if r.get("individual")],
        "grouped": [str(r.get("label", r["id"])) for r in relationships if not r.get("individual")],
        "retention_days": retention_days(campaign),
        "is_360": campaign.is_360,
    }
