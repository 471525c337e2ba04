"""Submit-once under concurrency, visibility rules, and progress wording."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.models import Invitation, Response
from survey_app.respond.participants import progress_sentence
from survey_app.respond.services import (
    decline,
    missing_required,
    pages_for,
    save_page,
    sealed_answers,
    submit,
    visible_answers,
)


def test_two_simultaneous_submits_make_exactly_one_response(app, survey):
    instrument = campaign_instrument(survey.campaign)
    save_page(survey.invitation, 2, {"confident": ["3"], "wants_move": ["no"]})
    db.session.commit()
    invitation_id = survey.invitation.id
    ready = threading.Barrier(2)
    outcomes: list[str] = []

    def tab():
        with app.app_context():
            invitation = db.session.get(Invitation, invitation_id)
            ready.wait()
            try:
                won = submit(invitation, instrument)
                db.session.commit()
                outcomes.append("won" if won else "lost")
            except OperationalError:  # SQLite may refuse the loser's write outright
                db.session.rollback()
                outcomes.append("lost")
            finally:
                db.session.remove()

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join(timeout=30)
    db.session.expire_all()
    assert sorted(outcomes) == ["lost", "won"]
    sealed = db.session.scalars(select(Invitation).where(Invitation.status == "completed")).all()
    assert len(sealed) == 1 and sealed_answers(sealed[0]) == {
        "confident": ["3"],
        "wants_move": ["no"],
    }
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_submit_after_decline_writes_nothing(survey):
    instrument = campaign_instrument(survey.campaign)
    assert decline(survey.invitation)
    assert not submit(survey.invitation, instrument)
    assert not decline(survey.invitation)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_conditions_on_earlier_pages_hide_later_items_and_pages(make_campaign):
    campaign = make_campaign("skills_talent_audit")
    instrument = campaign_instrument(campaign)
    conditional = [i for i in instrument.items if i.show_if is not None]
    assert conditional, "the audit has conditional questions"
    item = conditional[0]
    controller = instrument.item(item.show_if.item_id)
    other = next(
        code
        for code, _ in [(o.code, o.label) for o in controller.options]
        if code not in item.show_if.values
    )
    shown = visible_answers(
        instrument, "respondent", {controller.id: [item.show_if.values[0]], item.id: ["x"]}
    )
    hidden = visible_answers(instrument, "respondent", {controller.id: [other], item.id: ["x"]})
    assert item.id in shown and item.id not in hidden
    pages = pages_for(instrument, "respondent", {})
    assert all(p.items for p in pages)


def test_required_items_hidden_by_a_condition_are_not_missing(make_campaign):
    instrument = campaign_instrument(make_campaign("tiny_feedback"))
    missing = {i.id for i in missing_required(instrument, "respondent", {"wants_move": ["no"]})}
    assert missing == {"confident"}
    assert {i.id for i in missing_required(instrument, "rater", {})} == {"wants_move"}


def test_progress_sentences_read_naturally():
    assert progress_sentence("Peer", 4, 2) == "2 of 4 peers have answered"
    assert progress_sentence("Line manager", 1, 0) == "0 of 1 line manager has answered"
    assert progress_sentence("Partner agency colleague", 3, 3) == (
        "3 of 3 partner agency colleagues have answered"
    )


def test_saving_a_page_again_unchanged_leaves_the_sealed_draft_as_it_was(app, survey):
    # Found by the URL fuzz: an empty autosave re-sealed the draft, so every visit rewrote it.
    save_page(survey.invitation, 2, {"confident": ["3"]})
    db.session.commit()
    sealed = survey.invitation.sealed
    save_page(survey.invitation, 2, {"confident": ["3"]})
    save_page(survey.invitation, 2, {})
    assert survey.invitation.sealed == sealed
    save_page(survey.invitation, 2, {"confident": ["4"]})
    assert survey.invitation.sealed != sealed
    assert sealed_answers(survey.invitation)["confident"] == ["4"]
