"""The messages page (outbox and sent log) and the invite/remind buttons."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ..auth.access import campaign_access, login_required
from ..extensions import db
from ..models import Message
from .bulk import send_campaign_messages
from .services import KINDS, smtp_configured

bp = Blueprint("mail", __name__, url_prefix="/campaigns")


@bp.get("/<campaign_id>/messages")
@login_required
def messages(campaign_id):
    """Every invitation and reminder: what was sent to whom and when, or is waiting to be copied."""
    campaign = campaign_access(campaign_id, write=True)
    rows = db.session.scalars(select(Message).where(Message.campaign_id == campaign.id)
                              .order_by(Message.created_at.desc(), Message.id.desc())).all()
    return render_template("mail/messages.html", campaign=campaign, messages=rows,
                           smtp=smtp_configured())


@bp.post("/<campaign_id>/messages/<kind>")
@login_required
def send(campaign_id, kind):
    """Invite everyone not yet invited, or remind everyone not finished."""
    campaign = campaign_access(campaign_id, write=True)
    if kind not in KINDS:
        abort(404)
    if not campaign.is_open:
        flash("Open the campaign before sending links: links to a closed campaign do not work.",
              "error")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    summary = send_campaign_messages(campaign, kind)
    db.session.commit()
    flash(f"{kind.capitalize()}s: {summary.describe()}", "error" if summary.failed else "success")
    return redirect(url_for(".messages", campaign_id=campaign.id))
