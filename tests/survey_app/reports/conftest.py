"""Fixtures for 360 report tests: signed-in clients and participants with chosen rater answers."""

from __future__ import annotations

import re
import zlib

import pytest

from instruments import NOT_OBSERVED
from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.mixing.services import close_windows
from survey_app.people.services import add_invitation, add_participant, self_invitation
from survey_app.respond.services import record_submitted


def levelled_answers(instrument, level, not_observed: bool = False, **text) -> dict:
    """Every levelled item answered with one level (or 'not observed'), plus free text."""
    value = NOT_OBSERVED if not_observed else str(level)
    answers = {i.id: [value] for i in instrument.items if i.type == "levelled"}
    answers.update({item_id: [words] for item_id, words in text.items()})
    return answers


@pytest.fixture
def make_participant(make_campaign):
    """A participant whose raters answered and whose window then closed (report frozen).

    `raters` is [(relationship, level or answers)]; each answers through its own invitation,
    as if by link, and closing the window mixes them exactly as in production.
    """

    def make(
        raters,
        name="Amira Hussain",
        campaign=None,
        email="amira@example.org",
        aspired_role="assistant_director",
        released=True,
        close=True,
    ):
        campaign = campaign or make_campaign()
        instrument = campaign_instrument(campaign)
        link = add_participant(campaign, name, email, "Westshire", "Head of service", aspired_role)
        for relationship, answers in raters:
            if not isinstance(answers, dict):
                answers = levelled_answers(instrument, answers)
            answer_as(link.participant, relationship, answers)
        if close:
            close_windows([link.participant])
            link.participant.report_released = released
        db.session.commit()
        return link

    return make


def answer_as(participant, relationship: str, answers: dict) -> None:
    """One rater (or the participant's self-assessment) submits `answers` for `participant`."""
    if relationship == "self":
        invitation = self_invitation(participant)
    else:
        invitation = add_invitation(
            participant.campaign, participant=participant, relationship=relationship
        ).invitation
    record_submitted(invitation, answers)


def pdf_bytes_text(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated, so metadata and names can be searched."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
