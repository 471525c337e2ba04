"""Forwarded links: the first browser keeps them, a resume code moves them; the open link."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from survey_app.campaigns.services import open_link_token
from survey_app.extensions import db
from survey_app.models import Invitation


def test_another_browser_sees_no_draft_and_is_told_how_to_resume(
    app, client, survey, begin, answer_page
):
    begin(client, survey.token)
    answer_page(client, survey.url, 3, {"q_post_title": "Secret title"})
    stranger = app.test_client()
    page = stranger.get(survey.url).get_data(as_text=True)
    assert "already been opened on another device" in page
    assert "resume code" in page and "fresh link" in page
    assert "Secret title" not in page
    for path in ("/page/3", "/check", "/saved"):
        response = stranger.get(survey.url + path)
        assert response.status_code == 302 and response.headers["Location"].endswith(survey.token)
    assert "Secret title" not in stranger.get(
        survey.url + "/check", follow_redirects=True
    ).get_data(as_text=True)


def test_the_resume_code_moves_the_link_to_a_new_device(
    app, client, survey, begin, answer_page, post_form
):
    code = begin(client, survey.token)
    answer_page(client, survey.url, 1, {"q_listening_meetings": "1"})
    laptop = app.test_client()
    wrong = post_form(laptop, survey.url + "/resume", {"code": "AAAAA-AAAAA"}, get_url=survey.url)
    assert wrong.status_code == 400
    assert "does not match" in wrong.get_data(as_text=True)
    right = post_form(
        laptop, survey.url + "/resume", {"code": code.lower().replace("-", " ")}, get_url=survey.url
    )
    assert right.status_code == 302
    assert laptop.get(survey.url).headers["Location"].endswith("/page/2")
    assert 'value="1" checked' in laptop.get(survey.url + "/page/1").get_data(as_text=True)
    # The old device no longer holds the claim.
    assert "already been opened" in client.get(survey.url).get_data(as_text=True)


def test_claim_cookie_is_scoped_to_the_link_path(client, survey, post_form):
    response = post_form(client, survey.url)
    cookie = response.headers["Set-Cookie"]
    assert f"Path=/r/{survey.token}" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_lost_resume_code_can_be_renewed_by_the_browser_holding_the_link(
    app, client, survey, begin, post_form
):
    old = begin(client, survey.token)
    renewed = post_form(client, survey.url + "/resume-code", get_url=survey.url + "/saved")
    new = re.search(r"data-resume-code><strong>([A-Z0-9-]+)<", renewed.get_data(as_text=True))
    assert new and new.group(1) != old
    other = app.test_client()
    stale = post_form(other, survey.url + "/resume", {"code": old}, get_url=survey.url)
    assert stale.status_code == 400


def test_a_finished_link_tells_other_browsers_nothing_about_its_use(
    app, client, survey, begin, answer_page, post_form
):
    begin(client, survey.token)
    for number, data in {1: {}, 2: {}, 3: {"q_confident": "2", "q_wants_move": "no"}}.items():
        answer_page(client, survey.url, number, data)
    post_form(client, survey.url + "/check")
    stranger = app.test_client()
    page = stranger.get(survey.url, follow_redirects=True).get_data(as_text=True)
    assert "already been opened on another device" in page
    assert "submitted" not in page


def test_the_open_link_issues_a_fresh_personal_link_once_per_browser(app, make_campaign, post_form):
    campaign = make_campaign("seslip_aspiration_survey", title="SESLIP 2026")
    token = open_link_token(campaign)
    db.session.commit()
    client = app.test_client()
    start = client.get(f"/o/{token}").get_data(as_text=True)
    assert "Stepping up to assistant director or director" in start and "Start now" in start
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    issued = post_form(client, f"/o/{token}").get_data(as_text=True)
    personal = re.search(
        r'id="personal-link" type="text" readonly value="http://localhost/r/'
        r'([A-Za-z0-9_-]+)"',
        issued,
    )
    assert personal, "the open link did not show a personal link"
    invitation = db.session.scalars(select(Invitation)).one()
    assert invitation.source == "open_link" and invitation.claim_hash
    back = client.get(f"/o/{token}")
    assert back.headers["Location"].endswith(f"/r/{personal.group(1)}")
    assert client.get(f"/r/{personal.group(1)}/page/1").status_code == 200
    post_form(app.test_client(), f"/o/{token}")
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 2


def test_a_replaced_open_link_stops_working(app, make_campaign):
    campaign = make_campaign("seslip_aspiration_survey")
    old = open_link_token(campaign)
    open_link_token(campaign)
    db.session.commit()
    # It stops working, and says it was replaced rather than "not found" (issue 19.8).
    response = app.test_client().get(f"/o/{old}")
    assert response.status_code == 410
    assert "This link has been replaced" in response.get_data(as_text=True)


def test_token_pages_are_rate_limited(database_urls, backend, tmp_path):
    from survey_app import create_app

    limited = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_urls[backend],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    limited.instance_path = str(tmp_path)
    browser = limited.test_client()
    codes = [browser.get("/r/" + "x" * 30).status_code for _ in range(61)]
    assert codes[:60] == [404] * 60 and codes[60] == 429
    with limited.app_context():
        from survey_app.extensions import db as limited_db

        limited_db.engine.dispose()
