"""A sponsor confirms a participant's nomination by their own link; only its hash is kept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.mail.services import LINK_PLACEHOLDER
from survey_app.models import Message
from survey_app.people.services import add_participant
from survey_app.sponsors.models import Sponsor
from survey_app.sponsors.services import SponsorError, ask_sponsor
from survey_app.tokens import hash_token

pytestmark = pytest.mark.db


@pytest.fixture
def priya(cohort):
    participant = add_participant(
        cohort, "Priya Shah", "priya@example.org", "Westshire"
    ).participant
    db.session.commit()
    return participant


def _link_from_outbox(client, post_form, cohort) -> str:
    page = client.get(f"/campaigns/{cohort.id}/messages").get_data(as_text=True)
    assert "/s/" not in page  # the outbox keeps no working link
    message = db.session.scalar(select(Message).where(Message.kind == "sponsor"))
    shown = post_form(
        client,
        f"/campaigns/{cohort.id}/messages/{message.id}/reveal",
        get_url=f"/campaigns/{cohort.id}/messages",
    ).get_data(as_text=True)
    return re.search(r"/s/([\w-]+)", shown).group(1)


def test_commissioner_asks_and_the_sponsor_confirms_by_link(
    lead_client, app, cohort, priya, post_form
):
    response = post_form(
        lead_client,
        f"/campaigns/{cohort.id}/sponsors",
        {
            "participant": priya.id,
            "name": "Rose Collins",
            "email": "rose@example.org",
            "role": "Director of children's services",
        },
    )
    assert response.status_code == 302
    message = db.session.scalar(select(Message).where(Message.kind == "sponsor"))
    assert LINK_PLACEHOLDER in message.body and "Priya Shah" in message.body
    token = _link_from_outbox(lead_client, post_form, cohort)
    sponsor = db.session.scalar(select(Sponsor))
    assert sponsor.token_hash == hash_token(token) and token not in repr(sponsor.__dict__)

    visitor = app.test_client()
    page = visitor.get(f"/s/{token}").get_data(as_text=True)
    assert "Do you sponsor Priya Shah?" in page
    post_form(visitor, f"/s/{token}", {"decision": ""})  # no choice: asked again
    assert db.session.get(Sponsor, sponsor.id).status == "requested"
    done = post_form(visitor, f"/s/{token}", {"decision": "confirm"}).get_data(as_text=True)
    assert "You have confirmed the nomination" in done
    assert visitor.get(f"/s/{token}").status_code == 404  # the link worked once
    listing = lead_client.get(f"/campaigns/{cohort.id}/sponsors").get_data(as_text=True)
    row = listing.split('data-participant="Priya Shah"')[1].split("</tr>")[0]
    assert "Rose Collins" in row and "Confirmed" in row


def test_a_sponsor_link_stops_when_the_campaign_closes(app, cohort, priya, post_form):
    from survey_app.campaigns.services import close_campaign
    from survey_app.sponsors.services import fresh_link

    ask_sponsor(priya, "Rose Collins", "rose@example.org", "")
    message = db.session.scalar(select(Message).where(Message.kind == "sponsor"))
    token = fresh_link(message).rsplit("/", 1)[1]
    db.session.commit()
    close_campaign(cohort)
    db.session.commit()
    assert app.test_client().get(f"/s/{token}").status_code == 410


def test_asking_again_replaces_the_earlier_link(app, cohort, priya):
    from survey_app.sponsors.services import fresh_link

    ask_sponsor(priya, "Rose Collins", "rose@example.org", "")
    first = db.session.scalar(select(Message).where(Message.kind == "sponsor"))
    old_token = fresh_link(first).rsplit("/", 1)[1]
    ask_sponsor(priya, "Tom Reid", "tom@example.org", "")
    db.session.commit()
    assert app.test_client().get(f"/s/{old_token}").status_code == 404
    assert fresh_link(first) is None  # the old request's message cannot make a link any more
    with pytest.raises(SponsorError, match="cannot sponsor themself"):
        ask_sponsor(priya, "Priya", "priya@example.org", "")


def test_a_message_to_a_coach_is_shown_without_making_any_link(
    lead_client, cohort, priya, post_form
):
    """The outbox offers 'show with a new link' only for messages that carry one."""
    db.session.add(
        Message(
            campaign_id=cohort.id,
            kind="match",
            to_address="cal@example.org",
            subject="Matched",
            body="You are Priya Shah's coach.\n",
            participant_id=priya.id,
        )
    )
    db.session.commit()
    message = db.session.scalar(select(Message).where(Message.kind == "match"))
    token_before = db.session.get(type(priya), priya.id).token_hash
    page = lead_client.get(f"/campaigns/{cohort.id}/messages").get_data(as_text=True)
    assert f"/messages/{message.id}/reveal" not in page
    response = post_form(
        lead_client,
        f"/campaigns/{cohort.id}/messages/{message.id}/reveal",
        get_url=f"/campaigns/{cohort.id}/messages",
    )
    assert response.status_code == 404
    assert db.session.get(type(priya), priya.id).token_hash == token_before
