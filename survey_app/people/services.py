"""Creating participants and personal links, and finding them again from a token."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload, undefer

from ..extensions import db
from ..models import Campaign, Invitation, Participant
from ..statuses import LinkKind
from ..tokens import hash_token, looks_like_token, new_token
from .replaced import remember_replaced


@dataclass
class Link:
    """A freshly made link: the token exists only here, the database keeps its hash."""

    token: str
    invitation: Invitation


@dataclass
class ParticipantLink:
    """A participant's freshly made personal link (the token exists only here too)."""

    token: str
    participant: Participant


def add_participant(
    campaign: Campaign,
    name: str,
    email: str | None = None,
    organisation: str = "",
    current_role: str = "",
    aspired_role: str = "",
) -> ParticipantLink:
    """A 360 participant with their personal link and their self-assessment invitation."""
    token = new_token()
    participant = Participant(
        campaign=campaign,
        name=name.strip(),
        email=email or None,
        organisation=organisation.strip(),
        current_role=current_role.strip(),
        aspired_role=aspired_role,
        token_hash=hash_token(token),
    )
    db.session.add(participant)
    db.session.flush()
    # The self-assessment is reached through the participant's own link, so its token is unused.
    add_invitation(
        campaign, participant=participant, relationship="self", name=name, source="participant"
    )
    return ParticipantLink(token=token, participant=participant)


def add_invitation(
    campaign: Campaign,
    participant: Participant | None = None,
    relationship: str | None = None,
    name: str = "",
    email: str | None = None,
    source: str = "commissioner",
) -> Link:
    """A personal link to answer: a rater of a participant, or a survey respondent."""
    token = new_token()
    invitation = Invitation(
        campaign_id=campaign.id,
        participant=participant,
        relationship=relationship,
        name=name.strip(),
        email=email or None,
        token_hash=hash_token(token),
        source=source,
    )
    db.session.add(invitation)
    db.session.flush()
    return Link(token=token, invitation=invitation)


def reissue_token(record: Invitation | Participant) -> str:
    """Give an invitation or participant a new link; the old one stops working."""
    token = new_token()
    kind = LinkKind.INVITATION if isinstance(record, Invitation) else LinkKind.PARTICIPANT
    remember_replaced(record.token_hash, record.campaign_id, kind)
    record.token_hash = hash_token(token)
    if isinstance(record, Invitation):
        record.claim_hash = None
        record.resume_code_hash = None
    db.session.flush()
    return token


# A link's campaign without its JSON columns (the 25 KB snapshot, settings and codebooks): the
# answering pages find what they need by the fingerprint instead (campaigns/services.py).
_LIGHT_CAMPAIGN = (
    defer(Campaign.instrument_snapshot),
    defer(Campaign.settings),
    defer(Campaign.codebooks),
    undefer(Campaign.config_digest),
)
# Built once: every answering request runs these, and building the statement showed in profiles.
# Loading the rater's participant and campaign in the same query saves round trips.
_INVITATION_BY_HASH = (
    select(Invitation)
    .where(Invitation.token_hash == bindparam("token_hash"))
    .options(
        joinedload(Invitation.participant),
        joinedload(Invitation.campaign).options(*_LIGHT_CAMPAIGN),
    )
)
_PARTICIPANT_BY_HASH = (
    select(Participant)
    .where(Participant.token_hash == bindparam("token_hash"))
    .options(joinedload(Participant.campaign).options(*_LIGHT_CAMPAIGN))
)


def find_invitation(token: str) -> Invitation | None:
    """The invitation a link token belongs to, or None."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(_INVITATION_BY_HASH, {"token_hash": hash_token(token)})


def find_participant(token: str) -> Participant | None:
    """The participant a link token belongs to, or None."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(_PARTICIPANT_BY_HASH, {"token_hash": hash_token(token)})


def find_open_link_campaign(token: str) -> Campaign | None:
    """The campaign whose open link this is, or None."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(select(Campaign).where(Campaign.open_token_hash == hash_token(token)))


def self_invitation(participant: Participant) -> Invitation:
    """The participant's own self-assessment invitation."""
    # add_participant makes it, and it goes only with the participant: exactly one exists.
    return db.session.scalars(
        select(Invitation).where(
            Invitation.participant_id == participant.id, Invitation.relationship == "self"
        )
    ).one()
