"""A 360 participant's own work: nominating raters, their links, and progress counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blinker import Namespace
from sqlalchemy import func, select

from ..extensions import db
from ..models import Invitation, Participant
from ..people.services import Link, add_invitation, reissue_token

MAX_RATERS = 40
SUGGESTED_PER_GROUP = 5

signals = Namespace()
#: Sent with (sender=app, invitation=Invitation, url=str) whenever a rater's link is made or
#: remade. The email feature connects here to send the invitation; nothing is sent otherwise.
rater_link_issued = signals.signal("rater-link-issued")


class NominationError(ValueError):
    """A nomination that cannot be accepted, with a message for the participant."""


def rater_relationships(settings: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The relationships a participant can nominate (everything but 'self')."""
    return [r for r in settings.get("relationships", ()) if r.get("id") != "self"]


def raters_of(participant: Participant) -> list[Invitation]:
    """The participant's nominated raters, oldest first."""
    return list(db.session.scalars(
        select(Invitation).where(Invitation.participant_id == participant.id,
                                 Invitation.relationship != "self")
        .order_by(Invitation.created_at, Invitation.name)))


def nominate(participant: Participant, settings: Mapping[str, Any], name: str,
             email: str | None, relationship: str) -> Link:
    """Add a rater and make their personal link (shown to the participant to pass on)."""
    allowed = {r["id"] for r in rater_relationships(settings)}
    if relationship not in allowed:
        raise NominationError("Choose how they work with you from the list")
    if len(raters_of(participant)) >= MAX_RATERS:
        raise NominationError(f"You can nominate up to {MAX_RATERS} people")
    return add_invitation(participant.campaign, participant=participant,
                          relationship=relationship, name=name, email=email or None,
                          source="participant")


def relink(invitation: Invitation) -> str:
    """A fresh token for a rater (the old link stops working and any saved draft is deleted).

    It is offered for every rater alike, so the list shows nothing about who has opened or
    answered; deleting the draft keeps whoever opens the new link from reading old answers.
    """
    if invitation.status in ("invited", "started"):
        invitation.status = "invited"
        invitation.draft = None
        invitation.draft_page = None
    return reissue_token(invitation)


def progress(participant: Participant, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per relationship: how many were asked and how many have answered, never who."""
    rows = db.session.execute(
        select(Invitation.relationship, Invitation.status, func.count())
        .where(Invitation.participant_id == participant.id, Invitation.relationship != "self")
        .group_by(Invitation.relationship, Invitation.status)).all()
    counts: dict[str, dict[str, int]] = {}
    for relationship, status, count in rows:
        group = counts.setdefault(relationship, {"asked": 0, "answered": 0})
        group["asked"] += count
        if status == "completed":
            group["answered"] += count
    result = []
    for relationship in rater_relationships(settings):
        group = counts.get(relationship["id"])
        if group:
            label = str(relationship.get("label", relationship["id"]))
            result.append({"id": relationship["id"], "label": label, **group,
                           "sentence": progress_sentence(label, **group)})
    return result


def progress_sentence(label: str, asked: int, answered: int) -> str:
    """'2 of 4 peers have answered' style wording."""
    noun = label[0].lower() + label[1:] if label[:1].isupper() and not label[:2].isupper() \
        else label
    plural = noun if asked == 1 else f"{noun}s"
    verb = "has" if asked == 1 else "have"
    return f"{answered} of {asked} {plural} {verb} answered"
