"""Signing in and out: lock-out, safe redirects, signed sessions that end with a password change."""

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from survey_app.auth.access import safe_next
from survey_app.auth.throttle import ADDRESS_LIMIT, address_key, locked_for
from survey_app.extensions import db
from survey_app.models import AuditEvent

PASSWORD = "correct horse battery"


def test_home_page_links_to_sign_in(client):
    assert 'href="/sign-in"' in client.get("/").get_data(as_text=True)


def test_signing_in_opens_the_dashboard_and_is_audited(client, commissioner, post_form):
    response = post_form(client, "/sign-in", {"email": " Lead@Example.org ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/campaigns/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/campaigns/").status_code == 200
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["sign_in"]


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client, commissioner, post_form
):
    response = post_form(client, "/sign-in", {"email": "lead@example.org", "password": "nope"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Enter a correct email address and password" in page
    unknown = post_form(client, "/sign-in", {"email": "who@example.org", "password": "nope"})
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)
    assert client.get("/campaigns/").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client, commissioner, post_form
):
    for _ in range(ADDRESS_LIMIT.failures):
        post_form(client, "/sign-in", {"email": "lead@example.org", "password": "guess"})
    response = post_form(client, "/sign-in", {"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "paused" in response.get_data(as_text=True)
    assert locked_for(address_key("lead@example.org")) == ADDRESS_LIMIT.lock_minutes


def test_signed_out_visitors_are_sent_to_sign_in_and_back(client, commissioner, post_form):
    response = client.get("/campaigns/new")
    assert response.status_code == 302
    assert "/sign-in?next=/campaigns/new" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/campaigns/new"' in page
    signed = post_form(
        client,
        "/sign-in",
        {"email": "lead@example.org", "password": PASSWORD, "next": "/campaigns/new"},
    )
    assert signed.headers["Location"].endswith("/campaigns/new")


def test_next_never_leaves_the_site(client, commissioner, post_form):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"):
        response = post_form(
            client, "/sign-in", {"email": "lead@example.org", "password": PASSWORD, "next": target}
        )
        assert response.headers["Location"].endswith("/campaigns/"), target
    assert safe_next("/campaigns/abc?x=1") == "/campaigns/abc?x=1"


def test_sign_out_ends_the_session(client, commissioner, post_form):
    post_form(client, "/sign-in", {"email": "lead@example.org", "password": PASSWORD})
    response = post_form(client, "/sign-out", get_url="/campaigns/")
    assert response.status_code == 302
    assert client.get("/campaigns/").status_code == 302


def test_changing_the_password_ends_existing_sessions(client, commissioner, post_form):
    post_form(client, "/sign-in", {"email": "lead@example.org", "password": PASSWORD})
    assert client.get("/campaigns/").status_code == 200
    commissioner.password_hash = generate_password_hash("a brand new password")
    db.session.commit()
    assert client.get("/campaigns/").status_code == 302


def test_deactivated_accounts_cannot_sign_in(client, commissioner, post_form):
    commissioner.active = False
    db.session.commit()
    response = post_form(client, "/sign-in", {"email": "lead@example.org", "password": PASSWORD})
    assert response.status_code == 401
