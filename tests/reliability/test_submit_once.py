"""No lost and no doubled answers: concurrent submits, a killed worker, a failing database."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import Answer, Invitation, Participant, Response
from survey_app.respond.services import draft_of, submit

pytestmark = pytest.mark.db
THREADS = 8
ROOT = Path(__file__).resolve().parents[2]


def _responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def test_concurrent_submits_of_one_link_store_exactly_one_response(app, drafted):
    outcomes: list[str] = []

    def tab(invitation_id: str, barrier: threading.Barrier):
        with app.app_context():
            invitation = db.session.get(Invitation, invitation_id)
            barrier.wait()
            try:
                won = submit(invitation, drafted.instrument)
                db.session.commit()
                outcomes.append("won" if won else "lost")
            except OperationalError:
                # SQLite refuses the second writer; its transaction wrote nothing.
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    for link in drafted.links:
        barrier = threading.Barrier(THREADS)
        tabs = [
            threading.Thread(target=tab, args=(link.invitation.id, barrier)) for _ in range(THREADS)
        ]
        for thread in tabs:
            thread.start()
        for thread in tabs:
            thread.join(timeout=60)
    db.session.expire_all()
    assert outcomes.count("won") == len(drafted.links)
    assert len(outcomes) == THREADS * len(drafted.links)
    assert _responses() == 0  # sealed on their invitations until the window closes
    close_windows([drafted.participant])
    db.session.commit()
    assert _responses() == len(drafted.links)
    values = db.session.scalars(select(Answer.value).where(Answer.item_id == "comments"))
    assert list(values) == ["Kept safe"] * len(drafted.links)


KILLER = """
import os, signal, sys
from sqlalchemy import event
from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Campaign, Invitation, Participant
from survey_app.campaigns.services import campaign_instrument
from survey_app.mixing.services import close_windows
from survey_app.respond.services import submit

url, record_id, action, fatal = sys.argv[1:5]
app = create_app({"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "test-secret",
                  "SQLALCHEMY_DATABASE_URI": url})
with app.app_context():
    @event.listens_for(db.engine, "before_cursor_execute")
    def die(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(fatal):
            print("dying", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    if action == "submit":
        invitation = db.session.get(Invitation, record_id)
        submit(invitation, campaign_instrument(db.session.get(Campaign, invitation.campaign_id)))
    else:
        close_windows([db.session.get(Participant, record_id)])
    db.session.commit()
    print("survived", flush=True)
"""


def _kill_during(app, record_id: str, action: str, fatal: str) -> None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()  # let the other process take SQLite's write lock
    result = subprocess.run(
        [sys.executable, "-c", KILLER, url, record_id, action, fatal],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SURVEY_APP_ENV": "testing"},
    )
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "dying" in result.stdout
    db.session.expire_all()


def test_a_worker_killed_mid_submit_keeps_the_draft_and_the_rater_can_submit_once(app, drafted):
    invitation_id = drafted.links[0].invitation.id
    _kill_during(app, invitation_id, "submit", "UPDATE INVITATIONS")
    survivor = db.session.get(Invitation, invitation_id)
    assert survivor.status == "started" and draft_of(survivor) == drafted.draft
    assert submit(survivor, drafted.instrument)
    db.session.commit()
    assert not submit(db.session.get(Invitation, invitation_id), drafted.instrument)


def test_a_worker_killed_mid_mix_leaves_no_partial_batch_and_the_window_closes_once(app, drafted):
    for link in drafted.links:
        assert submit(link.invitation, drafted.instrument)
    db.session.commit()
    # Killed after the response rows are written, before their answers.
    _kill_during(app, drafted.participant.id, "mix", "INSERT INTO ANSWERS")
    assert _responses() == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    participant = db.session.get(Participant, drafted.participant.id)
    assert participant.window_status == "open"
    assert all(
        i.sealed is not None
        for i in db.session.scalars(
            select(Invitation).where(
                Invitation.participant_id == participant.id, Invitation.status == "completed"
            )
        )
    )
    assert close_windows([participant]).responses_written == len(drafted.links)
    db.session.commit()
    assert close_windows([participant]).responses_written == 0
    assert _responses() == len(drafted.links)


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _started_browser(client, token: str) -> str:
    csrf = CSRF.search(client.get(f"/r/{token}").get_data(as_text=True)).group(1)
    assert client.post(f"/r/{token}", data={"csrf_token": csrf}).status_code == 200
    return csrf


def test_a_database_error_on_submit_shows_a_friendly_page_and_keeps_the_draft(
    client, drafted, monkeypatch
):
    link = drafted.links[1]
    csrf = _started_browser(client, link.token)

    def broken_submit(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is unavailable"))

    monkeypatch.setattr("survey_app.respond.routes.submit", broken_submit)
    monkeypatch.setattr("survey_app.respond.routes.missing_required", lambda *a: [])
    response = client.post(f"/r/{link.token}/check", data={"csrf_token": csrf})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Your saved answers are safe" in page and "Traceback" not in page
    db.session.expire_all()
    kept = db.session.get(Invitation, link.invitation.id)
    assert kept.status == "started" and draft_of(kept) == drafted.draft
    assert _responses() == 0


def test_a_failure_while_saving_a_page_keeps_the_previous_draft(client, drafted, monkeypatch):
    link = drafted.links[2]
    csrf = _started_browser(client, link.token)
    from survey_app.respond import routes

    real_save = routes.save_page

    def save_then_fail(invitation, index, values):
        real_save(invitation, index, values)
        raise OperationalError("UPDATE", {}, Exception("disk full"))

    monkeypatch.setattr(routes, "save_page", save_then_fail)
    response = client.post(
        f"/r/{link.token}/page/1", data={"csrf_token": csrf, "q_listening_meetings": "4"}
    )
    assert response.status_code == 500
    db.session.expire_all()
    assert draft_of(db.session.get(Invitation, link.invitation.id)) == drafted.draft
