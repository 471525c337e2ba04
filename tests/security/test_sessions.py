"""A copied session cookie dies with sign-out, a password change or a disabled account (V3.3)."""

from __future__ import annotations

import pytest

from survey_app.extensions import db
from survey_app.models import User

pytestmark = pytest.mark.db
NEW_PASSWORD = "a completely new passphrase"


def _thief_with_copy_of(app, victim):
    """A second browser holding a copy of the victim browser's session cookie."""
    cookie = victim.get_cookie("session")
    assert cookie is not None, "the victim is not signed in"
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain=cookie.domain)
    assert thief.get("/campaigns/").status_code == 200, "the copied cookie should work at first"
    return thief


def _signed_out(client) -> bool:
    response = client.get("/campaigns/")
    return response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(app, world, kit):
    victim = app.test_client()
    csrf = kit.sign_in(victim, "lead@example.org")
    thief = _thief_with_copy_of(app, victim)
    assert victim.post("/sign-out", data={"csrf_token": csrf}).status_code == 302
    assert _signed_out(thief)
    assert _signed_out(victim)


def test_signing_out_on_one_device_ends_the_accounts_other_sessions(app, world, kit):
    laptop, phone = app.test_client(), app.test_client()
    csrf = kit.sign_in(laptop, "lead@example.org")
    kit.sign_in(phone, "lead@example.org")
    laptop.post("/sign-out", data={"csrf_token": csrf})
    assert _signed_out(phone)
    # Someone else's session is untouched.
    other = app.test_client()
    kit.sign_in(other, "other@example.org")
    assert other.get("/campaigns/").status_code == 200


def test_a_copied_cookie_stops_working_after_a_password_change(app, world, kit):
    victim = app.test_client()
    csrf = kit.sign_in(victim, "lead@example.org")
    thief = _thief_with_copy_of(app, victim)
    response = victim.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": kit.PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _signed_out(thief)
    # The person who changed it stays signed in, and the new password is the one that works.
    assert victim.get("/campaigns/").status_code == 200
    fresh = app.test_client()
    page = fresh.post(
        "/sign-in",
        data={
            "csrf_token": kit.csrf_of(fresh),
            "email": "lead@example.org",
            "password": kit.PASSWORD,
        },
    )
    assert page.status_code == 401
    assert (
        fresh.post(
            "/sign-in",
            data={
                "csrf_token": kit.csrf_of(fresh),
                "email": "lead@example.org",
                "password": NEW_PASSWORD,
            },
        ).status_code
        == 302
    )


def test_a_password_change_needs_the_current_password(app, world, kit):
    victim = app.test_client()
    csrf = kit.sign_in(victim, "lead@example.org")
    response = victim.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": "not my password",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert "Your current password is not correct" in response.get_data(as_text=True)
    assert victim.get("/campaigns/").status_code == 200


def test_a_copied_cookie_stops_working_when_an_admin_disables_the_account(app, world, kit):
    victim, admin = app.test_client(), app.test_client()
    kit.sign_in(victim, "lead@example.org")
    thief = _thief_with_copy_of(app, victim)
    admin_csrf = kit.sign_in(admin, "admin@example.org")
    response = admin.post(
        f"/admin/users/{world.lead.id}", data={"csrf_token": admin_csrf, "action": "disable"}
    )
    assert response.status_code == 302
    assert _signed_out(thief) and _signed_out(victim)
    # Enabling the account again does not bring the old cookie back to life.
    admin.post(f"/admin/users/{world.lead.id}", data={"csrf_token": admin_csrf, "action": "enable"})
    db.session.expire_all()
    assert db.session.get(User, world.lead.id).active
    assert _signed_out(thief)
    assert (
        victim.post(
            "/sign-in",
            data={
                "csrf_token": kit.csrf_of(victim),
                "email": "lead@example.org",
                "password": kit.PASSWORD,
            },
        ).status_code
        == 302
    )


def test_a_session_ends_after_twelve_hours(app, world, kit, monkeypatch):
    from types import SimpleNamespace

    from survey_app.auth import access

    browser = app.test_client()
    kit.sign_in(browser, "lead@example.org")
    later = access.time.time() + access.SESSION_HOURS * 3600 + 1
    monkeypatch.setattr(access, "time", SimpleNamespace(time=lambda: later))
    assert _signed_out(browser)


def test_a_stolen_session_cannot_guess_the_current_password(app, world, kit):
    from survey_app.auth.throttle import ADDRESS_LIMIT

    thief = app.test_client()
    csrf = kit.sign_in(thief, "lead@example.org")
    original = world.lead.password_hash

    def change(current):
        return thief.post(
            "/account/password",
            data={
                "csrf_token": csrf,
                "current_password": current,
                "new_password": NEW_PASSWORD,
                "confirm_password": NEW_PASSWORD,
            },
        ).get_data(as_text=True)

    for _ in range(ADDRESS_LIMIT.failures):
        assert "Your current password is not correct" in change("a guess")
    assert "try again in" in change(kit.PASSWORD)
    db.session.expire_all()
    assert db.session.get(User, world.lead.id).password_hash == original
