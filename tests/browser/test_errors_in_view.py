"""After a failed post the error summary is on screen and focused, and what was typed is kept.

GOV.UK error summary pattern: the summary is the first thing in main, the page is not jumped
past it to a fragment, and focus moves to it (by `autofocus`, so also without JavaScript).
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.commissioner_checks import assert_wcag_clean, follow

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def campaigns(data):
    """A commissioner with a 360 and a skills audit: (email, 360 id, audit id)."""
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign

    email = f"errors-{uuid.uuid4().hex[:10]}@example.org"

    def build():
        user = create_user(email, PASSWORD, name="Erin Errors")
        cohort = create_campaign(user, "resourceful_leader_360", "Error cohort")
        audit = create_campaign(user, "skills_talent_audit", "Error audit")
        open_campaign(audit)
        return cohort.id, audit.id

    cohort_id, audit_id = data(build)
    return email, cohort_id, audit_id


def _signed_in(browser, live_server, email, width, javascript=True):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": width, "height": 740},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    return context, page


def _assert_summary_in_view_and_focused(page, label: str) -> None:
    summary = page.locator(".error-summary")
    assert summary.count() == 1, label
    page.wait_for_function(
        "() => document.activeElement"
        " && document.activeElement.classList.contains('error-summary')",
        timeout=5000,
    )
    box = page.evaluate("""() => {
        const r = document.querySelector('.error-summary').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, height: window.innerHeight};
    }""")
    assert box["top"] >= 0 and box["bottom"] <= box["height"], f"{label}: off screen: {box}"
    assert "There is a problem" in summary.inner_text()
    assert page.title().startswith("Error:"), label


@pytest.mark.parametrize(("width", "javascript"), [(1280, True), (360, True), (1280, False)])
def test_sharing_with_a_bad_address_shows_the_error_on_screen(
    browser, live_server, campaigns, width, javascript
):
    email, cohort_id, _ = campaigns
    context, page = _signed_in(browser, live_server, email, width, javascript)
    try:
        page.goto(f"/campaigns/{cohort_id}")
        page.get_by_label("Commissioner's email address").fill("not-an-email")
        page.get_by_label("Let them see participants' names").check()
        follow(page, page.get_by_role("button", name="Share campaign"))
        _assert_summary_in_view_and_focused(page, f"share at {width}px")
        assert "#" not in page.url  # no jump to the sharing section past the summary
        assert page.get_by_label("Commissioner's email address").input_value() == "not-an-email"
        assert page.get_by_label("Let them see participants' names").is_checked()
        if javascript:
            assert_wcag_clean(page, "campaign page after a failed share")
        page.get_by_label("Commissioner's email address").fill("nobody@example.org")
        follow(page, page.get_by_role("button", name="Share campaign"))
        text = page.locator(".error-summary").inner_text()
        assert "Ask an administrator to create an account" in text
        assert "survey-app" not in page.content()
    finally:
        context.close()


@pytest.mark.parametrize(("width", "javascript"), [(1280, True), (360, True), (1280, False)])
def test_a_bad_high_potential_number_shows_the_error_on_screen(
    browser, live_server, campaigns, width, javascript
):
    email, _, audit_id = campaigns
    context, page = _signed_in(browser, live_server, email, width, javascript)
    try:
        page.goto(f"/campaigns/{audit_id}/findings")
        page.get_by_text("Enter organisationally identified high-potential numbers").click()
        page.locator("#name-new").fill("Kent and Medway")
        page.locator("#count-new").fill("lots")
        follow(page, page.get_by_role("button", name="Save numbers"))
        _assert_summary_in_view_and_focused(page, f"high-potential numbers at {width}px")
        assert "#" not in page.url
        # The form stays open with what was typed, and the summary's link leads to the box.
        assert page.locator("#hipo-numbers").get_attribute("open") is not None
        assert page.locator("#count-new").input_value() == "lots"
        assert page.locator("#name-new").input_value() == "Kent and Medway"
        page.locator(".error-summary a").first.click()
        assert page.evaluate("document.activeElement.id") == "count-new"
        if javascript:
            assert_wcag_clean(page, "findings page after a failed save")
    finally:
        context.close()
