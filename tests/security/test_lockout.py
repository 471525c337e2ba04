"""Sign-in lock-out: warns before it locks, reveals no accounts, and no stranger holds it (V2.2)."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest

from survey_app.auth import throttle
from survey_app.models import utcnow

pytestmark = pytest.mark.db
SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.S)
STRANGER, OWNER = "203.0.113.66", "198.51.100.7"


def _attempt(client, kit, email, password, address=OWNER, csrf=None):
    """(status, the error summary's text) of one sign-in from a client address."""
    environ = {"REMOTE_ADDR": address}
    csrf = csrf or kit.csrf_of(client)
    response = client.post(
        "/sign-in",
        data={"csrf_token": csrf, "email": email, "password": password},
        environ_base=environ,
    )
    found = SUMMARY.search(response.get_data(as_text=True))
    text = " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""
    return response.status_code, text


@pytest.fixture
def clock(monkeypatch):
    """A clock the throttle reads, moved on by tests instead of waiting."""
    now = [utcnow()]
    monkeypatch.setattr(throttle, "utcnow", lambda: now[0])

    def advance(**delta):
        now[0] += timedelta(**delta)

    return advance


def test_the_page_counts_down_the_tries_left_then_says_what_to_do(client, world, kit):
    answers = [
        _attempt(client, kit, "lead@example.org", "wrong guess")
        for _ in range(throttle.ADDRESS_LIMIT.failures + 1)
    ]
    left = [re.search(r"(\d+) more tr(?:y|ies)", text) for _, text in answers[:-2]]
    assert [int(m.group(1)) for m in left] == list(
        range(throttle.ADDRESS_LIMIT.failures - 1, 0, -1)
    )
    locked = answers[-1][1]
    assert answers[-1][0] == 429
    assert f"paused for {throttle.ADDRESS_LIMIT.lock_minutes} minutes" in locked
    assert "reset your password" in locked.lower() and "administrator" in locked
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/sign-in/forgot"' in page
    # Locked means locked: even the right password waits.
    assert _attempt(client, kit, "lead@example.org", kit.PASSWORD)[0] == 429


def test_known_and_unknown_addresses_get_exactly_the_same_answers(app, world, kit):
    known = [
        _attempt(app.test_client(), kit, "lead@example.org", "wrong guess")
        for _ in range(throttle.ADDRESS_LIMIT.failures + 2)
    ]
    unknown = [
        _attempt(app.test_client(), kit, "nobody@example.org", "wrong guess")
        for _ in range(throttle.ADDRESS_LIMIT.failures + 2)
    ]
    assert known == unknown
    assert known[-1][0] == 429


def test_an_unknown_address_costs_as_long_as_a_known_one(app, world, kit):
    def seconds(email):
        client = app.test_client()
        started = time.perf_counter()
        _attempt(client, kit, email, "wrong guess")
        return time.perf_counter() - started

    for email in ("lead@example.org", "nobody@example.org"):
        seconds(email)  # warm up
    known = statistics.median(seconds("lead@example.org") for _ in range(3))
    unknown = statistics.median(seconds(f"nobody{n}@example.org") for n in range(3))
    assert 0.5 < unknown / known < 2, (known, unknown)


def test_the_lock_is_short_and_lifts_by_itself(client, world, kit, clock):
    for _ in range(throttle.ADDRESS_LIMIT.failures):
        _attempt(client, kit, "lead@example.org", "wrong guess")
    assert _attempt(client, kit, "lead@example.org", kit.PASSWORD)[0] == 429
    clock(minutes=throttle.ADDRESS_LIMIT.lock_minutes, seconds=1)
    assert _attempt(client, kit, "lead@example.org", kit.PASSWORD)[0] == 302


def test_a_correct_sign_in_starts_the_count_again(client, world, kit):
    for _ in range(throttle.ADDRESS_LIMIT.failures - 1):
        _attempt(client, kit, "lead@example.org", "wrong guess")
    assert _attempt(client, kit, "lead@example.org", kit.PASSWORD)[0] == 302
    client.post("/sign-out", data={"csrf_token": kit.csrf_of(client, "/campaigns/")})
    _, text = _attempt(client, kit, "lead@example.org", "wrong guess")
    assert f"{throttle.ADDRESS_LIMIT.failures - 1} more tries" in text


def test_one_stranger_cannot_keep_an_account_locked(app, world, kit, clock):
    """A stranger retrying all day from one address is held back by the per-client limit."""
    stranger, owner = app.test_client(), app.test_client()
    csrf = kit.csrf_of(stranger)
    open_minutes = 0
    minutes = 4 * 60
    for _ in range(minutes):
        _attempt(stranger, kit, "lead@example.org", "wrong guess", STRANGER, csrf)
        if throttle.locked_for(throttle.address_key("lead@example.org")) is None:
            open_minutes += 1
        clock(minutes=1)
    # The owner's address is open most of the time, and at most one short lock away.
    assert open_minutes > 0.75 * minutes, open_minutes
    clock(minutes=throttle.ADDRESS_LIMIT.lock_minutes)
    assert _attempt(owner, kit, "lead@example.org", kit.PASSWORD)[0] == 302


def test_many_addresses_from_one_client_hit_the_client_limit(client, world, kit):
    answers = [
        _attempt(client, kit, f"guess{n}@example.org", "wrong", address=STRANGER)
        for n in range(throttle.CLIENT_LIMIT.failures + 1)
    ]
    assert all(status == 401 for status, _ in answers[:-2])
    assert [status for status, _ in answers[-2:]] == [429, 429]
    assert "from this device or network" in answers[-1][1]
    # Another client is not held back by that one's attempts.
    assert _attempt(client, kit, "lead@example.org", kit.PASSWORD)[0] == 302


def test_an_administrator_lifts_a_lock(app, world, kit):
    owner, admin = app.test_client(), app.test_client()
    for _ in range(throttle.ADDRESS_LIMIT.failures):
        _attempt(owner, kit, "lead@example.org", "wrong guess", address=STRANGER)
    assert _attempt(owner, kit, "lead@example.org", kit.PASSWORD)[0] == 429
    csrf = kit.sign_in(admin, "admin@example.org")
    listing = admin.get("/admin/users").get_data(as_text=True)
    assert "lead@example.org" in listing and "Sign-in paused" in listing
    response = admin.post(
        f"/admin/users/{world.lead.id}", data={"csrf_token": csrf, "action": "unlock"}
    )
    assert response.status_code == 302
    assert _attempt(owner, kit, "lead@example.org", kit.PASSWORD)[0] == 302
