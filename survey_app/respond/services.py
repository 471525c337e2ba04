"""Answering: which pages and items a person sees, drafts, and the submit-once transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import null, select, update

from instruments import Instrument, type_of
from instruments.model import Item, Section

from ..extensions import db, rows_matched
from ..mixing.sealing import SealError, seal, unseal
from ..models import Campaign, Invitation, Participant
from ..statuses import FINISHED, InvitationStatus, WindowStatus


def audience_of(invitation: Invitation) -> str:
    """'self' for a participant's self-assessment, 'rater' for raters, else 'respondent'."""
    if invitation.relationship == "self":
        return "self"
    return "rater" if invitation.participant_id else "respondent"


def pages_for(
    instrument: Instrument, audience: str, answers: Mapping[str, list[str]]
) -> list[Section]:
    """The pages this person sees now: sections for the audience, minus hidden items and pages.

    An item whose condition depends on an item on the same page is always shown (with a hint)
    so the page works without JavaScript; one that depends on an earlier page is shown only when
    the earlier answer makes it relevant.
    """
    kept_answers = visible_answers(instrument, audience, answers)
    pages = []
    for section in instrument.sections_for(audience):
        on_page = {item.id for item in section.items}
        items = tuple(
            item
            for item in section.items
            if item.show_if is None
            or item.show_if.item_id in on_page
            or item.show_if.holds(kept_answers)
        )
        if items:
            pages.append(replace(section, items=items))
    return pages


def visible_answers(
    instrument: Instrument, audience: str, answers: Mapping[str, list[str]]
) -> dict[str, list[str]]:
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


def visible_items(
    instrument: Instrument, audience: str, answers: Mapping[str, list[str]]
) -> list[Item]:
    """Items whose conditions hold given these answers (what is required and what is kept)."""
    shown: list[Item] = []
    kept = visible_answers(instrument, audience, answers)
    for section in instrument.sections_for(audience):
        shown += [
            item for item in section.items if item.show_if is None or item.show_if.holds(kept)
        ]
    return shown


def missing_required(
    instrument: Instrument, audience: str, answers: Mapping[str, list[str]]
) -> list[Item]:
    """Required items that are shown but not fully answered (a grid needs every row)."""
    kept = visible_answers(instrument, audience, answers)
    return [
        item
        for item in visible_items(instrument, audience, answers)
        if item.required and type_of(item).missing(item, kept.get(item.id, []))
    ]


def sealed_answers(invitation: Invitation) -> dict[str, list[str]]:
    """The answers sealed on an invitation (a draft, or submitted but not yet mixed)."""
    if invitation.sealed is None:
        return {}
    try:
        answers = unseal(invitation.sealed, invitation.id)["answers"]
    except SealError:
        # Sealed under a key that is gone (see ANSWER_KEY): nothing can be read back.
        return {}
    return {key: list(values) for key, values in answers.items()}


def draft_of(invitation: Invitation) -> dict[str, list[str]]:
    """The saved draft answers (empty once submitted or declined)."""
    return {} if invitation.status in FINISHED else sealed_answers(invitation)


def save_page(invitation: Invitation, page_index: int, values: Mapping[str, list[str]]) -> None:
    """Merge one page's answers into the sealed draft and remember the page to resume at."""
    before = draft_of(invitation)
    draft = dict(before)
    for item_id, item_values in values.items():
        if item_values:
            draft[item_id] = list(item_values)
        else:
            draft.pop(item_id, None)
    if (
        draft == before
        and invitation.draft_page == page_index
        and (invitation.status != InvitationStatus.INVITED)
    ):
        return  # nothing new: a fresh seal would rewrite the row for no reason
    invitation.sealed = seal({"answers": draft}, invitation.id)
    invitation.draft_page = page_index
    if invitation.status == InvitationStatus.INVITED:
        invitation.status = InvitationStatus.STARTED
    db.session.flush()


def window_is_open(invitation: Invitation) -> bool:
    """False once the participant's feedback window has closed (a rater can no longer answer)."""
    participant = invitation.participant
    return participant is None or participant.window_status == WindowStatus.OPEN


def submit(invitation: Invitation, instrument: Instrument) -> bool:
    """Seal the final answers on the invitation and mark it completed, once; False otherwise.

    Nothing is written to the responses table here: the mix does that for a whole batch
    (survey_app/mixing/services.py). The conditional UPDATE is the only guard: two tabs, a double
    click or a replayed POST all race for it and exactly one wins. For a 360 rater the
    participant's row is locked first, so a submit and the closing of the window never overlap.
    """
    audience = audience_of(invitation)
    answers = visible_answers(instrument, audience, draft_of(invitation))
    if invitation.participant_id is not None:
        state = db.session.scalar(
            select(Participant.window_status)
            .where(Participant.id == invitation.participant_id)
            .with_for_update()
        )
        if state != WindowStatus.OPEN:
            return False
    won = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.not_in(FINISHED))
        .values(
            status=InvitationStatus.COMPLETED,
            sealed=seal({"answers": answers}, invitation.id),
            draft_page=None,
            resume_code_hash=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(invitation)
    return rows_matched(won) == 1


def record_submitted(invitation: Invitation, answers: Mapping[str, list[str]]) -> None:
    """Store answers given elsewhere (an import, the demo) as if submitted by this link."""
    invitation.sealed = seal({"answers": {k: list(v) for k, v in answers.items()}}, invitation.id)
    invitation.status = InvitationStatus.COMPLETED
    invitation.draft_page = None
    db.session.flush()


def decline(invitation: Invitation) -> bool:
    """Record that a rater will not answer, deleting any draft; False if already finished."""
    done = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.not_in(FINISHED))
        .values(
            status=InvitationStatus.DECLINED, sealed=null(), draft_page=None, resume_code_hash=None
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(invitation)
    return rows_matched(done) == 1


def who_runs(campaign: Campaign) -> str:
    """The name shown as running the campaign."""
    owner = campaign.owner
    return (owner.name or owner.email) if owner else "the campaign team"


def invitation_by_id(invitation_id: str) -> Invitation | None:
    """An invitation by its id (for the participant's own rater list)."""
    return db.session.scalar(select(Invitation).where(Invitation.id == invitation_id))
