"""Who is answering what: a link token resolved to an invitation, its campaign and its wording."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, NoReturn

from flask import abort, make_response, url_for
from markupsafe import Markup

from instruments import Instrument

from ..campaigns.services import campaign_instrument, campaign_settings, config_key
from ..errors import render_error
from ..extensions import db
from ..models import Campaign, Invitation, Participant, today
from ..people.replaced import find_replaced
from ..people.services import find_invitation, find_participant, self_invitation
from ..statuses import NOT_INVITED, CampaignStatus, WindowStatus
from ..templating import format_date
from .language import chosen_language, lang_attribute, language_choices, this_page_in, worded
from .services import audience_of, who_runs


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
    language: str = ""  # one of the instrument's translations, or '' for its own wording

    def url(self, view: str, **values) -> str:
        """The URL of one of this flow's views."""
        return url_for(f"respond.{self.kind}_{view}", token=self.token, **values)

    @property
    def lang_attr(self) -> Markup:
        """` lang="cy"` for elements holding the instrument's wording when it is translated."""
        return lang_attribute(self.language)

    @staticmethod
    def language_url(language: str) -> str:
        """This page in another of the instrument's languages."""
        return this_page_in(language)

    @cached_property
    def languages(self) -> list[tuple[str, str, str, bool]]:
        """The instrument's languages to offer (none when it has only one)."""
        return (
            language_choices(self.instrument, self.language) if self.instrument.translations else []
        )

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


WINDOW_CLOSED = (
    "Feedback for this person has closed",
    "The time for giving feedback has ended and the report has been prepared. "
    "Nothing you had already submitted has been lost.",
)


def not_open_yet(campaign: Campaign) -> bool:
    """A draft, or an open campaign whose opening date is still to come."""
    return campaign.status == CampaignStatus.DRAFT or bool(
        campaign.opens_on and campaign.opens_on > today()
    )


def opening_sentence(campaign: Campaign) -> str:
    """When a campaign that has not opened yet will open, as far as anyone knows."""
    if campaign.opens_on and campaign.opens_on > today():
        return f"It opens on {format_date(campaign.opens_on)}."
    return "The people running it have not opened it yet."


def not_open_yet_message(campaign: Campaign) -> tuple[str, str]:
    """Title and explanation for a link whose campaign has not opened (not 'expired')."""
    return (
        "This link is not open yet",
        f"{opening_sentence(campaign)} Keep this link: it will work once the survey opens. "
        "Nothing has been lost.",
    )


def not_found_or_replaced(token: str) -> NoReturn:
    """404 for a token that was never a link; 410 saying what to do for a replaced one."""
    replaced = find_replaced(token)
    campaign = db.session.get(Campaign, replaced.campaign_id) if replaced else None
    if replaced is None or campaign is None:
        abort(404)
    abort(
        make_response(
            render_error(
                410,
                "This link has been replaced",
                (
                    f"A newer link to “{campaign.title}” was made on "
                    f"{format_date(replaced.replaced_on)}, so this one no longer works. "
                    "Use the link in the most recent email you were sent. "
                    f"If you cannot find it, ask {who_runs(campaign)}, who runs it, "
                    "for the new link. "
                    "Nothing you had already saved or submitted has been lost."
                ),
            )
        )
    )


def open_campaign_or_abort(campaign: Campaign | None) -> Campaign:
    """The campaign if its links work: 404 when unknown, 410 when closed, 403 before opening."""
    if campaign is None:
        abort(404)
    if not_open_yet(campaign):
        abort(make_response(render_error(403, *not_open_yet_message(campaign))))
    if not campaign.is_open:
        abort(410)
    return campaign


def window_open_or_abort(participant: Participant | None) -> None:
    """410 with an explanation once a participant's feedback window has closed."""
    if participant is not None and participant.window_status != WindowStatus.OPEN:
        abort(make_response(render_error(410, *WINDOW_CLOSED)))


def link_answering(token: str, closed_ok: bool = False) -> Answering:
    """A rater's or respondent's approved personal link (404/410 when it does not work)."""
    invitation = find_invitation(token)
    if invitation is None:
        not_found_or_replaced(token)
    if invitation.relationship == "self" or invitation.status in NOT_INVITED:
        abort(404)
    campaign = open_campaign_or_abort(invitation.campaign)
    if not closed_ok:
        window_open_or_abort(invitation.participant)
    name = invitation.participant.name if invitation.participant else ""
    return _answering("r", token, invitation, campaign, name)


def participant_or_abort(token: str, closed_ok: bool = False) -> Participant:
    """The participant of a link; unless `closed_ok`, 410 once the campaign or window closed."""
    participant = find_participant(token)
    if participant is None:
        not_found_or_replaced(token)
    if not closed_ok:
        open_campaign_or_abort(participant.campaign)
        window_open_or_abort(participant)
    return participant


def self_answering(token: str, closed_ok: bool = False) -> Answering:
    """A participant's self-assessment, reached through their own link."""
    participant = participant_or_abort(token, closed_ok)
    return _answering(
        "p", token, self_invitation(participant), participant.campaign, participant.name
    )


def _answering(
    kind: str, token: str, invitation: Invitation, campaign: Campaign, subject_name: str
) -> Answering:
    instrument = campaign_instrument(campaign)
    language = chosen_language(instrument)
    return Answering(
        kind=kind,
        token=token,
        invitation=invitation,
        campaign=campaign,
        instrument=worded(instrument, language, config_key(campaign)),
        settings=campaign_settings(campaign),
        audience=audience_of(invitation),
        subject_name=subject_name,
        language=language,
    )


def who_sees_what(answering: Answering) -> dict[str, Any]:
    """What a rater is told before starting: which groups are shown alone, which combined."""
    relationships = [
        r for r in answering.settings.get("relationships", ()) if r.get("id") != "self"
    ]
    individual = [str(r["label"]) for r in relationships if r.get("individual")]
    grouped = [str(r["label"]) for r in relationships if not r.get("individual")]
    mine = next(
        (r for r in relationships if r.get("id") == answering.invitation.relationship), None
    )
    return {
        "individual": individual,
        "grouped": grouped,
        "threshold": int(answering.settings.get("anonymity_threshold", 3)),
        "mine_individual": bool(mine and mine.get("individual")),
    }
