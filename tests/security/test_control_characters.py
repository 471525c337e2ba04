"""NUL bytes, control characters, lone surrogates and huge numbers are refused where they arrive.

PostgreSQL cannot store a NUL byte, so before these checks each of these requests was a 500 there;
SQLite stored the NUL and broke exports later. Both backends now give a field error or a 404.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Campaign, Invitation, Participant
from survey_app.respond.services import draft_of, sealed_answers

pytestmark = pytest.mark.db
REFUSED = "cannot be saved"
HUGE = "9" * 400


def _field_error(response) -> str:
    """The text of the page's error summary."""
    page = response.get_data(as_text=True)
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split()) if found else ""


@pytest.mark.parametrize(
    "value", ["lead\x00@example.org", "lead@example.org\x1b", "lead@example.org\x7f"]
)
def test_a_nul_in_the_sign_in_email_is_a_field_error(client, world, kit, value):
    response = client.post(
        "/sign-in",
        data={"csrf_token": kit.csrf_of(client), "email": value, "password": "whatever it is"},
    )
    assert response.status_code == 400
    assert REFUSED in _field_error(response)


@pytest.mark.parametrize("value", ["Leaders\x00 2027", "Bell\x07", "x" * 201])
def test_a_campaign_title_with_control_characters_or_too_long_is_refused(client, world, kit, value):
    csrf = kit.sign_in(client, "lead@example.org")
    before = db.session.scalar(select(func.count()).select_from(Campaign))
    response = client.post(
        "/campaigns/new", data={"csrf_token": csrf, "instrument": "tiny_feedback", "title": value}
    )
    assert response.status_code in (200, 400)
    assert _field_error(response)
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == before


def test_a_participant_or_rater_name_with_a_nul_is_a_field_error(client, world, kit):
    csrf = kit.sign_in(client, "lead@example.org")
    base = f"/campaigns/{world.leaders.id}/participants"
    added = client.post(
        f"{base}/new",
        data={"csrf_token": csrf, "name": "Asha\x00 Patel", "email": "asha@example.org"},
    )
    assert REFUSED in _field_error(added)
    rater = client.post(
        f"{base}/{world.participant.id}/raters",
        data={"csrf_token": csrf, "name": "Pat\x00", "relationship": "peer"},
    )
    assert rater.status_code in (200, 302, 400)
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count()).select_from(Participant).where(Participant.name.like("Asha%"))
        )
        == 0
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.name.like("Pat%"))
        )
        == 0
    )


def test_a_nomination_with_a_nul_is_a_field_error(client, world, kit):
    url = f"/p/{world.participant_token}/raters"
    response = client.post(
        url,
        data={
            "csrf_token": kit.csrf_of(client, url),
            "name": "Nia\x00 Nominee",
            "relationship": "peer",
        },
    )
    assert response.status_code in (200, 400)
    assert REFUSED in _field_error(response)


@pytest.mark.parametrize("suffix", ["%00", "%00abc", "x" * 500])
def test_ids_with_nul_bytes_or_too_long_in_the_address_are_not_found(client, world, kit, suffix):
    kit.sign_in(client, "lead@example.org")
    assert client.get(f"/campaigns/{world.leaders.id}/participants/{suffix}").status_code == 404
    assert client.get(f"/campaigns/{suffix}").status_code == 404
    csrf = kit.csrf_of(client, f"/p/{world.participant_token}/raters")
    relink = client.post(
        f"/p/{world.participant_token}/raters/{suffix}/link", data={"csrf_token": csrf}
    )
    assert relink.status_code == 404


def test_huge_numbers_in_forms_and_addresses_are_refused_before_the_database(client, world, kit):
    csrf = kit.sign_in(client, "lead@example.org")
    before = kit.fingerprint()
    shares = client.post(
        f"/campaigns/{world.leaders.id}/shares", data={"csrf_token": csrf, "remove": HUGE}
    )
    assert shares.status_code == 302
    assert "not understood" in client.get(f"/campaigns/{world.leaders.id}").get_data(as_text=True)
    assert client.get(f"/r/{world.peer_token}/page/{HUGE}").status_code in (302, 404)
    assert kit.fingerprint() == before


def test_the_audit_log_survives_hostile_filters(client, world, kit):
    kit.sign_in(client, "admin@example.org")
    for query in (
        f"page={HUGE}",
        "page=-5",
        "campaign=%00",
        "action=%00sign_in",
        f"campaign={'x' * 5000}",
    ):
        response = client.get(f"/admin/audit?{query}")
        assert response.status_code in (200, 400), query


def _page_with(client, token, field) -> int:
    for number in range(1, 6):
        if f'name="{field}"' in client.get(f"/r/{token}/page/{number}").get_data(as_text=True):
            return number
    raise AssertionError(f"no page has {field}")


def test_a_comment_with_a_nul_never_enters_the_draft_so_the_rater_can_still_submit(
    client, world, kit
):
    token = world.peer_token
    csrf = kit.csrf_of(client, f"/r/{token}")
    client.post(f"/r/{token}", data={"csrf_token": csrf})
    number = _page_with(client, token, "q_comments")
    page = client.post(
        f"/r/{token}/page/{number}",
        data={"csrf_token": csrf, "q_wants_move": "no", "q_comments": "Great\x00 support"},
    )
    assert page.status_code == 200
    assert REFUSED in _field_error(page)
    db.session.expire_all()
    draft = draft_of(db.session.get(Invitation, world.peer.id))
    assert not any("\x00" in value for values in draft.values() for value in values)
    # What was fine on the page was kept; the comment waits for a clean version.
    assert draft.get("wants_move") == ["no"] and "comments" not in draft
    client.post(
        f"/r/{token}/page/{number}",
        data={"csrf_token": csrf, "q_wants_move": "no", "q_comments": "Great support"},
    )
    done = client.post(f"/r/{token}/check", data={"csrf_token": csrf})
    assert done.status_code == 302 and done.headers["Location"].endswith("/done")
    submitted = db.session.get(Invitation, world.peer.id)
    db.session.refresh(submitted)
    assert submitted.status == "completed"
    assert sealed_answers(submitted)["comments"] == ["Great support"]


def test_autosave_refuses_a_nul_too(client, world, kit):
    token = world.peer_token
    csrf = kit.csrf_of(client, f"/r/{token}")
    client.post(f"/r/{token}", data={"csrf_token": csrf})
    number = _page_with(client, token, "q_comments")
    saved = client.post(
        f"/r/{token}/page/{number}/autosave",
        data={"csrf_token": csrf, "q_comments": "half\x00typed"},
    )
    assert saved.status_code == 200 and saved.get_json()["waiting"] == 1
    db.session.expire_all()
    assert "comments" not in draft_of(db.session.get(Invitation, world.peer.id))
