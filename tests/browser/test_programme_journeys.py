"""The programme around the 360 in Chromium, with axe on every page: the commissioner matches a
participant with a coach, the participant sees their coach, a sponsor confirms by their link, and
the commissioner opens the cohort's four-level evaluation."""

from __future__ import annotations

import pytest

from tests.browser.commissioner_checks import (
    assert_wcag_clean,
    charts_without_tables,
    clipped_chart_labels,
    follow,
    wait_for_charts,
)

pytestmark = pytest.mark.browser


def _seed() -> dict:
    from sqlalchemy import select

    from survey_app.coaching.models import Region
    from survey_app.demo.loader import load_demo
    from survey_app.extensions import db
    from survey_app.models import Campaign
    from survey_app.people.services import reissue_token

    assert load_demo(lambda message: None)
    cohort = db.session.scalar(
        select(Campaign).where(Campaign.title == "Aspiring leaders cohort 2026")
    )
    amira = next(p for p in cohort.participants if p.name == "Amira Hussain")
    return {
        "cohort": cohort.id,
        "amira_token": reissue_token(amira),
        "region": db.session.scalar(select(Region)).id,
    }


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """The demo served on its own SQLite file, and a signed-in commissioner's browser."""
    from tests.browser.conftest import demo_site

    with demo_site(browser, tmp_path_factory.mktemp("programme"), _seed) as site:
        yield site


def _visitor(site):
    return site["browser"].new_context(base_url=site["base"]).new_page()


def test_commissioner_matches_a_participant_with_a_coach(site):
    page = site["page"]
    page.goto(f"/campaigns/{site['cohort']}")
    follow(page, page.get_by_role("link", name="Programme support"))
    assert_wcag_clean(page, "programme support")
    follow(page, page.get_by_role("link", name="Dev Sharma"))
    assert "Matching uses only what Dev Sharma's released report shows them" in page.content()
    assert "from a neighbouring authority" in page.content()
    assert_wcag_clean(page, "proposals for a coach")
    follow(page, page.get_by_role("button", name="Confirm the match and tell both"))
    assert "is now Dev Sharma's coach" in page.content()
    assert "Current coach" in page.content()
    page.get_by_label("Date of the session").fill("2026-01-15")
    assert_wcag_clean(page, "a confirmed match with its sessions")
    page.goto(f"/regions/{site['region']}")
    assert_wcag_clean(page, "the region's pool and neighbours")
    page.goto(f"/regions/{site['region']}/talent")
    assert "Lena Fischer" in page.content()
    assert_wcag_clean(page, "the talent register")


def test_participant_sees_their_coach_and_can_join_the_talent_pool(site):
    participant = _visitor(site)
    participant.goto(f"/p/{site['amira_token']}")
    follow(participant, participant.get_by_role("link", name="Your development support"))
    assert "Your coach: " in participant.content()
    assert "Sessions held: 2 of the 3" in participant.content()
    assert_wcag_clean(participant, "the participant's support page")
    follow(participant, participant.get_by_role("link", name="Join the talent pool"))
    assert_wcag_clean(participant, "joining the talent pool")
    follow(participant, participant.get_by_role("button", name="Join the talent pool"))
    assert "Tick the box to say you agree" in participant.content()
    participant.get_by_label("I agree").check()
    follow(participant, participant.get_by_role("button", name="Join the talent pool"))
    assert "You have joined South East" in participant.content()
    participant.context.close()


def test_sponsor_confirms_the_nomination_by_their_link(site):
    page = site["page"]
    page.goto(f"/campaigns/{site['cohort']}/sponsors")
    assert_wcag_clean(page, "who sponsors whom")
    page.goto(f"/campaigns/{site['cohort']}/messages")
    assert "/s/" not in page.content()
    follow(
        page,
        page.get_by_role("button", name="Show with a new link to copy for priya.nair@example.org"),
    )
    link = page.locator("#message-body").input_value().split("/s/")[1].split()[0]
    sponsor = _visitor(site)
    sponsor.goto(f"/s/{link}")
    assert "Do you sponsor Dev Sharma?" in sponsor.content()
    assert_wcag_clean(sponsor, "the sponsor's confirmation page")
    sponsor.get_by_label("Yes, I sponsor this nomination").check()
    follow(sponsor, sponsor.get_by_role("button", name="Send my answer"))
    assert "You have confirmed the nomination" in sponsor.content()
    assert_wcag_clean(sponsor, "the sponsor's thank-you page")
    sponsor.context.close()
    page.goto(f"/campaigns/{site['cohort']}/sponsors")
    row = page.locator('tr[data-participant="Dev Sharma"]').inner_text()
    assert "Priya Nair" in row and "Confirmed" in row


def test_commissioner_opens_the_evaluation(site):
    page = site["page"]
    page.goto(f"/campaigns/{site['cohort']}")
    follow(page, page.get_by_role("link", name="Evaluation"))
    for heading in ("1. Reaction", "2. Learning", "3. Behaviour", "4. Results"):
        assert page.get_by_role("heading", name=heading).count() == 1
    assert page.locator("#behaviour-table td[data-value]").count() >= 8
    assert wait_for_charts(page) == 1 and charts_without_tables(page) == []
    assert_wcag_clean(page, "the four-level evaluation")
    page.goto(f"/campaigns/{site['cohort']}/outcomes")
    assert_wcag_clean(page, "appointments and promotions")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_evaluation_chart_shows_whole_labels(site, width):
    page = site["page"]
    page.set_viewport_size({"width": width, "height": 800})
    try:
        page.goto(f"/campaigns/{site['cohort']}/evaluation")
        assert wait_for_charts(page) == 1
        page.wait_for_timeout(200)  # plotly re-lays out once its automatic margins are known
        assert clipped_chart_labels(page) == [], f"evaluation at {width}px"
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
