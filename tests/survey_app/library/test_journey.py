"""A commissioner's whole journey with an instrument of their own, with no release."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Campaign

from .conftest import BROKEN_YAML, SURVEY_YAML

pytestmark = pytest.mark.db
ANSWERS = (
    {"q_q1": "well", "q_q2": "yes", "q_q3": "Time to plan"},
    {"q_q1": "badly", "q_q2": "no"},
    {"q_q1": "well", "q_q2": "no"},
)


def _answer_by_open_link(app, post_form, open_url: str, answers: dict) -> None:
    browser = app.test_client()
    issued = post_form(browser, open_url).get_data(as_text=True)
    personal = re.search(
        r'id="personal-link" type="text" readonly value="http://localhost(/r/[A-Za-z0-9_-]+)"',
        issued,
    )
    assert personal, issued
    url = personal.group(1)
    response = post_form(browser, f"{url}/page/1", {**answers, "action": "continue"})
    assert response.status_code == 302, response.get_data(as_text=True)
    response = post_form(browser, f"{url}/check")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_upload_fix_preview_launch_answer_and_read_the_findings(
    app, lead_client, upload, post_form
):
    # 1. A broken file: every problem listed, nothing stored.
    response = upload(lead_client, BROKEN_YAML)
    assert response.status_code == 400 and "3 problems" in response.get_data(as_text=True)
    # 2. Fixed: stored as version 1.
    response = upload(lead_client, SURVEY_YAML)
    assert response.headers["Location"].endswith("/library/team_pulse/v1")
    # 3. Preview as a respondent.
    preview = lead_client.get("/library/team_pulse/v1/preview/respondent")
    assert "What support would help?" in preview.get_data(as_text=True)
    # 4. Launch a campaign on it: the new-campaign form offers it.
    form = lead_client.get("/campaigns/new").get_data(as_text=True)
    assert 'value="team_pulse"' in form and "Team pulse (version 1, uploaded)" in form
    response = post_form(
        lead_client, "/campaigns/new", {"instrument": "team_pulse", "title": "Pulse 2026"}
    )
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign).where(Campaign.title == "Pulse 2026"))
    assert (campaign.instrument_key, campaign.instrument_version) == ("team_pulse", 1)
    detail = f"/campaigns/{campaign.id}"
    assert post_form(lead_client, f"{detail}/status/open", get_url=detail).status_code == 302
    response = post_form(lead_client, f"{detail}/open-link", get_url=detail)
    assert response.status_code == 302
    made = lead_client.get(response.headers["Location"]).get_data(as_text=True)
    open_url = re.search(r"https?://[^\"<\s]+(/o/[A-Za-z0-9_-]+)", made).group(1)
    # 5. Three respondents answer by the open link (k = 3, so their answers are then mixed).
    for answers in ANSWERS:
        _answer_by_open_link(app, post_form, open_url, answers)
    # 6. The findings show the tallies of the uploaded instrument's questions.
    findings = lead_client.get(f"/campaigns/{campaign.id}/findings").get_data(as_text=True)
    assert "How is your week going?" in findings
    assert "Well" in findings and "Badly" in findings
