"""Fixtures for 360 report tests: signed-in clients and participants with chosen rater answers."""

from __future__ import annotations

import re
import zlib

import pytest

from instruments import NOT_OBSERVED
from survey_app.campaigns.services import campaign_instrument
from survey_app.extensions import db
from survey_app.people.services import add_participant
from survey_app.responses import store_response


def levelled_answers(instrument, level, not_observed: bool = False, **text) -> dict:
    """Every levelled item answered with one level (or 'not observed'), plus free text."""
    value = NOT_OBSERVED if not_observed else str(level)
    answers = {i.id: [value] for i in instrument.items if i.type == "levelled"}
    answers.update({item_id: [words] for item_id, words in text.items()})
    return answers


@pytest.fixture
def make_participant(make_campaign):
    """A participant whose raters answered: `raters` is [(relationship, level or answers)]."""

    def make(raters, name="Amira Hussain", campaign=None, email="amira@example.org",
             aspired_role="assistant_director", released=True):
        campaign = campaign or make_campaign()
        instrument = campaign_instrument(campaign)
        link = add_participant(campaign, name, email, "Westshire", "Head of service",
                               aspired_role)
        link.participant.report_released = released
        for relationship, answers in raters:
            if not isinstance(answers, dict):
                answers = levelled_answers(instrument, answers)
            store_response(campaign.id, answers, link.participant.id, relationship)
        db.session.commit()
        return link

    return make


def pdf_bytes_text(data: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated, so metadata and names can be searched."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
