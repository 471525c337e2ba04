"""The instrument library in headless Chromium: list, problems, upload, version and previews.

Every page on the way is scanned with axe-core against the WCAG 2.0/2.1/2.2 A and AA rules.
"""

from __future__ import annotations

import uuid

import pytest

from tests.browser.commissioner_checks import assert_wcag_clean, follow, horizontal_overflow
from tests.survey_app.library.conftest import BROKEN_YAML, SURVEY_YAML

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def commissioner_email(data):
    """A commissioner of their own (the browser database is shared by the session)."""
    from survey_app.auth.services import create_user

    email = f"librarian-{uuid.uuid4().hex[:10]}@example.org"
    data(lambda: create_user(email, PASSWORD, name="Lib Rarian"))
    return email


def test_library_problems_upload_version_and_previews_are_accessible(
    new_page, commissioner_email, tmp_path
):
    key = f"pulse_{uuid.uuid4().hex[:8]}"
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN_YAML.replace("team_pulse", key), encoding="utf-8")
    good = tmp_path / "pulse.yaml"
    good.write_text(SURVEY_YAML.replace("team_pulse", key), encoding="utf-8")

    page = new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(commissioner_email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    follow(page, page.get_by_role("link", name="Instruments"))
    assert page.get_by_role("heading", name="Instrument library").is_visible()
    assert_wcag_clean(page, "instrument library")

    page.get_by_label("Instrument file (YAML or XLSForm .xlsx)").set_input_files(str(broken))
    follow(page, page.get_by_role("button", name="Upload and check"))
    assert "Nothing was stored: broken.yaml has 3 problems" in page.content()
    assert page.locator("#problems tbody tr").count() == 3
    assert_wcag_clean(page, "instrument problems")

    # The form is still there: the fixed file goes straight back.
    page.get_by_label("Instrument file (YAML or XLSForm .xlsx)").set_input_files(str(good))
    follow(page, page.get_by_role("button", name="Upload and check"))
    assert page.get_by_role("heading", name="Team pulse, version 1").is_visible()
    assert_wcag_clean(page, "instrument version")

    follow(page, page.get_by_role("link", name="Preview every page as a respondent sees it"))
    assert page.get_by_text("What support would help?").is_visible()
    assert page.locator("section.panel .tag", has_text="Conditional").count() == 1
    assert_wcag_clean(page, "instrument preview, survey")


def test_360_previews_for_self_and_rater_are_accessible_on_a_narrow_screen(
    new_page, commissioner_email
):
    from survey_app.library.store import bundled

    version = bundled()["resourceful_leader_360"].version
    page = new_page(width=360, height=740)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(commissioner_email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    for audience in ("self", "rater"):
        page.goto(f"/library/resourceful_leader_360/v{version}/preview/{audience}")
        assert page.locator("section.panel").count() >= 2
        assert horizontal_overflow(page) <= 0
        assert_wcag_clean(page, f"instrument preview, 360 {audience}")
