"""A 360 participant's view of their raters: how many in each group were asked and answered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..campaigns.tracking import participant_progress
from ..models import Participant
from ..nominations.services import rater_relationships


def progress(participant: Participant, settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per relationship: how many were asked and how many have answered, never who."""
    counts = {
        group.key: {"asked": group.invited, "answered": group.completed}
        for group in participant_progress(participant)
    }
    result = []
    for relationship in rater_relationships(settings):
        group = counts.get(relationship["id"])
        if group:
            label = str(relationship.get("label", relationship["id"]))
            result.append(
                {
                    "id": relationship["id"],
                    "label": label,
                    **group,
                    "sentence": progress_sentence(label, **group),
                }
            )
    return result


def progress_sentence(label: str, asked: int, answered: int) -> str:
    """'2 of 4 peers have answered' style wording."""
    noun = (
        label[0].lower() + label[1:] if label[:1].isupper() and not label[:2].isupper() else label
    )
    plural = noun if asked == 1 else f"{noun}s"
    verb = "has" if asked == 1 else "have"
    return f"{answered} of {asked} {plural} {verb} answered"
