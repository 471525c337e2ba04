"""Matching reads only the released report and the plan; confirming tells both by mail or outbox;
sessions count against the programme's offer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey_app.coaching.services import (
    MatchError,
    confirm_match,
    log_session,
    matching_page,
    released_priorities,
)
from survey_app.extensions import db
from survey_app.mail.services import LINK_PLACEHOLDER
from survey_app.models import Message, today
from survey_app.reports.plan import save_plan
from tests.survey_app.coaching.conftest import BELIEF, COLLAB, OPEN, RESIL, add_supporter

pytestmark = pytest.mark.db


def test_nothing_is_proposed_until_the_report_is_released(report_with_distances, region):
    add_supporter(region, "Harriet Cole", "Southport", [OPEN, COLLAB])
    participant = report_with_distances(released=False).participant
    page = matching_page(participant, "coach")
    assert page.matching is None and page.priorities is None
    assert "has not been released to them yet" in page.problem
    participant.report_released = True
    assert [p.candidate.name for p in matching_page(participant, "coach").matching.proposals] == [
        "Harriet Cole"
    ]


def test_matching_never_reads_raters_answers(report_with_distances, monkeypatch):
    """The priorities come from the frozen, released report: the mixed responses (what raters
    said) are never loaded, so changing them could not change a match."""
    participant = report_with_distances().participant

    def no_raw_answers(*args, **kwargs):
        raise AssertionError("matching read raw responses")

    monkeypatch.setattr("survey_app.responses.load_responses", no_raw_answers)
    monkeypatch.setattr("survey_app.reports.services.load_responses", no_raw_answers)
    priorities = released_priorities(participant)
    assert [p.behaviour for p in priorities][:2] == [OPEN, COLLAB]
    assert priorities[0].distance == 2.0 and priorities[1].distance == 1.0


def test_priorities_add_the_plans_behaviours(report_with_distances):
    participant = report_with_distances().participant
    save_plan(
        participant,
        [
            {
                "behaviour": BELIEF,
                "actions": "x",
                "support": [],
                "review_on": today() + timedelta(days=30),
            },
            {
                "behaviour": OPEN,
                "actions": "y",
                "support": [],
                "review_on": today() + timedelta(days=30),
            },
        ],
    )
    found = [(p.behaviour, p.in_plan) for p in released_priorities(participant)]
    assert found == [(OPEN, True), (COLLAB, False), (BELIEF, True)]


def test_proposals_leave_out_own_and_neighbouring_authorities_and_full_supporters(
    report_with_distances, region
):
    participant = report_with_distances().participant  # Westshire
    add_supporter(region, "Own Authority", "Westshire", [OPEN, COLLAB])
    add_supporter(region, "Next Door", "Eastbridge", [OPEN, COLLAB])
    add_supporter(region, "Other Side", "Northgate", [OPEN, COLLAB])  # Northgate | Westshire
    add_supporter(region, "One Match", "Southport", [COLLAB])
    add_supporter(region, "Best Match", "Riverside", [OPEN, COLLAB, RESIL])
    add_supporter(region, "Mentor Only", "Riverside", [OPEN], coach=False, mentor=True)
    page = matching_page(participant, "coach")
    assert [p.candidate.name for p in page.matching.proposals] == ["Best Match", "One Match"]
    assert {(e.candidate.name, e.reason) for e in page.matching.excluded} == {
        ("Own Authority", "from the participant's own authority"),
        ("Next Door", "from a neighbouring authority"),
        ("Other Side", "from a neighbouring authority"),
    }


def test_confirming_checks_the_rules_again_and_tells_both_without_a_link(
    report_with_distances, region
):
    participant = report_with_distances().participant
    neighbour = add_supporter(region, "Next Door", "Eastbridge", [OPEN])
    best = add_supporter(region, "Best Match", "Riverside", [OPEN, COLLAB], capacity=1)
    with pytest.raises(MatchError, match="choose one of the proposals"):
        confirm_match(participant, neighbour.id, "coach")  # a tampered form
    match = confirm_match(participant, best.id, "coach")
    db.session.commit()
    assert match.covered == [OPEN, COLLAB]
    messages = {m.to_address: m for m in db.session.scalars(select(Message))}
    to_participant, to_coach = messages["amira@example.org"], messages["best@example.org"]
    assert LINK_PLACEHOLDER in to_participant.body and "/p/" not in to_participant.body
    assert "Best Match (Riverside) has agreed to be your coach" in to_participant.body
    assert "Openness to possibilities, Ability to collaborate" in to_participant.body
    assert LINK_PLACEHOLDER not in to_coach.body and "/p/" not in to_coach.body
    assert "matched with Amira Hussain" in to_coach.body
    assert to_participant.sent_at is None  # no mail server: both wait in the outbox
    # Best Match is now at capacity: a second participant is not offered them.
    other = report_with_distances(name="Ben Okafor", email="ben@example.org").participant
    page = matching_page(other, "coach")
    assert ("Best Match", "at capacity") in [
        (e.candidate.name, e.reason) for e in page.matching.excluded
    ]
    with pytest.raises(MatchError):
        confirm_match(other, best.id, "coach")


def test_a_required_sponsor_must_confirm_before_matching(report_with_distances, region, cohort):
    from survey_app.coaching.services import set_programme
    from survey_app.sponsors.services import ask_sponsor, decide

    participant = report_with_distances().participant
    add_supporter(region, "Best Match", "Riverside", [OPEN])
    set_programme(cohort, region, 3, True, False)
    assert "needs a confirmed sponsor" in matching_page(participant, "coach").problem
    decide(ask_sponsor(participant, "Rose Collins", "rose@example.org", "DCS"), True)
    assert matching_page(participant, "coach").matching.proposals


def test_sessions_count_against_the_offer(report_with_distances, region):
    participant = report_with_distances().participant
    coach = add_supporter(region, "Best Match", "Riverside", [OPEN])
    match = confirm_match(participant, coach.id, "coach")
    with pytest.raises(MatchError, match="future"):
        log_session(match, today() + timedelta(days=1), "online")
    for _ in range(3):
        log_session(match, today(), "online")
    with pytest.raises(MatchError, match="all 3 sessions"):
        log_session(match, today(), "phone")
    assert len(match.sessions) == 3


def test_the_commissioner_matches_from_the_page(
    lead_client, report_with_distances, region, post_form, cohort
):
    participant = report_with_distances().participant
    add_supporter(region, "Best Match", "Riverside", [OPEN, COLLAB])
    add_supporter(region, "Next Door", "Eastbridge", [OPEN, COLLAB])
    url = f"/campaigns/{cohort.id}/participants/{participant.id}/support?role=coach"
    page = lead_client.get(url).get_data(as_text=True)
    assert "Matching uses only what Amira Hussain's released report shows them" in page
    assert "covers 2 of 2 priorities" in page
    assert "Next Door (Eastbridge): from a neighbouring authority" in page
    supporter_id = page.split('name="supporter" value="')[1].split('"')[0]
    response = post_form(lead_client, url, {"supporter": supporter_id, "role": "coach"})
    assert response.status_code == 302
    page = lead_client.get(url).get_data(as_text=True)
    assert "<strong>Best Match</strong> (Riverside), since" in page
    # The participant sees their coach on their own page.
    from survey_app.people.services import reissue_token

    token = reissue_token(participant)
    db.session.commit()
    mine = lead_client.get(f"/p/{token}/support").get_data(as_text=True)
    assert "Your coach: Best Match" in mine and "Sessions held: 0 of the 3" in mine


def test_erasing_a_participant_erases_their_matches_sessions_sponsor_and_outcomes(
    report_with_distances, region
):
    from survey_app.coaching.models import SupportMatch, SupportSession
    from survey_app.evaluation.models import Outcome
    from survey_app.evaluation.outcomes import record_outcome
    from survey_app.privacy.services import erase_participant
    from survey_app.sponsors.models import Sponsor
    from survey_app.sponsors.services import ask_sponsor

    participant = report_with_distances().participant
    coach = add_supporter(region, "Best Match", "Riverside", [OPEN])
    log_session(confirm_match(participant, coach.id, "coach"), today(), "online")
    ask_sponsor(participant, "Rose Collins", "rose@example.org", "")
    record_outcome(participant, "promoted", "Assistant director", None)
    db.session.commit()
    erase_participant(participant)
    db.session.commit()
    for model in (SupportMatch, SupportSession, Sponsor, Outcome, Message):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert db.session.get(type(coach), coach.id) is not None  # the coach stays in the pool
