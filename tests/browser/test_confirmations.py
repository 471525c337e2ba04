"""One-click actions ask first (also without JavaScript); a replaced link says what to do."""

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
def cohort(data):
    """A commissioner with an open 360 and one participant with a rater: (email, campaign id)."""
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign
    from survey_app.people.services import add_invitation, add_participant

    email = f"confirm-{uuid.uuid4().hex[:10]}@example.org"

    def build():
        user = create_user(email, PASSWORD, name="Cleo Confirm")
        campaign = create_campaign(user, "resourceful_leader_360", "Confirm cohort")
        open_campaign(campaign)
        person = add_participant(campaign, "Noor Ahmed", "noor@example.org")
        add_invitation(campaign, person.participant, "peer", "Pat Peer", "pat@example.org")
        return campaign.id

    return email, data(build)


@pytest.mark.parametrize("javascript", [True, False])
def test_emailing_invitations_asks_and_the_old_mail_merge_link_says_it_was_replaced(
    browser, live_server, cohort, javascript
):
    email, campaign_id = cohort
    context = browser.new_context(
        base_url=live_server, java_script_enabled=javascript, accept_downloads=True
    )
    try:
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        follow(page, page.get_by_role("button", name="Sign in"))
        page.goto(f"/campaigns/{campaign_id}/links")
        with page.expect_download() as download:
            page.get_by_role("button", name="Issue fresh links and download CSV").click()
        rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
        old_link = urlsplit(next(r["url"] for r in rows if r["name"] == "Pat Peer")).path

        page.goto(f"/campaigns/{campaign_id}")
        follow(page, page.get_by_role("link", name="Email invitations to those not yet invited"))
        assert page.get_by_role("heading", name="Email invitations?").is_visible()
        assert "mail-merge CSV you downloaded before" in page.content()
        if javascript:
            assert_wcag_clean(page, "email invitations confirmation page")
        follow(page, page.get_by_role("button", name="Send invitations"))
        assert "Invitations:" in page.content()

        visitor = context.new_page()
        response = visitor.goto(old_link)
        assert response.status == 410
        assert visitor.get_by_role("heading", name="This link has been replaced").is_visible()
        assert "ask Cleo Confirm" in visitor.content()
        assert "Page not found" not in visitor.content()
        if javascript:
            assert_wcag_clean(visitor, "replaced link page")
    finally:
        context.close()
