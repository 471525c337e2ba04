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
from survey_app.models import Answer, Invitation, Response
from survey_app.respond.services import submit

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
        tabs = [threading.Thread(target=tab, args=(link.invitation.id, barrier))
                for _ in range(THREADS)]
        for thread in tabs:
            thread.start()
        for thread in tabs:
            thread.join(timeout=60)
    db.session.expire_all()
    assert outcomes.count("won") == len(drafted.links)
    assert len(outcomes) == THREADS * len(drafted.links)
    assert _responses() == len(drafted.links)
    values = db.session.scalars(select(Answer.value).where(Answer.item_id == "comments"))
    assert list(values) == ["Kept safe"] * len(drafted.links)


KILLER = """
import os, signal, sys
from sqlalchemy import event
from survey_app import create_app
from survey_app.extensions import db
from survey_app.models import Campaign, Invitation
from survey_app.campaigns.services import campaign_instrument
from survey_app.respond.services import submit

app = create_app({"TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "x",
                  "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    @event.listens_for(db.engine, "before_cursor_execute")
    def die_mid_submit(conn, cursor, statement, *args):
        # Killed after the invitation is marked and the response row written, before answers.
        if statement.lstrip().upper().startswith("INSERT INTO ANSWERS"):
            print("dying", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    invitation = db.session.get(Invitation, sys.argv[2])
    submit(invitation, campaign_instrument(db.session.get(Campaign, invitation.campaign_id)))
    db.session.commit()
    print("survived", flush=True)
"""


def test_a_worker_killed_mid_submit_leaves_no_partial_response(app, drafted):
    invitation_id = drafted.links[0].invitation.id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()  # let the other process take SQLite's write lock
    result = subprocess.run([sys.executable, "-c", KILLER, url, invitation_id], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "SURVEY_APP_ENV": "testing"})
    assert result.returncode == -signal.SIGKILL, result.stderr[-2000:]
    assert "dying" in result.stdout
    db.session.expire_all()
    assert _responses() == 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0
    survivor = db.session.get(Invitation, invitation_id)
    assert survivor.status == "started" and survivor.draft == drafted.draft
    # The rater can still submit afterwards, exactly once.
    assert submit(survivor, drafted.instrument)
    db.session.commit()
    assert _responses() == 1


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _started_browser(client, token: str) -> str:
    csrf = CSRF.search(client.get(f"/r/{token}").get_data(as_text=True)).group(1)
    assert client.post(f"/r/{token}", data={"csrf_token": csrf}).status_code == 200
    return csrf


def test_a_database_error_on_submit_shows_a_friendly_page_and_keeps_the_draft(
        client, drafted, monkeypatch):
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
    assert kept.status == "started" and kept.draft == drafted.draft
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
    response = client.post(f"/r/{link.token}/page/1",
                           data={"csrf_token": csrf, "q_listening_meetings": "4"})
    assert response.status_code == 500
    db.session.expire_all()
    assert db.session.get(Invitation, link.invitation.id).draft == drafted.draft
