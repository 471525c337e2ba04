"""Administrators' pages: accounts (disable, enable, lift a pause, reset) and the audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth.access import admin_required
from ..auth.resets import RESET_MINUTES
from ..extensions import db
from ..inputs import whole_number
from ..models import AuditEvent, User
from . import bp
from .accounts import account_rows, apply_action
from .forms import AccountActionForm

PAGE_SIZE = 100
MAX_PAGE = 100_000


@bp.get("/users")
@admin_required
def users():
    """Every account with its state and the actions an administrator can take."""
    return render_template("admin/users.html", rows=account_rows())


@bp.post("/users/<int:user_id>")
@admin_required
def update_user(user_id: int):
    """Disable, enable, lift a sign-in pause or reset the password of one account."""
    user = db.session.get(User, user_id) or abort(404)
    form = AccountActionForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = apply_action(user, form.action.data)
    db.session.commit()
    if outcome.link:
        return render_template(
            "admin/reset_link.html", user=user, url=outcome.link, minutes=RESET_MINUTES
        )
    flash(outcome.message, "error" if outcome.refused else "success")
    return redirect(url_for(".users"))


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
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "admin/audit_log.html",
        rows=rows[:PAGE_SIZE],
        page=page,
        has_more=len(rows) > PAGE_SIZE,
        action=action,
        campaign_id=campaign_id,
    )
