"""Resetting a forgotten password: an emailed, single-use, expiring link, or an administrator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey_app.auth import resets, throttle
from survey_app.extensions import db
from survey_app.models import User, utcnow

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a fresh and long passphrase"
LINK = re.compile(r"http://localhost(/sign-in/reset/[A-Za-z0-9_-]+)")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _csrf(client, url):
    return CSRF.search(client.get(url).get_data(as_text=True)).group(1)


def _ask_for_reset(client, email):
    return client.post(
        "/sign-in/forgot", data={"csrf_token": _csrf(client, "/sign-in"), "email": email}
    )


def _choose_password(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(
        path,
        data={
            "csrf_token": _csrf(client, "/sign-in"),
            "new_password": password,
            "confirm_password": confirm or password,
        },
    )


def _sign_in(client, password):
    return client.post(
        "/sign-in",
        data={
            "csrf_token": _csrf(client, "/sign-in"),
            "email": "lead@example.org",
            "password": password,
        },
    )


def _dump() -> str:
    return " ".join(
        repr(tuple(row))
        for table in db.metadata.sorted_tables
        for row in db.session.execute(select(table))
    )


def test_an_emailed_link_resets_the_password_once(client, commissioner, inbox):
    answer = _ask_for_reset(client, "Lead@Example.org")
    assert answer.status_code == 200
    assert "If there is an account for lead@example.org" in answer.get_data(as_text=True)
    [(recipients, mail)] = inbox.messages
    assert recipients == ["lead@example.org"]
    assert "Subject: Reset your password" in mail and "60 minutes" in mail
    path = LINK.search(mail).group(1)
    token = path.rsplit("/", 1)[1]
    assert token not in _dump(), "only a hash of the reset token may be stored"
    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    done = _choose_password(client, path)
    assert done.status_code == 302 and done.headers["Location"].endswith("/sign-in")
    assert "Your password has been changed" in client.get("/sign-in").get_data(as_text=True)
    assert _sign_in(client, PASSWORD).status_code == 401
    assert _sign_in(client, NEW_PASSWORD).status_code == 302
    # Single use: the same link now opens nothing.
    used = client.get(path)
    assert used.status_code == 404 and "ask for a new one" in used.get_data(as_text=True)


def test_an_unknown_address_gets_the_same_answer_and_no_email(app, commissioner, inbox):
    def answer(email):
        page = _ask_for_reset(app.test_client(), email).get_data(as_text=True)
        main = re.search(r"<main.*</main>", page, re.S).group(0)
        return re.sub(r'name="csrf_token"[^>]*>', "", main).replace(email, "X")

    assert answer("lead@example.org") == answer("nobody@example.org")
    assert [r for r, _ in inbox.messages] == [["lead@example.org"]]


def test_a_disabled_account_gets_no_reset_email(client, commissioner, inbox):
    commissioner.active = False
    db.session.commit()
    assert _ask_for_reset(client, "lead@example.org").status_code == 200
    assert inbox.messages == []


def test_a_reset_link_expires(client, commissioner, inbox, monkeypatch):
    _ask_for_reset(client, "lead@example.org")
    path = LINK.search(inbox.messages[0][1]).group(1)
    later = utcnow() + timedelta(minutes=resets.RESET_MINUTES, seconds=1)
    monkeypatch.setattr(resets, "utcnow", lambda: later)
    assert client.get(path).status_code == 404
    assert _choose_password(client, path).status_code == 404
    db.session.expire_all()
    assert _sign_in(client, PASSWORD).status_code == 302


def test_asking_again_replaces_the_earlier_link(client, commissioner, inbox):
    _ask_for_reset(client, "lead@example.org")
    _ask_for_reset(client, "lead@example.org")
    first, second = (LINK.search(mail).group(1) for _, mail in inbox.messages)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_reset_emails_to_one_address_are_limited(client, commissioner, inbox):
    for _ in range(resets.EMAILS_PER_HOUR + 2):
        assert _ask_for_reset(client, "lead@example.org").status_code == 200
    assert len(inbox.messages) == resets.EMAILS_PER_HOUR


def test_the_new_password_is_checked_and_nothing_changes_on_a_mistake(client, commissioner, inbox):
    _ask_for_reset(client, "lead@example.org")
    path = LINK.search(inbox.messages[0][1]).group(1)
    short = _choose_password(client, path, "too short")
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    mismatch = _choose_password(client, path, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 400
    assert "The passwords do not match" in mismatch.get_data(as_text=True)
    assert client.get(path).status_code == 200, "a mistake must not use up the link"
    assert _sign_in(client, PASSWORD).status_code == 302


def test_a_reset_lifts_the_lock_and_ends_every_other_session(app, commissioner, inbox):
    stolen = app.test_client()
    assert _sign_in(stolen, PASSWORD).status_code == 302
    owner = app.test_client()
    for _ in range(throttle.ADDRESS_LIMIT.failures):
        _sign_in(owner, "wrong guess")
    assert _sign_in(owner, PASSWORD).status_code == 429
    _ask_for_reset(owner, "lead@example.org")
    _choose_password(owner, LINK.search(inbox.messages[0][1]).group(1))
    assert stolen.get("/campaigns/").status_code == 302
    assert _sign_in(owner, NEW_PASSWORD).status_code == 302


def test_without_email_the_page_sends_people_to_an_administrator(client, commissioner):
    page = client.get("/sign-in/forgot").get_data(as_text=True)
    assert "ask an administrator" in page
    answer = _ask_for_reset(client, "lead@example.org").get_data(as_text=True)
    assert "ask an administrator" in answer
    assert db.session.get(User, commissioner.id).reset_token_hash is None


@pytest.fixture
def admin_client(app, commissioner, sign_in):
    from survey_app.auth.services import create_user

    create_user("admin@example.org", PASSWORD, role="admin")
    db.session.commit()
    return sign_in(app.test_client(), "admin@example.org")


def test_an_administrator_makes_a_one_time_link_when_there_is_no_email(
    app, commissioner, admin_client
):
    csrf = _csrf(admin_client, "/admin/users")
    page = admin_client.post(
        f"/admin/users/{commissioner.id}", data={"csrf_token": csrf, "action": "reset"}
    )
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "shown only once" in body
    path = LINK.search(body).group(1)
    person = app.test_client()
    assert _choose_password(person, path).status_code == 302
    assert _sign_in(person, NEW_PASSWORD).status_code == 302


def test_an_administrator_emails_the_link_when_email_is_set_up(commissioner, admin_client, inbox):
    csrf = _csrf(admin_client, "/admin/users")
    response = admin_client.post(
        f"/admin/users/{commissioner.id}", data={"csrf_token": csrf, "action": "reset"}
    )
    assert response.status_code == 302
    assert "Emailed a reset link to lead@example.org" in admin_client.get("/admin/users").get_data(
        as_text=True
    )
    assert [r for r, _ in inbox.messages] == [["lead@example.org"]]
    assert LINK.search(inbox.messages[0][1])


def test_administrators_cannot_disable_themselves(admin_client):
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    csrf = _csrf(admin_client, "/admin/users")
    admin_client.post(f"/admin/users/{admin.id}", data={"csrf_token": csrf, "action": "disable"})
    db.session.expire_all()
    assert db.session.get(User, admin.id).active
    assert admin_client.get("/admin/users").status_code == 200


def test_the_reset_password_command_prints_a_link(cli, commissioner):
    result = cli.invoke(args=["reset-password", "lead@example.org"])
    assert result.exit_code == 0, result.output
    assert LINK.search(result.output)
    unknown = cli.invoke(args=["reset-password", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No account for nobody@example.org" in unknown.output
