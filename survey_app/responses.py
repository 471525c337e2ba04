"""Reading and writing anonymous responses as plain data (the shape analysis/ works on)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from .extensions import db
from .models import Answer, Response, new_id, today


@dataclass
class ResponseData:
    """One submitted response: whom it is about, the rater group, the day, and its answers."""

    id: str
    participant_id: str | None
    relationship: str | None
    submitted_on: date
    answers: dict[str, list[str]] = field(default_factory=dict)


def store_response(
    campaign_id: str,
    answers: dict[str, list[str]],
    participant_id: str | None = None,
    relationship: str | None = None,
    source: str = "link",
) -> str:
    """Write one response and its answer rows; returns the response id (the caller commits)."""
    return store_responses(campaign_id, [(participant_id, relationship, answers)], source)[0]


def store_responses(
    campaign_id: str,
    rows: Iterable[tuple[str | None, str | None, dict[str, list[str]]]],
    source: str = "link",
) -> list[str]:
    """Write (participant id, relationship, answers) rows as responses; returns their ids."""
    # Plain multi-row INSERTs: building ORM objects for every answer costs nine tenths of the time.
    responses: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    for participant_id, relationship, answers in rows:
        response_id = new_id()
        responses.append(
            {
                "id": response_id,
                "campaign_id": campaign_id,
                "participant_id": participant_id,
                "relationship": relationship,
                "submitted_on": today(),
                "source": source,
            }
        )
        answer_rows += [
            {"response_id": response_id, "item_id": item_id, "position": position, "value": value}
            for item_id, values in answers.items()
            for position, value in enumerate(values)
        ]
    if responses:
        db.session.flush()
        db.session.execute(Response.__table__.insert(), responses)
    if answer_rows:
        db.session.execute(Answer.__table__.insert(), answer_rows)
    return [row["id"] for row in responses]


def load_responses(campaign_id: str, participant_id: str | None = None) -> list[ResponseData]:
    """Every response of a campaign (or of one participant) with its answers, in one query."""
    query = (
        select(
            Response.id,
            Response.participant_id,
            Response.relationship,
            Response.submitted_on,
            Answer.item_id,
            Answer.value,
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.campaign_id == campaign_id)
        .order_by(Response.id, Answer.item_id, Answer.position)
    )
    if participant_id is not None:
        query = query.where(Response.participant_id == participant_id)
    found: dict[str, ResponseData] = {}
    for rid, pid, relationship, day, item_id, value in db.session.execute(query):
        data = found.get(rid)
        if data is None:
            data = found[rid] = ResponseData(rid, pid, relationship, day)
        if item_id is not None:
            data.answers.setdefault(item_id, []).append(value)
    return list(found.values())
