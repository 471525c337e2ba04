"""The composite question types in Chromium with axe: grid, number with units, table, rows."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _setup_link():
    from instruments import load_instrument
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign
    from survey_app.library.store import bundled
    from survey_app.people.services import add_invitation
    from tests.paths import INSTRUMENTS

    bundled()["composite_types"] = load_instrument(
        INSTRUMENTS / "examples" / "composite_types.yaml"
    )
    owner = create_user("composite-lead@example.org", "correct horse battery", name="Lead")
    campaign = create_campaign(owner, "composite_types", "Workforce return 2026")
    open_campaign(campaign)
    return add_invitation(campaign).token


def _continue(page):
    with page.expect_navigation():
        page.get_by_role(
            "button", name=re.compile("^Save and (continue|check your answers)$")
        ).click()


def test_each_composite_type_can_be_answered_by_label_and_passes_axe(
    new_page, data, assert_accessible
):
    token = data(_setup_link)
    page = new_page()
    page.goto(f"/r/{token}")
    page.get_by_role("button", name="Start now").click()
    page.goto(f"/r/{token}/page/1")
    assert_accessible(page, "grid and number with units")
    page.get_by_label("Workforce planning: Yes").check()
    page.get_by_label("Succession planning: No").check()
    page.get_by_label("How many senior posts are vacant?").fill("2.5")
    _continue(page)
    assert "Enter a whole number between 0 and 1000" in page.content()
    assert_accessible(page, "grid page with an error")
    assert page.get_by_label("Succession planning: No").is_checked()
    page.get_by_label("How many senior posts are vacant?").fill("3")
    _continue(page)

    assert_accessible(page, "number table")
    page.get_by_label("Number of 1st tier posts, Baseline 2009/10").fill("40")
    page.get_by_label("Posts filled internally, Baseline 2009/10").fill("10")
    _continue(page)

    assert_accessible(page, "repeating rows")
    page.locator("#q_senior_posts").fill("Director of children's services")
    page.locator("#q_senior_posts-1-vacancy").select_option("H")
    with page.expect_navigation():
        page.get_by_role("button", name="Add another row").click()
    # three rows were shown; "Add another row" saved the first and shows four
    assert page.locator("legend", has_text=re.compile(r"^Row \d+$")).count() == 4
    page.locator("#q_senior_posts-2-vacancy").select_option("L")
    _continue(page)
    assert "Row 2, Post title: enter an answer" in page.content()
    assert_accessible(page, "repeating rows with an error")
    # Enter in a text box saves and continues, as on every other page; it adds no row.
    page.locator("#q_senior_posts-2-post").fill("Head of safeguarding")
    with page.expect_navigation():
        page.locator("#q_senior_posts-2-post").press("Enter")

    assert "Check your answers" in page.content()
    assert "Succession planning: No" in page.content()
    assert "Post title: Head of safeguarding, Likelihood of vacancy: Low" in page.content()
    assert_accessible(page, "check answers with composite types")
