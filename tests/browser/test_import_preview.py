"""Importing another tool's export in headless Chromium: upload, preview and map, import, undo.

Every page on the way is scanned with axe-core against the WCAG 2.0/2.1/2.2 A and AA rules.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.browser.commissioner_checks import (
    assert_wcag_clean,
    follow,
    horizontal_overflow,
)

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
QUALTRICS = Path(__file__).resolve().parents[1] / "data" / "imports" / "qualtrics_seslip.csv"


@pytest.fixture
def survey(data):
    """A commissioner and their open SESLIP survey campaign: (email, campaign id)."""
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign

    email = f"importer-{uuid.uuid4().hex[:10]}@example.org"

    def build():
        user = create_user(email, PASSWORD, name="Imogen Importer")
        campaign = create_campaign(user, "seslip_aspiration_survey", "Aspirations 2026")
        open_campaign(campaign)
        return campaign.id

    return email, data(build)


def test_commissioner_previews_maps_imports_and_undoes_a_qualtrics_export(new_page, survey):
    email, campaign_id = survey
    page = new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    page.goto(f"/campaigns/{campaign_id}")
    follow(page, page.get_by_role("link", name="Import responses collected elsewhere"))
    assert_wcag_clean(page, "import page")
    follow(page, page.get_by_role("button", name="Upload and preview"))
    assert "Choose a CSV, TSV or XLSX file to upload" in page.content()
    assert_wcag_clean(page, "import page with errors")

    page.get_by_label("File (CSV, TSV or XLSX)").set_input_files(str(QUALTRICS))
    follow(page, page.get_by_role("button", name="Upload and preview"))
    assert page.get_by_role("heading", name="Check the file and match its columns").is_visible()
    assert "Qualtrics" in page.locator(".summary-list").inner_text()
    assert "Never stored: 8 columns that identify people" in page.content()
    assert page.get_by_label("Question answered by column R").input_value() == "gender"
    assert_wcag_clean(page, "preview with an answer to translate")

    page.get_by_label("“Other” for gender (1 row)").select_option("another_way")
    follow(page, page.get_by_role("button", name="Check again"))
    assert "Before you can import" not in page.content()
    assert_wcag_clean(page, "preview ready to import")
    follow(page, page.get_by_role("button", name="Import 4 responses"))
    assert "Imported 4 responses as batch imp-" in page.content()
    assert_wcag_clean(page, "import page listing the batch")

    follow(page, page.get_by_role("link", name="Undo batch"))
    assert_wcag_clean(page, "undo confirmation")
    follow(page, page.get_by_role("button", name="Undo this import"))
    assert "4 responses removed" in page.content()


def test_the_preview_fits_a_phone_and_works_without_javascript(browser, live_server, survey):
    email, campaign_id = survey
    context = browser.new_context(
        base_url=live_server, java_script_enabled=False, viewport={"width": 375, "height": 740}
    )
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        follow(page, page.get_by_role("button", name="Sign in"))
        page.goto(f"/campaigns/{campaign_id}/responses/import")
        page.get_by_label("File (CSV, TSV or XLSX)").set_input_files(str(QUALTRICS))
        follow(page, page.get_by_role("button", name="Upload and preview"))
        assert horizontal_overflow(page) <= 1
        page.get_by_label("“Other” for gender (1 row)").select_option("")
        page.get_by_label("Leave them out").check()
        follow(page, page.get_by_role("button", name="Check again"))
        follow(page, page.get_by_role("button", name="Import 4 responses"))
        assert "Imported 4 responses" in page.content()
    finally:
        context.close()
