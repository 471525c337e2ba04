"""Builders for answering tests: links to a tiny instrument, and a browser that has started."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from survey_app.extensions import db
from survey_app.people.services import add_invitation, add_participant

RESUME_CODE = re.compile(r"data-resume-code><strong>([A-Z0-9-]+)</strong>")


@pytest.fixture
def survey(make_campaign):
    """A respondent's personal link to the tiny instrument (every question type)."""
    campaign = make_campaign("tiny_feedback", title="Tiny survey")
    link = add_invitation(campaign)
    db.session.commit()
    return SimpleNamespace(
        campaign=campaign, token=link.token, invitation=link.invitation, url=f"/r/{link.token}"
    )


@pytest.fixture
def three_sixty(make_campaign):
    """A 360 campaign with one participant and a peer and a line manager nominated."""

    def build(settings=None):
        campaign = make_campaign("tiny_feedback", title="Leaders 2026", settings=settings)
        person = add_participant(campaign, "Priya Shah", "priya@example.org")
        peer = add_invitation(
            campaign,
            participant=person.participant,
            relationship="peer",
            name="Sam Peer",
            email="sam@example.org",
            source="participant",
        )
        manager = add_invitation(
            campaign,
            participant=person.participant,
            relationship="line_manager",
            name="Lee Manager",
            source="participant",
        )
        db.session.commit()
        return SimpleNamespace(
            campaign=campaign,
            participant=person.participant,
            token=person.token,
            peer=peer,
            manager=manager,
        )

    return build


@pytest.fixture
def begin(post_form):
    """Press 'Start now' on a personal link; returns the resume code shown."""

    def start(client, token):
        response = post_form(client, f"/r/{token}")
        assert response.status_code == 200
        match = RESUME_CODE.search(response.get_data(as_text=True))
        assert match, "the start page did not show a resume code"
        return match.group(1)

    return start


@pytest.fixture
def answer_page(post_form):
    """Post one page of answers (fields named q_<item id>) from a started browser."""

    def post(client, base, number, data, action="continue"):
        url = f"{base}/page/{number}"
        return post_form(client, url, {**data, "action": action})

    return post


TINY_VALID = {
    1: {"q_listening_meetings": "2", "q_listening_feedback": "not_observed"},
    2: {"q_delivery_plans": "3"},
    3: {
        "q_confident": "3",
        "q_wants_move": "yes",
        "q_move_reasons": ["pay", "location"],
        "q_team_size": "12",
        "q_post_title": "Head of service",
        "q_comments": "Good <b>support</b> & time",
    },
}


def all_pages(client, base: str) -> list[str]:
    """Every question page of a link (`base` is /r/<token> or /p/<token>/self), in order."""
    pages, number = [], 1
    while True:
        response = client.get(f"{base}/page/{number}")
        if response.status_code != 200:
            return pages
        pages.append(response.get_data(as_text=True))
        number += 1
        if number > 30:
            raise AssertionError("more pages than the instrument has sections")
