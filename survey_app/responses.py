"""Reading and writing anonymous responses as plain data (the shape analysis/ works on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from .extensions import db
from .models import Answer, Response, today


@dataclass
class ResponseData:
    """One submitted response: whom it is about, the rater group, the day, and its answers."""

    id: str
    participant_id: str | None
    relationship: str | None
    submitted_on: date
    answers: dict[str, list[str]] = field(default_factory=dict)


def store_response(campaign_id: str, answers: dict[str, list[str]],
                   participant_id: str | None = None, relationship: str | None = None,
                   source: str = "link") -> Response:
    """Write a response and its answer rows (flushes; the caller commits)."""
    response = Response(campaign_id=campaign_id, participant_id=participant_id,
                        relationship=relationship, submitted_on=today(), source=source)
    db.session.add(response)
    db.session.flush()
    rows = [{"response_id": response.id, "item_id": item_id, "position": position,
             "value": value}
            for item_id, values in answers.items() for position, value in enumerate(values)]
    if rows:
        db.session.execute(Answer.__table__.insert(), rows)
    return response


def load_responses(campaign_id: str, participant_id: str | None = None) -> list[ResponseData]:
    """Every response of a campaign (or of one participant) with its answers, in one query."""
    query = (select(Response.id, Response.participant_id, Response.relationship,
                    Response.submitted_on, Answer.item_id, Answer.value)
             .outerjoin(Answer, Answer.response_id == Response.id)
             .where(Response.campaign_id == campaign_id)
             .order_by(Response.id, Answer.item_id, Answer.position))
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
