"""UK GDPR: retention purge, erasure, a participant's own data, privacy notices, clean logs."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Answer, AuditEvent, Invitation, Participant, Response, utcnow
from survey_app.people.services import self_invitation
from survey_app.respond.services import save_page, submit

pytestmark = pytest.mark.db


def _count(model, **where) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query)


def _answer(invitation, campaign, values):
    from survey_app.campaigns.services import campaign_instrument

    save_page(invitation, 0, values)
    assert submit(invitation, campaign_instrument(campaign))
    db.session.commit()


@pytest.fixture
def rated(world):
    """The lead's participant has a submitted self-assessment and a submitted peer rating."""
    _answer(
        self_invitation(world.participant),
        world.leaders,
        {"listening_meetings": ["3"], "comments": ["My own view"]},
    )
    _answer(
        world.peer,
        world.leaders,
        {"listening_meetings": ["1"], "comments": ["PEER-SECRET comment"]},
    )
    return world


def _close(campaign, days_ago: int, retention: int | None):
    campaign.status = "closed"
    campaign.closed_at = utcnow() - timedelta(days=days_ago)
    settings = dict(campaign.settings or {})
    if retention is not None:
        settings["retention_days"] = retention
    campaign.settings = settings
    db.session.commit()


def test_purge_deletes_only_campaigns_past_retention(cli, rated):
    _close(rated.leaders, days_ago=40, retention=30)
    _close(rated.theirs, days_ago=10, retention=30)
    _close(rated.survey, days_ago=400, retention=None)
    dry = cli.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "Would purge" in dry.output and "Leaders 2026" in dry.output
    assert _count(Participant, campaign_id=rated.leaders.id) == 1
    result = cli.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Their cohort" not in result.output and "Aspirations" not in result.output
    for model in (Participant, Invitation, Response):
        assert _count(model, campaign_id=rated.leaders.id) == 0
    assert _count(Answer) == 0
    assert _count(Participant, campaign_id=rated.theirs.id) == 1
    assert _count(Invitation, campaign_id=rated.survey.id) >= 1
    assert "No campaign" in cli.invoke(args=["purge"]).output


def test_purge_also_deletes_uploads_waiting_in_their_preview(cli, world):
    from survey_app.models import ImportBatch

    _close(world.survey, days_ago=40, retention=30)
    assert _count(ImportBatch, status="pending") == 1
    assert cli.invoke(args=["purge"]).exit_code == 0
    assert _count(ImportBatch, status="pending") == 0
    # The record that a batch was imported (file hash, counts, no answers) stays.
    assert _count(ImportBatch, status="imported") == 1


def test_erasing_a_participant_removes_everything_about_them(cli, rated):
    other = Participant(campaign_id=rated.leaders.id, name="Kept Person", token_hash="k" * 64)
    db.session.add(other)
    db.session.commit()
    result = cli.invoke(args=["erase-participant", rated.participant.id, "--yes"])
    assert result.exit_code == 0, result.output
    assert _count(Participant, id=rated.participant.id) == 0
    assert _count(Invitation, participant_id=rated.participant.id) == 0
    assert _count(Response, campaign_id=rated.leaders.id) == 0 and _count(Answer) == 0
    assert _count(Participant, id=other.id) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant_erased"))
    assert "Priya" not in event.detail
    missing = cli.invoke(args=["erase-participant", "no-such-id", "--yes"])
    assert missing.exit_code != 0 and "no participant" in missing.output


def test_the_owner_erases_a_participant_from_their_page(client, rated, kit):
    csrf = kit.sign_in(client, "lead@example.org")
    page = f"/campaigns/{rated.leaders.id}/participants/{rated.participant.id}"
    assert "Erase this participant" in client.get(page).get_data(as_text=True)
    unconfirmed = client.post(page + "/erase", data={"csrf_token": csrf})
    assert unconfirmed.status_code == 400 and _count(Participant, id=rated.participant.id) == 1
    done = client.post(page + "/erase", data={"csrf_token": csrf, "confirm": "y"})
    assert done.status_code == 302
    assert _count(Participant, id=rated.participant.id) == 0
    assert client.get(page).status_code == 404


def test_a_participant_downloads_their_own_data_but_no_rater_answers(client, rated):
    response = client.get(f"/p/{rated.participant_token}/my-data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["you"]["name"] == "Priya Shah" and data["you"]["email"] == "priya@example.org"
    assert data["nominations"] == [{"name": "Sam Peer", "relationship": "peer"}]
    answers = {a["item"]: a["values"] for a in data["self_assessment"]["answers"]}
    assert data["self_assessment"]["status"] == "submitted"
    assert answers["comments"] == ["My own view"] and answers["listening_meetings"] == ["3"]
    assert "PEER-SECRET" not in response.get_data(as_text=True)
    assert "sam@example.org" not in response.get_data(as_text=True)


def test_privacy_notices_follow_the_campaign_settings(client, world):
    world.leaders.settings = {**world.leaders.settings, "retention_days": 90}
    db.session.commit()
    rater = client.get(f"/r/{world.peer_token}/privacy").get_data(as_text=True)
    assert "90 days after" in rater and "at least 3" in rater
    assert "Priya" not in rater and "Sam Peer" not in rater
    own = client.get(f"/p/{world.participant_token}/privacy").get_data(as_text=True)
    assert "my-data.json" in own
    assert "Privacy notice" in client.get(f"/r/{world.peer_token}").get_data(as_text=True)


def test_logs_carry_no_names_emails_or_tokens(client, rated, kit, caplog):
    caplog.set_level(logging.DEBUG)
    kit.sign_in(client, "lead@example.org")
    client.post("/sign-in", data={"email": "priya@example.org", "password": "wrong"})
    for url in (
        f"/r/{rated.peer_token}",
        f"/p/{rated.participant_token}",
        f"/p/{rated.participant_token}/my-data.json",
        f"/campaigns/{rated.leaders.id}/participants/{rated.participant.id}",
        f"/campaigns/{rated.leaders.id}/export.csv",
        "/r/" + "z" * 32,
    ):
        client.get(url)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (
        "Priya",
        "priya@example.org",
        "lead@example.org",
        "Sam Peer",
        rated.peer_token,
        rated.participant_token,
        "PEER-SECRET",
    ):
        assert secret not in logged
