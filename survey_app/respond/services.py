"""Answering: which pages and items a person sees, drafts, and the submit-once transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import func, null, select, update

from analysis.anonymity import POOLED_AT_SUBMISSION, individual_relationships
from instruments import Instrument
from instruments.model import Item, Section

from ..campaigns.services import campaign_settings
from ..extensions import db
from ..models import Campaign, Invitation
from ..responses import store_response

FINISHED = ("completed", "declined")


def audience_of(invitation: Invitation) -> str:
    """'self' for a participant's self-assessment, 'rater' for raters, else 'respondent'."""
    if invitation.relationship == "self":
        return "self"
    return "rater" if invitation.participant_id else "respondent"


def pages_for(instrument: Instrument, audience: str,
              answers: Mapping[str, list[str]]) -> list[Section]:
    """The pages this person sees now: sections for the audience, minus hidden items and pages.

    An item whose condition depends on an item on the same page is always shown (with a hint)
    so the page works without JavaScript; one that depends on an earlier page is shown only when
    the earlier answer makes it relevant.
    """
    kept_answers = visible_answers(instrument, audience, answers)
    pages = []
    for section in instrument.sections_for(audience):
        on_page = {item.id for item in section.items}
        items = tuple(item for item in section.items if item.show_if is None
                      or item.show_if.item_id in on_page
                      or item.show_if.holds(kept_answers))
        if items:
            pages.append(Section(section.id, section.title, section.description,
                                 section.behaviour, items))
    return pages


def visible_answers(instrument: Instrument, audience: str,
                    answers: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The answers that count: items for this audience whose conditions hold, in form order."""
    kept: dict[str, list[str]] = {}
    for section in instrument.sections_for(audience):
        for item in section.items:
            if item.show_if is not None and not item.show_if.holds(kept):
                continue
            values = [v for v in answers.get(item.id, []) if v != ""]
            if values:
                kept[item.id] = values
    return kept


def visible_items(instrument: Instrument, audience: str,
                  answers: Mapping[str, list[str]]) -> list[Item]:
    """Items whose conditions hold given these answers (what is required and what is kept)."""
    shown: list[Item] = []
    kept = visible_answers(instrument, audience, answers)
    for section in instrument.sections_for(audience):
        shown += [item for item in section.items
                  if item.show_if is None or item.show_if.holds(kept)]
    return shown


def missing_required(instrument: Instrument, audience: str,
                     answers: Mapping[str, list[str]]) -> list[Item]:
    """Required items that are shown but have no answer."""
    kept = visible_answers(instrument, audience, answers)
    return [item for item in visible_items(instrument, audience, answers)
            if item.required and not kept.get(item.id)]


def draft_of(invitation: Invitation) -> dict[str, list[str]]:
    """The saved draft answers (empty when there are none)."""
    return {key: list(values) for key, values in (invitation.draft or {}).items()}


def save_page(invitation: Invitation, page_index: int, values: Mapping[str, list[str]]) -> None:
    """Merge one page's answers into the draft and remember the page to resume at."""
    draft = draft_of(invitation)
    for item_id, item_values in values.items():
        if item_values:
            draft[item_id] = list(item_values)
        else:
            draft.pop(item_id, None)
    invitation.draft = draft  # a new object, so the JSON column is marked as changed
    invitation.draft_page = page_index
    if invitation.status == "invited":
        invitation.status = "started"
    db.session.flush()


def submit(invitation: Invitation, instrument: Instrument) -> bool:
    """Write the anonymous response and delete the draft, once; False if already finished.

    The conditional UPDATE is the only guard: two tabs, a double click or a replayed POST all race
    for it and exactly one wins; the loser's transaction writes nothing.
    """
    audience = audience_of(invitation)
    answers = visible_answers(instrument, audience, draft_of(invitation))
    won = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.not_in(FINISHED))
        .values(status="completed", draft=null(), draft_page=None, resume_code_hash=None)
        .execution_options(synchronize_session=False))
    if won.rowcount != 1:
        return False
    is_360 = invitation.participant_id is not None
    store_response(invitation.campaign_id, answers,
                   participant_id=invitation.participant_id if is_360 else None,
                   relationship=stored_relationship(invitation, instrument) if is_360 else None)
    db.session.expire(invitation)
    return True


def stored_relationship(invitation: Invitation, instrument: Instrument) -> str | None:
    """The relationship a submitted response keeps: 'pooled' when its group is too small to hide in.

    With fewer than k raters of a relationship invited (say one partner), storing 'partner' would
    let anyone with the database join the response to that one invitation (DESIGN §3.1).
    """
    relationship = invitation.relationship
    individual = individual_relationships(instrument.relationships)
    if relationship == "self" or relationship in individual:
        return relationship
    k = int(campaign_settings(invitation.participant.campaign)["anonymity_threshold"])
    invited = db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.participant_id == invitation.participant_id,
        Invitation.relationship == relationship, Invitation.status != "declined"))
    return relationship if invited >= k else POOLED_AT_SUBMISSION


def decline(invitation: Invitation) -> bool:
    """Record that a rater will not answer, deleting any draft; False if already finished."""
    done = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.not_in(FINISHED))
        .values(status="declined", draft=null(), draft_page=None, resume_code_hash=None)
        .execution_options(synchronize_session=False))
    db.session.expire(invitation)
    return done.rowcount == 1


def who_runs(campaign: Campaign) -> str:
    """The name shown as running the campaign."""
    owner = campaign.owner
    return (owner.name or owner.email) if owner else "the campaign team"


def invitation_by_id(invitation_id: str) -> Invitation | None:
    """An invitation by its id (for the participant's own rater list)."""
    return db.session.scalar(select(Invitation).where(Invitation.id == invitation_id))

