"""Nominations approved before any link goes out, the outbox's fresh links, and a window that
closes once into a frozen report the commissioner releases: in Chromium, with axe on each page."""

from __future__ import annotations

import pytest

from tests.browser.commissioner_checks import assert_wcag_clean, follow

pytestmark = pytest.mark.browser


def _seed() -> dict:
    from sqlalchemy import select

    from survey_app.demo.loader import LIVE_PARTICIPANT, load_demo
    from survey_app.extensions import db
    from survey_app.models import Campaign, Participant
    from survey_app.people.services import reissue_token

    assert load_demo(lambda message: None)
    cohort = db.session.scalar(
        select(Campaign).where(Campaign.instrument_key == "resourceful_leader_360")
    )
    live = db.session.scalar(select(Participant).where(Participant.name == LIVE_PARTICIPANT[0]))
    return {
        "cohort": cohort.id,
        "participant": live.id,
        "name": live.name,
        "token": reissue_token(live),
    }


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """The demo data served on its own SQLite file, and a signed-in commissioner's browser."""
    from tests.browser.conftest import demo_site

    with demo_site(browser, tmp_path_factory.mktemp("nominations"), _seed) as site:
        yield site


def test_approve_a_nomination_then_copy_its_fresh_link_from_the_outbox(site):
    page = site["page"]
    page.goto(f"/campaigns/{site['cohort']}")
    assert "1 nomination waiting for approval" in page.content()
    follow(page, page.get_by_role("link", name="Review nominations"))
    assert "kim@example.org" in page.content()
    assert_wcag_clean(page, "nominations waiting for approval")
    page.get_by_label("Approve").first.check()
    follow(page, page.get_by_role("button", name="Save decisions and send links"))
    assert "Approved 1, rejected 0" in page.content()
    assert "1 waiting in the outbox" in page.content()

    page.goto(f"/campaigns/{site['cohort']}/messages")
    assert "/r/" not in page.content()  # the outbox keeps no working link
    follow(page, page.get_by_role("button", name="Show with a new link to copy").first)
    assert_wcag_clean(page, "outbox message with a fresh link")
    link = page.locator("#message-body").input_value().split("/r/")[1].split()[0]
    rater = site["browser"].new_context(base_url=site["base"]).new_page()
    rater.goto(f"/r/{link}")
    assert f"Feedback for {site['name']}" in rater.content()
    rater.context.close()


def test_close_feedback_then_read_and_release_the_frozen_report(site):
    page = site["page"]
    report = f"/campaigns/{site['cohort']}/participants/{site['participant']}/report"
    page.goto(report)
    assert "is still open" in page.content() and "there is no preview" in page.content()
    assert_wcag_clean(page, "report page while feedback is open")
    follow(page, page.get_by_role("button", name=f"Close feedback for {site['name']}"))
    assert "Feedback has closed and the report is ready" in page.content()
    assert "when feedback closed; it does not change afterwards" in page.content()
    assert_wcag_clean(page, "frozen report before release")
    participant = site["browser"].new_context(base_url=site["base"]).new_page()
    participant.goto(f"/p/{site['token']}/report")
    assert "Your report is not ready yet" in participant.content()
    # Releasing asks first, on a page of its own; nothing is released until it is confirmed.
    follow(page, page.get_by_role("link", name="Release the report to the participant"))
    assert page.get_by_role("heading", name=f"Release the report to {site['name']}?").is_visible()
    assert_wcag_clean(page, "release confirmation page")
    participant.goto(f"/p/{site['token']}/report")
    assert "Your report is not ready yet" in participant.content()
    follow(page, page.get_by_role("button", name="Release the report"))
    participant.goto(f"/p/{site['token']}/report")
    assert f"360 feedback report: {site['name']}" in participant.content()
    participant.context.close()
