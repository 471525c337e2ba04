"""Commissioners see only their own or shared campaigns; guessing ids gives 404."""

import pytest

from survey_app.auth.services import create_user
from survey_app.extensions import db
from survey_app.models import AuditEvent, Campaign, CampaignShare

PASSWORD = "correct horse battery"


@pytest.fixture
def owned(make_campaign):
    return make_campaign(title="Lead's cohort")


READ_URLS = [
    "/campaigns/{id}",
    "/campaigns/{id}/export.csv",
    "/campaigns/{id}/export.xlsx",
    "/campaigns/{id}/participants/new",
    "/campaigns/{id}/edit",
    "/campaigns/{id}/messages",
    "/campaigns/{id}/responses/import",
    "/campaigns/{id}/links",
]


def test_another_commissioner_gets_404_everywhere(client, owned, other_commissioner, sign_in):
    sign_in(client, "other@example.org")
    for url in READ_URLS:
        assert client.get(url.format(id=owned.id)).status_code == 404, url
    assert "Lead&#39;s cohort" not in client.get("/campaigns/").get_data(as_text=True)


def test_another_commissioner_cannot_change_a_campaign(
    client, owned, other_commissioner, sign_in, post_form
):
    sign_in(client, "other@example.org")
    for action in ("close", "archive"):
        response = post_form(
            client, f"/campaigns/{owned.id}/status/{action}", get_url="/campaigns/"
        )
        assert response.status_code == 404
    response = post_form(client, f"/campaigns/{owned.id}/links.csv", get_url="/campaigns/")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Campaign, owned.id).status == "open"


def test_a_share_can_read_but_not_change(client, owned, other_commissioner, sign_in, post_form):
    db.session.add(CampaignShare(campaign_id=owned.id, user_id=other_commissioner.id))
    db.session.commit()
    sign_in(client, "other@example.org")
    assert client.get(f"/campaigns/{owned.id}").status_code == 200
    assert "Lead&#39;s cohort" in client.get("/campaigns/").get_data(as_text=True)
    assert client.get(f"/campaigns/{owned.id}/edit").status_code == 403
    response = post_form(client, f"/campaigns/{owned.id}/status/close", get_url="/campaigns/")
    assert response.status_code == 403


def test_admins_see_every_campaign_and_the_audit_log(client, owned, sign_in):
    create_user("admin@example.org", PASSWORD, role="admin")
    db.session.commit()
    sign_in(client, "admin@example.org")
    assert "Lead&#39;s cohort" in client.get("/campaigns/").get_data(as_text=True)
    client.get(f"/campaigns/{owned.id}/export.csv")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "admin@example.org" in page and "export" in page and "sign_in" in page
    assert db.session.query(AuditEvent).filter_by(action="export").count() == 1


def test_commissioners_cannot_read_the_audit_log(lead_client):
    assert lead_client.get("/admin/audit").status_code == 403


def test_unknown_and_malformed_ids_are_404(lead_client):
    assert lead_client.get("/campaigns/not-a-real-id").status_code == 404
    assert lead_client.get("/campaigns/" + "x" * 300).status_code == 404
