"""A 360 participant's view of their raters: how many in each group were asked and answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from ..models import Invitation, Participant
from ..nominations.services import rater_relationships


def progress(participant: Participant, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per relationship: how many were asked and how many have answered, never who."""
    rows = db.session.execute(
        select(Invitation.relationship, Invitation.status, func.count())
        .where(Invitation.participant_id == participant.id, Invitation.relationship != "self",
               Invitation.status.not_in(("proposed", "rejected")))
        .group_by(Invitation.relationship, Invitation.status)).all()
    counts: dict[str | None, dict[str, int]] = {}
    for group_id, status, count in rows:
        group = counts.setdefault(group_id, {"asked": 0, "answered": 0})
        group["asked"] += count
        if status == "completed":
            group["answered"] += count
    result = []
    for relationship in rater_relationships(settings):
        tally = counts.get(relationship["id"])
        if tally:
            label = str(relationship.get("label", relationship["id"]))
            result.append({"id": relationship["id"], "label": label, **tally,
                           "sentence": progress_sentence(label, **tally)})
    return result


def progress_sentence(label: str, asked: int, answered: int) -> str:
    """'2 of 4 peers have answered' style wording."""
    noun = label[0].lower() + label[1:] if label[:1].isupper() and not label[:2].isupper() \
        else label
    plural = noun if asked == 1 else f"{noun}s"
    verb = "has" if asked == 1 else "have"
    return f"{answered} of {asked} {plural} {verb} answered"
