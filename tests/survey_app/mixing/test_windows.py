"""Feedback windows: closing mixes once and freezes the report; k is fixed once a campaign opens;
change over time needs a commissioner who can see both campaigns."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey_app.campaigns.services import CampaignError, update_campaign
from survey_app.extensions import db
from survey_app.mixing.services import close_due_windows, close_windows
from survey_app.models import FrozenReport, today
from survey_app.people.services import add_invitation, add_participant
from survey_app.respond.services import record_submitted

LEVELS = {"listening_meetings": ["3"], "listening_feedback": ["2"], "delivery_plans": ["3"]}


def _settings(k):
    return {"anonymity_threshold": k}


def test_k_cannot_be_lowered_once_open_nor_raised_after_the_first_answer(make_campaign):
    draft = make_campaign("tiny_feedback", status="draft")
    update_campaign(draft, "Draft", None, None, _settings(2))  # before opening, anything goes
    opened = make_campaign("tiny_feedback")
    with pytest.raises(CampaignError, match="cannot be lowered below 3"):
        update_campaign(opened, "Open", None, None, _settings(2))
    update_campaign(opened, "Open", None, None, _settings(4))  # no answer yet: raising is fine
    person = add_participant(opened, "Asha Patel", "asha@example.org").participant
    record_submitted(add_invitation(opened, person, "peer").invitation, LEVELS)
    with pytest.raises(CampaignError, match="after the first answer"):
        update_campaign(opened, "Open", None, None, _settings(5))


def test_a_window_closes_once_and_its_report_never_changes(make_campaign):
    campaign = make_campaign("tiny_feedback")
    person = add_participant(campaign, "Asha Patel", "asha@example.org").participant
    for _ in range(3):
        record_submitted(add_invitation(campaign, person, "peer").invitation, LEVELS)
    assert close_windows([person]).responses_written == 3
    db.session.commit()
    first = dict(db.session.get(FrozenReport, person.id).data)
    late = add_invitation(campaign, person, "peer").invitation
    record_submitted(late, {"listening_meetings": ["1"]})
    assert close_windows([person]).windows_closed == 0
    db.session.commit()
    assert db.session.get(FrozenReport, person.id).data == first


def test_a_window_closes_by_itself_after_its_date(make_campaign):
    campaign = make_campaign("tiny_feedback")
    due = add_participant(campaign, "Due Person", "due@example.org").participant
    later = add_participant(campaign, "Later Person", "later@example.org").participant
    due.window_closes_on = today() - timedelta(days=1)
    later.window_closes_on = today() + timedelta(days=7)
    db.session.commit()
    assert close_due_windows(campaign).windows_closed == 1
    assert (due.window_status, later.window_status) == ("closed", "open")


def test_change_over_time_cannot_be_confirmed_with_someone_elses_campaign(
    app, make_campaign, other_commissioner, commissioner, sign_in, post_form
):
    carol = make_campaign(title="Carol's confidential cohort", owner=other_commissioner)
    vic_before = add_participant(carol, "Vic Adams", "VIC@example.org").participant
    close_windows([vic_before])
    vic_before.report_released = True
    bob = make_campaign(title="Bob's cohort")
    vic = add_participant(bob, "Vic Adams", "vic@example.org").participant
    close_windows([vic])
    vic.report_released = True
    db.session.commit()
    lead = sign_in(app.test_client())
    url = f"/campaigns/{bob.id}/participants/{vic.id}/report"
    page = lead.get(url).get_data(as_text=True)
    assert "Carol" not in page and "Compare with an earlier campaign?" not in page
    refused = post_form(
        lead,
        f"/campaigns/{bob.id}/participants/{vic.id}/earlier",
        {"earlier": vic_before.id},
        get_url=url,
    )
    assert refused.status_code == 404
    db.session.refresh(vic)
    assert vic.earlier_participant_id is None
