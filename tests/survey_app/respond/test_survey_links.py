"""A respondent's personal link: start, pages, save and resume, check, submit once, errors."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from survey_app.campaigns.services import close_campaign
from survey_app.extensions import db
from survey_app.models import Answer, Invitation, Response, today
from survey_app.people.services import add_invitation
from survey_app.respond.services import draft_of, sealed_answers

from .conftest import TINY_VALID


def _answer_all(client, survey, answer_page):
    for number, data in TINY_VALID.items():
        response = answer_page(client, survey.url, number, data)
        assert response.status_code == 302, response.get_data(as_text=True)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _completed_sealed() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.status == "completed", Invitation.sealed.is_not(None))
    )


@pytest.mark.parametrize(
    "path",
    [
        "/r/{bad}",
        "/r/{bad}/page/1",
        "/r/{bad}/check",
        "/p/{bad}",
        "/p/{bad}/self/page/1",
        "/o/{bad}",
    ],
)
@pytest.mark.parametrize("bad", ["abc", "x" * 40, "not!a!token!at!all!at!all"])
def test_unknown_or_malformed_tokens_get_a_plain_404(client, survey, path, bad):
    response = client.get(path.format(bad=bad))
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Traceback" not in page


def test_closed_campaign_links_are_gone(client, survey, begin):
    begin(client, survey.token)
    close_campaign(survey.campaign)
    db.session.commit()
    for path in ("", "/page/1", "/check", "/done"):
        response = client.get(survey.url + path)
        assert response.status_code == 410
        assert "This link has expired" in response.get_data(as_text=True)


def test_links_expire_after_the_closing_date(client, survey):
    survey.campaign.closes_on = today() - timedelta(days=1)
    db.session.commit()
    assert client.get(survey.url).status_code == 410


def test_start_page_says_who_runs_it_how_long_and_who_sees_what(client, survey):
    page = client.get(survey.url).get_data(as_text=True)
    assert "Regional Lead" in page
    assert "About 3 minutes" in page
    assert "Who will see your answers" in page
    assert "without your name" in page


def test_starting_claims_the_link_and_shows_a_resume_code(client, survey, begin):
    code = begin(client, survey.token)
    assert len(code.replace("-", "")) == 10
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert invitation.claim_hash and invitation.resume_code_hash
    assert code not in (invitation.claim_hash, invitation.resume_code_hash)
    first = client.get(survey.url + "/page/1").get_data(as_text=True)
    assert "Page 1 of 3" in first
    assert '<fieldset class="fieldset"' in first and '<legend class="legend">' in first


def test_pages_save_a_draft_and_the_link_resumes_where_you_left_off(
    client, survey, begin, answer_page
):
    begin(client, survey.token)
    response = answer_page(client, survey.url, 1, TINY_VALID[1])
    assert response.headers["Location"].endswith("/page/2")
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert draft_of(invitation) == {
        "listening_meetings": ["2"],
        "listening_feedback": ["not_observed"],
    }
    assert invitation.status == "started"
    back = client.get(survey.url)
    assert back.status_code == 302 and back.headers["Location"].endswith("/page/2")
    refilled = client.get(survey.url + "/page/1").get_data(as_text=True)
    assert 'id="q_listening_meetings-2" name="q_listening_meetings" value="2" checked' in " ".join(
        refilled.split()
    )


def test_save_and_come_back_later_keeps_the_page(client, survey, begin, answer_page):
    begin(client, survey.token)
    response = answer_page(client, survey.url, 1, {"q_listening_meetings": "4"}, action="later")
    assert response.headers["Location"].endswith("/saved")
    saved = client.get(survey.url + "/saved").get_data(as_text=True)
    assert "Your answers have been saved" in saved
    assert client.get(survey.url).headers["Location"].endswith("/page/1")


def test_type_errors_are_summarised_with_links_and_valid_answers_still_saved(
    client, survey, begin, answer_page
):
    begin(client, survey.token)
    data = {**TINY_VALID[3], "q_team_size": "lots", "q_post_title": "x" * 81}
    response = answer_page(client, survey.url, 3, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#q_team_size"' in page and 'href="#q_post_title"' in page
    assert "Enter a number between 0 and 500" in page
    assert "80 characters or fewer" in page
    assert page.count("form-group--error") == 2
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert draft_of(invitation)["confident"] == ["3"]
    assert "team_size" not in draft_of(invitation) and "post_title" not in draft_of(invitation)


def test_a_tampered_choice_is_rejected(client, survey, begin, answer_page):
    begin(client, survey.token)
    response = answer_page(client, survey.url, 1, {"q_listening_meetings": "9"})
    assert "Select one of the options shown" in response.get_data(as_text=True)


def test_required_items_are_enforced_on_submit_not_on_save(
    client, survey, begin, answer_page, post_form
):
    begin(client, survey.token)
    response = answer_page(client, survey.url, 3, {"q_team_size": "4"})
    assert response.status_code == 302
    response = post_form(client, survey.url + "/check")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert f'href="/r/{survey.token}/page/3#q_confident"' in page
    assert f'href="/r/{survey.token}/page/3#q_wants_move"' in page
    assert _count(Response) == 0


def test_hidden_items_are_not_required_and_their_answers_are_dropped(
    client, survey, begin, answer_page, post_form
):
    begin(client, survey.token)
    _answer_all(client, survey, answer_page)
    answer_page(client, survey.url, 3, {**TINY_VALID[3], "q_wants_move": "no"})
    check = client.get(survey.url + "/check").get_data(as_text=True)
    assert "Why?" not in check
    post_form(client, survey.url + "/check")
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    items = set(sealed_answers(invitation))
    assert "wants_move" in items and "move_reasons" not in items


def test_check_your_answers_shows_labels_and_escapes_text(client, survey, begin, answer_page):
    begin(client, survey.token)
    _answer_all(client, survey, answer_page)
    page = client.get(survey.url + "/check").get_data(as_text=True)
    assert "Check your answers" in page
    assert "Pay; Location" in page
    assert "Good &lt;b&gt;support&lt;/b&gt; &amp; time" in page
    assert "<b>support</b>" not in page
    assert f'href="/r/{survey.token}/page/3?change=1#q_comments"' in page


def test_change_on_check_your_answers_returns_to_the_check_page(client, survey, begin, answer_page):
    begin(client, survey.token)
    _answer_all(client, survey, answer_page)
    check = client.get(survey.url + "/check").get_data(as_text=True)
    change = f"/r/{survey.token}/page/1?change=1"
    assert f'href="{change}#q_listening_meetings"' in check
    page = client.get(change).get_data(as_text=True)
    assert "Save and go back to check your answers" in page
    assert "Back to check your answers" in page
    response = answer_page(
        client,
        survey.url,
        "1?change=1",
        {"q_listening_meetings": "3", "q_listening_feedback": "not_observed"},
    )
    # Not on to page 2: straight back to the check page, with the new answer.
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{survey.token}/check")
    db.session.refresh(survey.invitation)
    assert draft_of(survey.invitation)["listening_meetings"] == ["3"]
    # Coming back to the link later resumes where it stood (the last page), not at page 2.
    assert client.get(survey.url).headers["Location"].endswith("/page/3")


def test_comment_length_is_enforced_by_the_server_and_shown_as_a_count(
    client, survey, begin, answer_page
):
    begin(client, survey.token)
    page = client.get(survey.url + "/page/3").get_data(as_text=True)
    assert "You can enter up to 500 characters" in page and 'data-maxlength="500"' in page
    response = answer_page(client, survey.url, 3, {**TINY_VALID[3], "q_comments": "a" * 501})
    assert "500 characters or fewer" in response.get_data(as_text=True)
    answer_page(client, survey.url, 3, {**TINY_VALID[3], "q_comments": "a" * 500})
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert draft_of(invitation)["comments"] == ["a" * 500]


def test_submitting_seals_the_answers_until_k_are_waiting_then_mixes_them(
    app, client, survey, begin, answer_page, post_form
):
    begin(client, survey.token)
    _answer_all(client, survey, answer_page)
    response = post_form(client, survey.url + "/check")
    assert response.headers["Location"].endswith("/done")
    done = client.get(survey.url + "/done").get_data(as_text=True)
    assert "Your answers have been submitted" in done
    # One answer alone is never written out: a findings view could then be compared with the
    # one before it. It waits, sealed, on its invitation.
    assert _count(Response) == 0
    row = db.session.execute(
        text("SELECT status, sealed IS NULL, draft_page FROM invitations WHERE id = :id"),
        {"id": survey.invitation.id},
    ).one()
    assert tuple(row) == ("completed", False, None)
    for _ in range(2):
        other = add_invitation(survey.campaign)
        db.session.commit()
        browser = app.test_client()
        begin(browser, other.token)
        _answer_all(browser, SimpleNamespace(url=f"/r/{other.token}"), answer_page)
        post_form(browser, f"/r/{other.token}/check")
    stored = db.session.scalars(select(Response)).all()
    assert len(stored) == 3
    assert {(r.participant_id, r.relationship, r.submitted_on) for r in stored} == {
        (None, None, today())
    }
    reasons = db.session.scalars(
        select(Answer)
        .where(Answer.item_id == "move_reasons")
        .order_by(Answer.response_id, Answer.position)
    ).all()
    assert [(a.position, a.value) for a in reasons][:2] == [(0, "pay"), (1, "location")]
    comments = db.session.scalars(select(Answer.value).where(Answer.item_id == "comments")).all()
    assert comments == ["Good <b>support</b> & time"] * 3
    sealed_left = db.session.scalar(
        text("SELECT count(*) FROM invitations WHERE sealed IS NOT NULL")
    )
    assert sealed_left == 0


def test_a_replayed_or_second_submit_makes_no_second_response(
    client, survey, begin, answer_page, post_form
):
    begin(client, survey.token)
    _answer_all(client, survey, answer_page)
    check_page = client.get(survey.url + "/check").get_data(as_text=True)
    from tests.conftest import csrf_from

    token = csrf_from(check_page)
    first = client.post(survey.url + "/check", data={"csrf_token": token})
    replay = client.post(survey.url + "/check", data={"csrf_token": token})
    assert first.status_code == replay.status_code == 302
    assert replay.headers["Location"].endswith("/done")
    assert _completed_sealed() == 1
    again = client.get(survey.url + "/page/1")
    assert again.headers["Location"].endswith("/done")
    late_save = client.post(
        survey.url + "/page/3", data={"csrf_token": token, "q_comments": "after"}
    )
    assert late_save.headers["Location"].endswith("/done")
    assert _completed_sealed() == 1
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert "after" not in str(sealed_answers(invitation))


def test_autosave_saves_the_page_as_json(client, survey, begin):
    begin(client, survey.token)
    page = client.get(survey.url + "/page/3").get_data(as_text=True)
    assert f'data-autosave-url="/r/{survey.token}/page/3/autosave"' in page
    assert 'src="/static/js/respond.js?v=' in page and "nonce=" in page  # content-hashed URL
    from tests.conftest import csrf_from

    response = client.post(
        survey.url + "/page/3/autosave",
        data={"csrf_token": csrf_from(page), "q_post_title": "Deputy", "q_team_size": "many"},
    )
    assert response.get_json() == {"saved": True, "waiting": 1}
    invitation = db.session.get(Invitation, survey.invitation.id)
    db.session.refresh(invitation)
    assert draft_of(invitation) == {"post_title": ["Deputy"]} and invitation.draft_page == 2
