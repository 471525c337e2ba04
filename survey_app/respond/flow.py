"""Who is answering what: a link token resolved to an invitation, its campaign and its wording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, url_for

from instruments import Instrument

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Campaign, Invitation, Participant
from ..people.services import find_invitation, find_participant, self_invitation
from .services import audience_of


@dataclass
class Answering:
    """One person answering through a link: 'r' (rater or respondent) or 'p' (self-assessment)."""

    kind: str
    token: str
    invitation: Invitation
    campaign: Campaign
    instrument: Instrument
    settings: dict[str, Any]
    audience: str
    subject_name: str

    def url(self, view: str, **values) -> str:
        """The URL of one of this flow's views."""
        return url_for(f"respond.{self.kind}_{view}", token=self.token, **values)

    @property
    def link_path(self) -> str:
        """The path every page of this link lives under (the claim cookie's scope)."""
        return url_for("respond.r_start", token=self.token)

    @property
    def relationship_label(self) -> str:
        """The rater's relationship as people read it."""
        for relationship in self.settings.get("relationships", ()):
            if relationship.get("id") == self.invitation.relationship:
                return str(relationship.get("label", relationship["id"]))
        return self.invitation.relationship or ""


def open_campaign_or_abort(campaign: Campaign | None) -> Campaign:
    """The campaign if its links work: 404 when unknown, 410 when closed or expired."""
    if campaign is None:
        abort(404)
    if not campaign.is_open:
        abort(410)
    return campaign


def link_answering(token: str) -> Answering:
    """A rater's or respondent's personal link (404/410 when it does not work)."""
    invitation = find_invitation(token)
    if invitation is None or invitation.relationship == "self":
        abort(404)
    campaign = open_campaign_or_abort(db.session.get(Campaign, invitation.campaign_id))
    name = invitation.participant.name if invitation.participant else ""
    return _answering("r", token, invitation, campaign, name)


def participant_or_abort(token: str) -> Participant:
    """The participant whose personal link this is (404/410 when it does not work)."""
    participant = find_participant(token)
    if participant is None:
        abort(404)
    open_campaign_or_abort(participant.campaign)
    return participant


def self_answering(token: str) -> Answering:
    """A participant's self-assessment, reached through their own link."""
    participant = participant_or_abort(token)
    return _answering("p", token, self_invitation(participant), participant.campaign,
                      participant.name)


def _answering(kind: str, token: str, invitation: Invitation, campaign: Campaign,
               subject_name: str) -> Answering:
    return Answering(kind=kind, token=token, invitation=invitation, campaign=campaign,
                     instrument=campaign_instrument(campaign),
                     settings=campaign_settings(campaign), audience=audience_of(invitation),
                     subject_name=subject_name)


def who_sees_what(answering: Answering) -> dict[str, Any]:
    """What a rater is told before starting: which groups are shown alone, which combined."""
    relationships = [r for r in answering.settings.get("relationships", ())
                     if r.get("id") != "self"]
    individual = [str(r["label"]) for r in relationships if r.get("individual")]
    grouped = [str(r["label"]) for r in relationships if not r.get("individual")]
    mine = next((r for r in relationships if r.get("id") == answering.invitation.relationship),
                None)
    return {"individual": individual, "grouped": grouped,
            "threshold": int(answering.settings.get("anonymity_threshold", 3)),
            "mine_individual": bool(mine and mine.get("individual"))}
