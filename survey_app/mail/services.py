"""Writing and delivering invitation and reminder emails.

Each message is recorded as a Message row (who, what, when; never linked to a response). The
stored body never holds a working link, only LINK_PLACEHOLDER: the link is put in when the email
is sent, and for a message waiting in the outbox (no SMTP configured, or a failed send) the
commissioner asks for it to be shown with a fresh link, which replaces the old one
(docs/design.md §3.1).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from email.message import EmailMessage

from flask import current_app, render_template
from jinja2 import TemplateNotFound

from ..extensions import db
from ..models import Campaign, Invitation, Message, Participant, utcnow
from ..statuses import MessageKind

KINDS = (MessageKind.INVITATION, MessageKind.REMINDER)
LINK_PLACEHOLDER = "[personal link: made fresh when this message is sent or shown]"
# Other features' messages carry their own kind of link: each registers, by message kind, how
# to make a fresh one (None when the person may no longer use a link).
LINK_MAKERS: dict[str, Callable[[Message], str | None]] = {}


def _template_names(kind: str, relationship: str | None) -> list[str]:
    general = "respondent" if relationship is None else "rater"
    names = [f"mail/{kind}_{relationship}.txt"] if relationship else []
    return names + [f"mail/{kind}_{general}.txt", f"mail/{kind}.txt"]


def compose(
    campaign: Campaign,
    kind: str,
    relationship: str | None,
    invitation: Invitation | None = None,
    participant: Participant | None = None,
) -> tuple[str, str]:
    """(subject, body) from the templates for this kind and relationship, link left out."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    about = participant or (invitation.participant if invitation else None)
    labels = {
        r["id"]: r.get("label", r["id"])
        for r in (campaign.instrument_snapshot.get("settings") or {}).get("relationships") or []
    }
    context = {
        "campaign": campaign,
        "link_url": LINK_PLACEHOLDER,
        "about": about,
        "relationship_label": labels.get(relationship or "", ""),
        "name": (invitation.name if invitation else "")
        or (participant.name if participant else ""),
    }
    text = render_template(_choose(_template_names(kind, relationship)), **context)
    return _subject_and_body(text, f"{campaign.title}: {kind}")


def _subject_and_body(text: str, default_subject: str) -> tuple[str, str]:
    first, _, body = text.lstrip().partition("\n")
    subject = (
        first.removeprefix("Subject:").strip()
        if first.startswith("Subject:")
        else (default_subject)
    )
    return " ".join(subject.split())[:300], body.strip() + "\n"


def record_rendered(
    campaign: Campaign,
    to: str,
    kind: str,
    template: str,
    participant: Participant | None = None,
    **context,
) -> Message:
    """A Message row from another feature's template ('Subject:' first line), link left out.

    The template gets `campaign`, `participant` and `link_url` (LINK_PLACEHOLDER) besides
    `context`; give the message's link to `deliver`.
    """
    text = render_template(
        template, campaign=campaign, participant=participant, link_url=LINK_PLACEHOLDER, **context
    )
    subject, body = _subject_and_body(text, f"{campaign.title}: {kind}")
    message = Message(
        campaign_id=campaign.id,
        kind=kind,
        to_address=to,
        subject=subject,
        body=body,
        participant_id=participant.id if participant else None,
    )
    db.session.add(message)
    db.session.flush()
    return message


def revealable(message: Message) -> bool:
    """True when a waiting message has a link that can be made fresh and shown."""
    return (
        message.sent_at is None
        and LINK_PLACEHOLDER in message.body
        and (
            message.kind in LINK_MAKERS
            or bool(message.invitation_id)
            or bool(message.participant_id)
        )
    )


def with_link(message: Message, link_url: str) -> str:
    """The message body as the recipient reads it, with their link in place."""
    return message.body.replace(LINK_PLACEHOLDER, link_url)


def _choose(names: list[str]) -> str:
    loader = current_app.jinja_env
    for name in names:
        try:
            loader.get_template(name)
        except TemplateNotFound:
            continue
        return name
    raise TemplateNotFound(names[-1])


def record_message(
    campaign: Campaign,
    to: str,
    kind: str,
    relationship: str | None,
    invitation: Invitation | None = None,
    participant: Participant | None = None,
) -> Message:
    """A Message row for one invitation or reminder, its body without the link (flushes)."""
    subject, body = compose(campaign, kind, relationship, invitation, participant)
    message = Message(
        campaign_id=campaign.id,
        kind=kind,
        to_address=to,
        subject=subject,
        body=body,
        invitation_id=invitation.id if invitation else None,
        participant_id=participant.id if participant else None,
    )
    db.session.add(message)
    db.session.flush()
    return message


def send_invitation(invitation: Invitation, token: str) -> Message:
    """Email a rater's or respondent's link to their own address (or leave it in the outbox)."""
    from ..campaigns.links import link_url

    campaign = db.session.get_one(Campaign, invitation.campaign_id)
    message = record_message(
        campaign,
        invitation.email or "",
        MessageKind.INVITATION,
        invitation.relationship,
        invitation=invitation,
        participant=invitation.participant,
    )
    deliver([(message, link_url("invitation", token))])
    return message


def smtp_configured() -> bool:
    """True when MAIL_SERVER is set."""
    return bool(current_app.config.get("MAIL_SERVER"))


def deliver(batch: list[tuple[Message, str]]) -> None:
    """Send each (message, link) over one SMTP connection; failures are recorded per message."""
    if not batch or not smtp_configured():
        return
    config = current_app.config
    try:
        with _connect() as smtp:
            for message, link_url in batch:
                _send_one(smtp, config["MAIL_FROM"], message, link_url)
    except (smtplib.SMTPException, OSError) as error:
        for message, _ in batch:
            if message.sent_at is None and not message.error:
                message.error = f"Could not reach the mail server: {error}"[:1000]
    db.session.flush()


def _connect() -> smtplib.SMTP:
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_email(to: str, subject: str, body: str) -> str | None:
    """Send one message that is not kept in the outbox (an account email); the error, if any."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = to
    email["Subject"] = subject
    email.set_content(body)
    try:
        with _connect() as smtp:
            smtp.send_message(email)
    except (smtplib.SMTPException, OSError) as error:
        return f"Could not send the email: {error}"[:300]
    return None


def _send_one(smtp: smtplib.SMTP, sender: str, message: Message, link_url: str) -> None:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(with_link(message, link_url))
    try:
        smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        message.error = f"The mail server refused the address: {error}"[:1000]
        return
    message.sent_at = utcnow()
    message.error = None
