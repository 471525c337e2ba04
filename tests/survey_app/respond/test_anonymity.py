"""Data-level anonymity: after raters submit, nothing in the database joins an answer to a rater."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import inspect, select, text

from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.models import Invitation, Response, today
from survey_app.respond.services import decline

RESPONSE_COLUMNS = {"id", "campaign_id", "participant_id", "relationship", "submitted_on", "source"}


def _rows(table: str) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(text(f"SELECT * FROM {table}"))]


def _table_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(text(f"SELECT count(*) FROM {t.name}"))
        for t in db.metadata.sorted_tables
    }


def _submit_as_rater(app, begin, answer_page, post_form, token, comment):
    browser = app.test_client()
    begin(browser, token)
    answer_page(browser, f"/r/{token}", 1, {"q_listening_meetings": "2"})
    answer_page(
        browser,
        f"/r/{token}",
        3,
        {"q_wants_move": "yes", "q_move_reasons": ["pay"], "q_comments": comment},
    )
    assert post_form(browser, f"/r/{token}/check").headers["Location"].endswith("/done")


def test_submitting_writes_no_response_and_the_invitation_learns_only_completed(
    app, three_sixty, begin, answer_page, post_form
):
    team = three_sixty()
    for link in (team.peer, team.manager):
        invitation_id = link.invitation.id
        before_invitation = _rows("invitations")
        before_counts = _table_counts()
        _submit_as_rater(app, begin, answer_page, post_form, link.token, f"note {link.token}")
        db.session.expire_all()
        # Nothing is written to responses until the window closes: the answers stay sealed.
        assert _table_counts() == before_counts
        old = next(r for r in before_invitation if r["id"] == invitation_id)
        new = next(r for r in _rows("invitations") if r["id"] == invitation_id)
        changed = {column for column in new if new[column] != old[column]}
        assert changed <= {"status", "sealed", "draft_page", "resume_code_hash", "claim_hash"}
        assert new["status"] == "completed"
        assert f"note {link.token}".encode() not in bytes(new["sealed"])
    invitation_columns = inspect(db.engine).get_columns("invitations")
    timestamps = {
        c["name"]
        for c in invitation_columns
        if "date" in str(c["type"]).lower() or "time" in str(c["type"]).lower()
    }
    assert timestamps == {"created_at"}


def test_closing_the_window_mixes_answers_and_wipes_every_sealed_copy(
    app, three_sixty, begin, answer_page, post_form
):
    from survey_app.people.services import add_invitation

    team = three_sixty()
    peers = [team.peer] + [
        add_invitation(team.campaign, team.participant, "peer", f"Peer {n}") for n in range(2)
    ]
    db.session.commit()
    for link in [team.manager, *peers]:
        _submit_as_rater(app, begin, answer_page, post_form, link.token, f"note {link.token}")
    close_windows([team.participant])
    db.session.commit()
    columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    assert columns == RESPONSE_COLUMNS
    secrets = set()
    for invitation in db.session.scalars(select(Invitation)):
        assert invitation.sealed is None
        secrets |= {invitation.id, invitation.token_hash, invitation.name}
        secrets |= {v for v in (invitation.email, invitation.claim_hash) if v}
    secrets |= {link.token for link in [team.manager, *peers]}
    responses = _rows("responses")
    assert len(responses) == 4
    for response in responses:
        assert uuid.UUID(str(response["id"])).version == 4
        assert not isinstance(response["submitted_on"], datetime)
        assert str(response["submitted_on"]) == today().isoformat()
        assert not {str(v) for v in response.values()} & secrets
    for answer in _rows("answers"):
        assert not {str(v) for v in answer.values()} & secrets
    kept = sorted(r.relationship for r in db.session.scalars(select(Response)))
    assert kept == ["line_manager", "peer", "peer", "peer"]


def _world(app, three_sixty, begin, answer_page, post_form, answered, declined=()):
    """The fixture's line manager and one peer answer, plus `answered` more by relationship."""
    from survey_app.people.services import add_invitation

    team = three_sixty()
    links = {
        relationship: [
            add_invitation(team.campaign, team.participant, relationship, f"{relationship} {n}")
            for n in range(count)
        ]
        for relationship, count in answered.items()
    }
    refused = [
        add_invitation(team.campaign, team.participant, relationship, f"no {n}")
        for n, relationship in enumerate(declined)
    ]
    db.session.commit()
    for link in [team.manager, team.peer] + [link for group in links.values() for link in group]:
        _submit_as_rater(app, begin, answer_page, post_form, link.token, "fine")
    for link in refused:
        decline(link.invitation)
    db.session.commit()
    close_windows([team.participant])
    db.session.commit()
    return sorted(r.relationship for r in db.session.scalars(select(Response)))


def test_labels_come_from_those_who_answered_not_those_invited(
    app, three_sixty, begin, answer_page, post_form
):
    # Three peers invited, one answers, two decline: that answer must not be stored as "peer"
    # (one count query would name her) nor kept anywhere it could be picked out.
    stored = _world(
        app, three_sixty, begin, answer_page, post_form, {"partner": 1}, declined=["peer", "peer"]
    )
    assert stored == ["line_manager"]


def test_a_small_group_joins_the_smallest_group_that_answered_in_numbers(
    app, three_sixty, begin, answer_page, post_form
):
    stored = _world(app, three_sixty, begin, answer_page, post_form, {"peer": 2, "partner": 1})
    # Three peers and one partner answered: the partner joins the peers as one group.
    assert stored == [
        "line_manager",
        "peer_and_others",
        "peer_and_others",
        "peer_and_others",
        "peer_and_others",
    ]


def test_response_dates_have_day_precision_only(app, three_sixty, begin, answer_page, post_form):
    stored = _world(app, three_sixty, begin, answer_page, post_form, {"peer": 2})
    assert len(stored) == 4
    day = db.session.scalar(text("SELECT submitted_on FROM responses"))
    assert isinstance(day, date | str) and len(str(day)) == 10
