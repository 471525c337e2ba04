"""The national templates' findings pages in Chromium with axe (WCAG A/AA)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "national-lead@example.org", "correct horse battery"


def _post(title, vacancy, ease):
    return json.dumps(
        {"post": title, "vacancy": vacancy, "recruitment": ease}, separators=(",", ":")
    )


RETURNS = {
    "workforce_practice": [
        {"organisation": [org], "implemented": ["workforce_planning=yes", "recruitment=no"]}
        for org in ("Kent", "Medway", "Surrey")
    ],
    "demand_template": [
        {
            "organisation": [org],
            "senior_posts": [_post("Director", "H", "3"), _post("AD", "L", "1")],
        }
        for org in ("Kent", "Medway", "Surrey")
    ],
    "regional_supply_matrix": [
        {"organisation": [org], "senior_leaders": ["8"], "senior_high_potential": ["2"]}
        for org in ("Kent", "Medway", "Surrey")
    ],
    "pi_quarterly_return": [
        {"region": [region], "pi_first_tier": ["posts.q1=10", "vacancies.q1=2", "applicants.q1=1"]}
        for region in ("north_east", "south_east", "london")
    ],
}


def _setup():
    from survey_app.auth.services import create_user
    from survey_app.campaigns.services import create_campaign, open_campaign
    from survey_app.responses import store_response

    owner = create_user(EMAIL, PASSWORD, name="National Lead")
    ids = {}
    for key, answers in RETURNS.items():
        campaign = create_campaign(owner, key, f"{key} 2026")
        open_campaign(campaign)
        for one in answers:
            store_response(campaign.id, one, source="import")
        ids[key] = campaign.id
    return ids


@pytest.fixture(scope="module")
def campaigns(live_app):
    """A campaign on each template, with three returns each; their ids by instrument key."""
    from survey_app.extensions import db

    with live_app.app_context():
        ids = _setup()
        db.session.commit()
        return ids


@pytest.mark.parametrize("key", list(RETURNS))
def test_national_findings_pages_pass_axe(new_page, campaigns, assert_accessible, key):
    from tests.browser.commissioner_checks import follow

    page = new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    response = page.goto(f"/campaigns/{campaigns[key]}/findings")
    assert response.status == 200
    assert page.locator("#national-summary").is_visible()
    assert_accessible(page, f"{key} findings")
