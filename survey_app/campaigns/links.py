"""Link URLs, and handing out links in bulk for a mail-merge.

Only token hashes are stored, so a link can be shown once, when it is made. Downloading links
therefore issues fresh tokens for every approved link not yet answered; links handed out earlier
stop working (the person's saved draft is kept and the new link opens it). Nominations waiting for
approval have no link at all (docs/design.md §3.4).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from ..extensions import db
from ..models import Campaign, Invitation, Participant
from ..people.services import add_invitation, reissue_token
from ..statuses import WAITING, WindowStatus

LINK_COLUMNS = [
    "url",
    "link_for",
    "participant",
    "participant_email",
    "relationship",
    "name",
    "email",
]
PREFIXES = {"invitation": "r", "participant": "p", "open": "o"}
MAX_NEW_LINKS = 5000


def link_url(kind: str, token: str) -> str:
    """The full address of a link: /r/ invitations, /p/ participants, /o/ the open link."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/{PREFIXES[kind]}/{token}"


def participant_row(participant: Participant, token: str) -> dict:
    """A CSV row for a participant's own link."""
    return {
        "url": link_url("participant", token),
        "link_for": "participant",
        "participant": participant.name,
        "participant_email": participant.email or "",
        "relationship": "self",
        "name": participant.name,
        "email": participant.email or "",
    }


def invitation_row(invitation: Invitation, token: str) -> dict:
    """A CSV row for a rater's or respondent's link."""
    participant = invitation.participant
    return {
        "url": link_url("invitation", token),
        "link_for": "rater" if participant else "respondent",
        "participant": participant.name if participant else "",
        "participant_email": (participant.email or "") if participant else "",
        "relationship": invitation.relationship or "",
        "name": invitation.name,
        "email": invitation.email or "",
    }


def handed_out_invitations(campaign: Campaign) -> list[Invitation]:
    """Approved links still waiting for an answer, in open windows (self is reached via /p/)."""
    query = (
        select(Invitation)
        .outerjoin(Participant, Invitation.participant_id == Participant.id)
        .where(
            Invitation.campaign_id == campaign.id,
            Invitation.status.in_(WAITING),
            or_(Participant.id.is_(None), Participant.window_status == WindowStatus.OPEN),
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    return [
        i
        for i in db.session.scalars(query)
        if i.relationship != "self" and not (i.source or "").startswith("open")
    ]


def reissue_all_links(campaign: Campaign) -> list[dict]:
    """Fresh links for every participant and every invitation not yet completed."""
    rows = []
    participants = db.session.scalars(
        select(Participant)
        .where(Participant.campaign_id == campaign.id)
        .order_by(Participant.name, Participant.id)
    )
    for participant in participants:
        rows.append(participant_row(participant, reissue_token(participant)))
    for invitation in handed_out_invitations(campaign):
        rows.append(invitation_row(invitation, reissue_token(invitation)))
    return rows


def make_survey_links(campaign: Campaign, count: int) -> list[dict]:
    """`count` new personal links for a research survey."""
    if campaign.is_360:
        raise ValueError("A 360 campaign's links come from its participants and raters.")
    if not 1 <= count <= MAX_NEW_LINKS:
        raise ValueError(f"Make between 1 and {MAX_NEW_LINKS} links at a time.")
    return [
        invitation_row(link.invitation, link.token)
        for link in (add_invitation(campaign) for _ in range(count))
    ]
