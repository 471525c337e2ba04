"""Recording who signed in, exported or viewed a report (never what anyone answered)."""

from __future__ import annotations

from ..extensions import db
from ..models import AuditEvent, Campaign, User


def record_event(
    action: str, campaign: Campaign | str | None = None, detail: str = "", user: User | None = None
) -> AuditEvent:
    """Add an audit event; `user` defaults to whoever is signed in (None from the CLI)."""
    if user is None:
        user = _signed_in_user()
    campaign_id = campaign.id if isinstance(campaign, Campaign) else campaign
    event = AuditEvent(
        action=action[:50],
        campaign_id=campaign_id,
        detail=detail[:500],
        user_id=user.id if user else None,
    )
    db.session.add(event)
    db.session.flush()
    return event


def _signed_in_user() -> User | None:
    from flask import has_request_context

    if not has_request_context():
        return None
    from ..auth.access import current_user

    return current_user()
