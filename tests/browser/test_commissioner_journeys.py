"""A commissioner's journey in headless Chromium: sign in, set up a 360, hand out links, close.

Every page on the way is scanned with axe-core against the WCAG 2.0/2.1/2.2 A and AA rules.
"""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.commissioner_checks import assert_wcag_clean, follow

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture
def commissioner(data):
    """A fresh commissioner account: (email, password)."""
    from survey_app.auth.services import create_user

    email = f"commissioner-{uuid.uuid4().hex[:10]}@example.org"
    data(lambda: create_user(email, PASSWORD, name="Casey Commissioner"))
    return email, PASSWORD


def _sign_in(page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def _upload_csv(tmp_path) -> str:
    path = tmp_path / "participants.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "email", "organisation", "current_role", "aspired_role"])
        writer.writerow(
            ["Noor Ahmed", "noor@example.org", "Westshire", "Team manager", "head_of_service"]
        )
        writer.writerow(
            [
                "Owen Price",
                "owen@example.org",
                "Eastbridge",
                "Head of service",
                "Assistant director (tier 2)",
            ]
        )
    return str(path)


def test_commissioner_sets_up_a_360_hands_out_links_and_closes_it(new_page, commissioner, tmp_path):
    page = new_page()
    page.goto("/sign-in")
    assert_wcag_clean(page, "sign-in page")
    follow(page, page.get_by_role("button", name="Sign in"))
    assert "There is a problem" in page.content()
    assert_wcag_clean(page, "sign-in page with errors")
    _sign_in(page, *commissioner)
    assert page.get_by_role("heading", name="Campaigns").is_visible()
    assert_wcag_clean(page, "dashboard")

    follow(page, page.get_by_role("link", name="Create a campaign"))
    assert_wcag_clean(page, "new campaign page")
    follow(page, page.get_by_role("button", name="Create campaign"))
    assert_wcag_clean(page, "new campaign page with errors")
    page.get_by_label("Instrument").select_option("resourceful_leader_360")
    page.get_by_label("Campaign title").fill("Stepping up cohort 2027")
    follow(page, page.get_by_role("button", name="Create campaign"))
    assert page.get_by_role("heading", name="Stepping up cohort 2027").is_visible()
    assert "draft" in page.locator(".summary-list").inner_text()
    assert_wcag_clean(page, "draft campaign page")
    follow(page, page.get_by_role("button", name="Open campaign"))
    assert "Campaign opened" in page.content()
    assert_wcag_clean(page, "open campaign page with a notification")
    detail_url = page.url

    follow(page, page.get_by_role("link", name="Add a participant"))
    follow(page, page.get_by_role("button", name="Add participant"))
    assert "Enter the participant's name" in page.content()
    assert_wcag_clean(page, "add participant page with errors")
    page.get_by_label("Full name").fill("Maya Brooks")
    page.get_by_label("Email address").fill("maya@example.org")
    page.get_by_label("Organisation").fill("Northgate City Council")
    page.get_by_label("Role they aspire to").select_option("assistant_director")
    follow(page, page.get_by_role("button", name="Add participant"))
    participant_link = page.locator(".summary-list dd").first.inner_text()
    assert "/p/" in participant_link
    assert_wcag_clean(page, "new participant link page")
    follow(page, page.get_by_role("link", name="Continue"))

    follow(page, page.get_by_role("link", name="Upload participants (CSV or XLSX)"))
    assert_wcag_clean(page, "upload participants page")
    page.get_by_label("File (CSV, TSV or XLSX)").set_input_files(_upload_csv(tmp_path))
    follow(page, page.get_by_role("button", name="Upload"))
    assert "Added 2 participants" in page.content()
    table = page.get_by_role("table", name="3 participants").inner_text()
    assert all(name in table for name in ("Maya Brooks", "Noor Ahmed", "Owen Price"))

    follow(page, page.get_by_role("link", name="Maya Brooks"))
    assert_wcag_clean(page, "participant progress page")
    page.goto(detail_url)
    follow(page, page.get_by_role("link", name="Links and CSV for a mail-merge"))
    assert_wcag_clean(page, "links page")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Issue fresh links and download CSV").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8")))
    )
    participant_rows = [row for row in rows if row["link_for"] == "participant"]
    assert sorted(row["participant"] for row in participant_rows) == [
        "Maya Brooks",
        "Noor Ahmed",
        "Owen Price",
    ]
    assert all("/p/" in row["url"] for row in participant_rows)
    fresh_link = next(row["url"] for row in participant_rows if row["participant"] == "Noor Ahmed")

    visitor = new_page()
    visitor.goto(urlsplit(fresh_link).path)
    assert "Noor Ahmed" in visitor.content()

    page.goto(detail_url)
    # Closing asks first, on a page of its own; Cancel goes back with nothing changed.
    follow(page, page.get_by_role("link", name="Close campaign"))
    assert page.get_by_role("heading", name="Close this campaign?").is_visible()
    assert_wcag_clean(page, "close campaign confirmation page")
    follow(page, page.get_by_role("link", name="Cancel and go back"))
    assert "open" in page.locator(".summary-list").inner_text()
    visitor.goto(urlsplit(fresh_link).path)
    assert "Noor Ahmed" in visitor.content()
    follow(page, page.get_by_role("link", name="Close campaign"))
    follow(page, page.get_by_role("button", name="Close campaign"))
    assert "closed: every link has stopped working" in page.content()
    assert_wcag_clean(page, "closed campaign page")
    # The participant's own page stays, to say feedback has closed and bring the report later;
    # every answering page has stopped.
    visitor.goto(urlsplit(fresh_link).path)
    assert "Feedback for you has closed" in visitor.content()
    response = visitor.goto(urlsplit(fresh_link).path + "/self")
    assert response.status == 410
    assert visitor.get_by_role("heading", name="This link has expired").is_visible()
    assert_wcag_clean(visitor, "expired link page")


def test_forms_work_without_javascript(browser, live_server, commissioner):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        _sign_in(page, *commissioner)
        follow(page, page.get_by_role("link", name="Create a campaign"))
        page.get_by_label("Instrument").select_option("resourceful_leader_360")
        page.get_by_label("Campaign title").fill("No-script cohort")
        follow(page, page.get_by_role("button", name="Create campaign"))
        assert page.get_by_role("heading", name="No-script cohort").is_visible()
        follow(page, page.get_by_role("link", name="Add a participant"))
        page.get_by_label("Full name").fill("Script Free")
        page.get_by_label("Email address").fill("scriptfree@example.org")
        follow(page, page.get_by_role("button", name="Add participant"))
        assert "/p/" in page.locator(".summary-list dd").first.inner_text()
    finally:
        context.close()
