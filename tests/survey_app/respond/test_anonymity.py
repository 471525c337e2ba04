"""Data-level anonymity: after raters submit, nothing in the database joins an answer to a rater."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import inspect, select, text

from survey_app.extensions import db
from survey_app.models import Invitation, Response, today

RESPONSE_COLUMNS = {"id", "campaign_id", "participant_id", "relationship", "submitted_on",
                    "source"}


def _rows(table: str) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(text(f"SELECT * FROM {table}"))]


def _table_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(text(f"SELECT count(*) FROM {t.name}"))
            for t in db.metadata.sorted_tables}


def _submit_as_rater(app, begin, answer_page, post_form, token, comment):
    browser = app.test_client()
    begin(browser, token)
    answer_page(browser, f"/r/{token}", 1, {"q_listening_meetings": "2"})
    answer_page(browser, f"/r/{token}", 3, {"q_wants_move": "yes", "q_move_reasons": ["pay"],
                                            "q_comments": comment})
    assert post_form(browser, f"/r/{token}/check").headers["Location"].endswith("/done")


def test_nothing_in_the_database_links_a_response_to_its_rater(app, three_sixty, begin,
                                                               answer_page, post_form):
    team = three_sixty()
    for link in (team.peer, team.manager):
        invitation_id = link.invitation.id
        before_invitation = _rows("invitations")
        before_counts = _table_counts()
        _submit_as_rater(app, begin, answer_page, post_form, link.token, f"note {link.token}")
        db.session.expire_all()
        after_counts = _table_counts()
        grown = {t for t in after_counts if after_counts[t] != before_counts[t]}
        assert grown == {"responses", "answers"}
        # The invitation only learns "completed": no time, no response id, no other change.
        old = next(r for r in before_invitation if r["id"] == invitation_id)
        new = next(r for r in _rows("invitations") if r["id"] == invitation_id)
        changed = {column for column in new if new[column] != old[column]}
        assert changed <= {"status", "draft", "draft_page", "resume_code_hash", "claim_hash"}
        assert new["status"] == "completed" and new["draft"] is None

    columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    assert columns == RESPONSE_COLUMNS
    invitation_columns = inspect(db.engine).get_columns("invitations")
    timestamps = {c["name"] for c in invitation_columns if "date" in str(c["type"]).lower()
                  or "time" in str(c["type"]).lower()}
    assert timestamps == {"created_at"}

    secrets = set()
    for invitation in db.session.scalars(select(Invitation)):
        secrets |= {invitation.id, invitation.token_hash, invitation.name}
        secrets |= {v for v in (invitation.email, invitation.claim_hash) if v}
    secrets |= {team.peer.token, team.manager.token}
    responses = _rows("responses")
    assert len(responses) == 2
    for response in responses:
        assert uuid.UUID(str(response["id"])).version == 4
        assert not isinstance(response["submitted_on"], datetime)
        assert str(response["submitted_on"]) == today().isoformat()
        assert not {str(v) for v in response.values()} & secrets
    for answer in _rows("answers"):
        assert not {str(v) for v in answer.values()} & secrets
    # What is kept is what the report needs: whom it is about and the rater's group. The lone
    # peer's group is too small to hide in, so it is kept only as "pooled".
    kept = {(r.participant_id, r.relationship) for r in db.session.scalars(select(Response))}
    assert kept == {(team.participant.id, "pooled"), (team.participant.id, "line_manager")}


def test_a_group_with_fewer_than_k_invited_raters_is_stored_only_as_pooled(
        app, three_sixty, begin, answer_page, post_form):
    from survey_app.people.services import add_invitation

    team = three_sixty()
    partner = add_invitation(team.campaign, team.participant, "partner", "Ada Partner")
    peers = [team.peer] + [add_invitation(team.campaign, team.participant, "peer", f"Peer {n}")
                           for n in range(2)]
    db.session.commit()
    for link in [partner, *peers]:
        _submit_as_rater(app, begin, answer_page, post_form, link.token, "fine")
    stored = sorted(r.relationship for r in db.session.scalars(select(Response)))
    # Three peers were invited, so theirs is a real group; the one partner is indistinguishable
    # from any other small group's rater.
    assert stored == ["peer", "peer", "peer", "pooled"]


def test_response_dates_have_day_precision_only(app, three_sixty, begin, answer_page,
                                                post_form):
    team = three_sixty()
    _submit_as_rater(app, begin, answer_page, post_form, team.peer.token, "fine")
    stored = db.session.scalar(text("SELECT submitted_on FROM responses"))
    assert isinstance(stored, date | str) and len(str(stored)) == 10
