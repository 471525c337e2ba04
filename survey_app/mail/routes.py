"""The messages page (outbox and sent log) and the invite/remind buttons."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, login_required
from ..campaigns.links import link_url
from ..extensions import db
from ..models import Invitation, Message, Participant
from ..people.services import reissue_token
from ..respond.forms import ActionForm
from ..statuses import WAITING
from ..wording import counted
from . import bp
from .bulk import recipients_count, send_campaign_messages
from .services import KINDS, LINK_MAKERS, revealable, smtp_configured, with_link


@bp.get("/<campaign_id>/messages")
@login_required
def messages(campaign_id):
    """Every invitation and reminder: what was sent to whom and when, or is waiting to be copied."""
    campaign = campaign_access(campaign_id, write=True)
    rows = db.session.scalars(
        select(Message)
        .where(Message.campaign_id == campaign.id)
        .order_by(Message.created_at.desc(), Message.id.desc())
    ).all()
    return render_template(
        "mail/messages.html",
        campaign=campaign,
        messages=rows,
        smtp=smtp_configured(),
        form=ActionForm(),
        revealable=revealable,
    )


@bp.post("/<campaign_id>/messages/<int:message_id>/reveal")
@login_required
def reveal(campaign_id, message_id):
    """Show a waiting message with a fresh link in it, to copy into your own email, once.

    The outbox keeps no working link (docs/design.md §3.1), so the link is made now and any
    earlier link for the same person stops working.
    """
    campaign = campaign_access(campaign_id, write=True)
    message = db.session.get(Message, message_id) if message_id < 2**31 else None
    if (
        message is None
        or message.campaign_id != campaign.id
        or not ActionForm().validate()
        or not revealable(message)
    ):
        abort(404)
    if message.kind in LINK_MAKERS:
        url = LINK_MAKERS[message.kind](message)
    else:
        record = (
            db.session.get(Invitation, message.invitation_id)
            if message.invitation_id
            else db.session.get(Participant, message.participant_id)
        )
        usable = record is not None and not (
            isinstance(record, Invitation) and record.status not in WAITING
        )
        kind = "invitation" if isinstance(record, Invitation) else "participant"
        url = link_url(kind, reissue_token(record)) if usable else None
    if url is None:
        flash(
            "That person has already answered, declined or been removed, so no new link was made.",
            "error",
        )
        return redirect(url_for(".messages", campaign_id=campaign.id))
    record_event("link_shown", campaign, f"message {message.id}")
    db.session.commit()
    return render_template(
        "mail/reveal.html", campaign=campaign, message=message, body=with_link(message, url)
    )


def _not_open(campaign):
    flash(
        "Open the campaign before sending links: links to a closed campaign do not work.", "error"
    )
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.get("/<campaign_id>/messages/<kind>")
@login_required
def confirm_send(campaign_id, kind):
    """Ask before emailing: how many people, and that their earlier links stop working."""
    campaign = campaign_access(campaign_id, write=True)
    if kind not in KINDS:
        abort(404)
    if not campaign.is_open:
        return _not_open(campaign)
    with_email, without = recipients_count(campaign, kind)
    who = counted(with_email, "person", "people")
    paragraphs = [
        f"This emails {who} {'an invitation' if kind == 'invitation' else 'a reminder'}"
        + (
            " now."
            if smtp_configured()
            else ". No mail server is set up, so the messages wait in the outbox for you to copy."
        )
    ]
    if without:
        paragraphs.append(
            f"{counted(without, 'person', 'people')} without an email address will be skipped."
        )
    return render_template(
        "campaigns/confirm.html",
        campaign=campaign,
        confirm={
            "title": f"Email {'invitations' if kind == 'invitation' else 'reminders'}?",
            "paragraphs": paragraphs,
            "warning": "Each email carries a fresh link, and the earlier link of each person "
            "emailed stops working, including links in a mail-merge CSV you downloaded "
            "before. Anyone who opens an old link is told to ask you for the new one.",
            "button": f"Send {'invitations' if kind == 'invitation' else 'reminders'}",
            "action": url_for(".send", campaign_id=campaign.id, kind=kind),
            "back": url_for("campaigns.detail", campaign_id=campaign.id),
        },
    )


@bp.post("/<campaign_id>/messages/<kind>")
@login_required
def send(campaign_id, kind):
    """Invite everyone not yet invited, or remind everyone not finished (once confirmed)."""
    campaign = campaign_access(campaign_id, write=True)
    if kind not in KINDS:
        abort(404)
    if request.form.get("confirm") != "yes":
        return redirect(url_for(".confirm_send", campaign_id=campaign.id, kind=kind))
    if not campaign.is_open:
        return _not_open(campaign)
    summary = send_campaign_messages(campaign, kind)
    db.session.commit()
    flash(f"{kind.capitalize()}s: {summary.describe()}", "error" if summary.failed else "success")
    return redirect(url_for(".messages", campaign_id=campaign.id))
