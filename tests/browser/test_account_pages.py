"""Account pages in headless Chromium: a sign-in warning, an administrator's reset link, a new
password, and changing it; every page scanned with axe-core (WCAG 2.2 A and AA)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.commissioner_checks import assert_wcag_clean, follow

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "another long passphrase here"


@pytest.fixture
def accounts(data):
    """A fresh administrator and commissioner: their email addresses."""
    from survey_app.auth.services import create_user

    tag = uuid.uuid4().hex[:8]
    admin, person = f"admin-{tag}@example.org", f"casey-{tag}@example.org"
    data(
        lambda: (
            create_user(admin, PASSWORD, role="admin", name="Ada Admin"),
            create_user(person, PASSWORD, name="Casey Commissioner"),
        )
    )
    return admin, person


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def test_reset_and_change_a_password_through_accessible_pages(new_page, accounts):
    admin, person = accounts
    page = new_page()
    _sign_in(page, person, "not the password")
    assert re.search(r"\d more tries before sign-in is paused", page.content())
    assert_wcag_clean(page, "sign-in with a tries-left warning")
    follow(page, page.get_by_role("link", name="Forgotten your password?"))
    assert "ask an administrator" in page.content()
    assert_wcag_clean(page, "forgotten password page without email")

    helper = new_page()
    _sign_in(helper, admin, PASSWORD)
    follow(helper, helper.get_by_role("link", name="Accounts"))
    assert_wcag_clean(helper, "accounts page")
    follow(helper, helper.get_by_role("button", name=f"Reset password for {person}"))
    assert_wcag_clean(helper, "one-time reset link page")
    # The path only: the link names BASE_URL, which is not this test server.
    link = re.search(r"http://[^<\s]+(/sign-in/reset/[\w-]+)", helper.content()).group(1)

    page.goto(link)
    assert_wcag_clean(page, "choose a new password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Type the new password again").fill("short")
    follow(page, page.get_by_role("button", name="Save the new password"))
    assert "at least 12 characters" in page.content()
    assert_wcag_clean(page, "choose a new password with errors")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the new password again").fill(NEW_PASSWORD)
    follow(page, page.get_by_role("button", name="Save the new password"))
    assert "Your password has been changed" in page.content()

    _sign_in(page, person, NEW_PASSWORD)
    follow(page, page.get_by_role("link", name="Password"))
    assert_wcag_clean(page, "change password page")
    page.get_by_label("Current password").fill(NEW_PASSWORD)
    page.get_by_label("New password", exact=True).fill(PASSWORD)
    page.get_by_label("Type the new password again").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Change password"))
    assert "Your password has been changed" in page.content()
