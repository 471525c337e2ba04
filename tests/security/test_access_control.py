"""Every endpoint declares its audience; every other kind of visitor is turned away (ASVS V4)."""

from __future__ import annotations

import secrets

import pytest

from survey_app.extensions import db
from survey_app.privacy.audiences import AUDIENCES, audience_of

DENIED = (403, 404)
pytestmark = pytest.mark.db


def test_every_endpoint_declares_who_may_use_it(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    undeclared = sorted(e for e in endpoints if audience_of(e) is None)
    assert not undeclared, f"declare these in survey_app/privacy/audiences.py: {undeclared}"
    assert not sorted(set(AUDIENCES) - endpoints), "declarations for endpoints that do not exist"


def _assert_turned_away(response, url, kit):
    body = response.get_data(as_text=True)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/sign-in"), url
    else:
        assert response.status_code in DENIED, (url, response.status_code)
    assert kit.PRIYA not in body and "priya@example.org" not in body, url


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, world, kit):
    csrf = kit.csrf_of(client)
    before = kit.fingerprint()
    for audience in ("commissioner", "admin"):
        for rule, method in kit.rules_of(client.application, audience):
            url = kit.url_for_rule(rule, world)
            response = client.open(url, method=method, data={"csrf_token": csrf})
            _assert_turned_away(response, f"{method} {url}", kit)
    assert kit.fingerprint() == before


def test_another_commissioner_cannot_read_or_change_the_leads_campaigns(client, world, kit):
    csrf = kit.sign_in(client, "other@example.org")
    before = kit.fingerprint()
    probed = 0
    for rule, method in kit.rules_of(client.application, "commissioner"):
        if "campaign_id" not in rule.arguments:
            continue
        for campaign in (world.leaders, world.survey):
            url = kit.url_for_rule(rule, world, campaign=campaign)
            response = client.open(url, method=method, data={"csrf_token": csrf})
            assert response.status_code == 404, (method, url, response.status_code)
            assert kit.PRIYA not in response.get_data(as_text=True)
            probed += 1
    assert probed > 60
    assert kit.fingerprint() == before


def test_the_owner_reaches_every_probed_page(client, world, kit):
    """The probes above use real ids: the owner gets each page for one of the campaigns."""
    from survey_app.mixing.services import close_windows

    close_windows([world.participant])  # so the participant's report pages exist
    db.session.commit()
    kit.sign_in(client, "lead@example.org")
    for rule, _ in kit.rules_of(client.application, "commissioner", methods=("GET",)):
        if rule.endpoint.endswith("_pdf") or rule.endpoint == "findings.findings_export":
            continue  # rendering PDFs is slow; their access check is the page's own
        codes = {
            client.get(kit.url_for_rule(rule, world, campaign=c)).status_code
            for c in (world.leaders, world.survey)
        }
        assert codes & {200, 302}, (rule.endpoint, codes)


def test_other_commissioners_campaign_is_not_listed(client, world, kit):
    kit.sign_in(client, "other@example.org")
    dashboard = client.get("/campaigns/").get_data(as_text=True)
    assert "Their cohort" in dashboard
    assert "Leaders 2026" not in dashboard and "Aspirations" not in dashboard


def test_only_administrators_read_the_audit_log_and_manage_accounts(app, world, kit):
    commissioner, admin = app.test_client(), app.test_client()
    csrf = kit.sign_in(commissioner, "lead@example.org")
    kit.sign_in(admin, "admin@example.org")
    before = kit.fingerprint()
    for url in ("/admin/audit", "/admin/users"):
        assert commissioner.get(url).status_code == 403
        assert admin.get(url).status_code == 200
    for action in ("disable", "reset", "unlock"):
        response = commissioner.post(
            f"/admin/users/{world.other.id}", data={"csrf_token": csrf, "action": action}
        )
        assert response.status_code == 403
    assert kit.fingerprint() == before


def test_guessed_tokens_open_nothing(client, world, kit):
    csrf = kit.csrf_of(client)
    for rule, method in kit.rules_of(client.application, "token"):
        url = kit.url_for_rule(rule, world, token=secrets.token_urlsafe(24))
        response = client.open(url, method=method, data={"csrf_token": csrf})
        assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("holder", ["peer_token", "respondent_token", "open_token"])
def test_a_rater_or_respondent_link_opens_no_participant_page(client, world, holder, kit):
    for rule, _ in kit.rules_of(client.application, "token", methods=("GET",)):
        if rule.rule.startswith("/p/"):
            url = kit.url_for_rule(rule, world, token=getattr(world, holder))
            assert client.get(url).status_code == 404, url


def test_a_participant_link_opens_no_rater_page(client, world, kit):
    for rule, _ in kit.rules_of(client.application, "token", methods=("GET",)):
        if rule.rule.startswith(("/r/", "/o/")):
            url = kit.url_for_rule(rule, world, token=world.participant_token)
            assert client.get(url).status_code == 404, url


def test_a_participant_has_no_route_to_a_raters_link(client, world, kit):
    csrf = kit.csrf_of(client, f"/p/{world.participant_token}/raters")
    before = kit.fingerprint()
    response = client.post(
        f"/p/{world.participant_token}/raters/{world.peer.id}/link", data={"csrf_token": csrf}
    )
    assert response.status_code == 404
    # Nor can their own link open the line manager's approval page, or a rater's pages.
    assert client.get(f"/r/{world.participant_token}/approvals").status_code == 404
    assert kit.fingerprint() == before


def test_answering_links_expire_when_the_campaign_closes(client, world, kit):
    from survey_app.campaigns.services import close_campaign

    close_campaign(world.leaders)
    close_campaign(world.survey)
    db.session.commit()
    for rule, _ in kit.rules_of(client.application, "token", methods=("GET",)):
        if rule.endpoint == "respond.p_tasks":
            # The participant's own page stays: it is where their report will appear.
            page = client.get(kit.url_for_rule(rule, world)).get_data(as_text=True)
            assert "Feedback for you has closed" in page
        elif rule.endpoint.startswith("respond.") or rule.endpoint == "privacy.r_notice":
            url = kit.url_for_rule(rule, world)
            assert client.get(url).status_code == 410, url
