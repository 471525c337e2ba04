"""A 360 link with a saved draft, for reliability tests on both databases."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant
from survey_app.respond.services import save_page

DRAFT = {"listening_meetings": ["2"], "comments": ["Kept safe"]}


@pytest.fixture
def drafted(make_campaign):
    """Five raters of one participant, each with a saved draft."""
    campaign = make_campaign("tiny_feedback", title="Reliability")
    person = add_participant(campaign, "Dee Draft", "dee@example.org")
    links = [
        add_invitation(
            campaign, participant=person.participant, relationship="peer", name=f"Peer {n}"
        )
        for n in range(5)
    ]
    for link in links:
        save_page(link.invitation, 0, DRAFT)
    db.session.commit()
    return SimpleNamespace(
        campaign=campaign,
        instrument=campaign_instrument(campaign),
        participant=person.participant,
        links=links,
        draft=DRAFT,
    )
