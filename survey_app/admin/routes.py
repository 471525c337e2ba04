"""The audit log page, for administrators."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from ..auth.access import admin_required
from ..extensions import db
from ..inputs import whole_number
from ..models import AuditEvent, User

bp = Blueprint("admin", __name__, url_prefix="/admin")
PAGE_SIZE = 100
MAX_PAGE = 100_000


@bp.get("/audit")
@admin_required
def audit_log():
    """The most recent audit events, newest first, optionally for one action or campaign."""
    page = whole_number(request.args.get("page"), minimum=1, maximum=MAX_PAGE) or 1
    query = select(AuditEvent, User.email).outerjoin(User, AuditEvent.user_id == User.id)
    action = request.args.get("action", "").strip()
    campaign_id = request.args.get("campaign", "").strip()
    if action:
        query = query.where(AuditEvent.action == action)
    if campaign_id:
        query = query.where(AuditEvent.campaign_id == campaign_id)
    rows = db.session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                              .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("admin/audit.html", rows=rows[:PAGE_SIZE], page=page,
                           has_more=len(rows) > PAGE_SIZE, action=action,
                           campaign_id=campaign_id)
