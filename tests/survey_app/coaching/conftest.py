"""A region with neighbours and a pool, and a cohort whose participants have frozen reports."""

from __future__ import annotations

import pytest

from survey_app.campaigns.services import campaign_instrument
from survey_app.coaching.regions import (
    SupporterData,
    create_region,
    parse_neighbours,
    save_supporter,
)
from survey_app.coaching.services import set_programme
from survey_app.extensions import db
from tests.survey_app.reports.conftest import answer_as, make_participant  # noqa: F401

AUTHORITIES = ["Westshire", "Eastbridge", "Northgate", "Southport", "Riverside"]
NEIGHBOURS = "Westshire | Eastbridge\nNorthgate | Westshire"
# Behaviour ids of the Resourceful Leader 360.
OPEN, COLLAB, BELIEF, RESIL = (
    "openness_to_possibilities",
    "ability_to_collaborate",
    "belief_in_their_teams",
    "personal_resilience_and_tenacity",
)


def by_behaviour(instrument, levels: dict[str, int], default: int = 3) -> dict:
    """Every levelled item answered with its behaviour's level (default for the rest)."""
    answers = {}
    for section in instrument.behaviours:
        for item in section.items:
            if item.type == "levelled":
                answers[item.id] = [str(levels.get(section.id, default))]
    return answers


@pytest.fixture
def region(app, commissioner):
    """'South East': Westshire neighbours Eastbridge and Northgate."""
    made = create_region(commissioner, "South East", "\n".join(AUTHORITIES))
    made.neighbours = parse_neighbours(NEIGHBOURS, AUTHORITIES)[0]
    db.session.commit()
    return made


def add_supporter(
    region, name, authority, strengths, coach=True, mentor=False, capacity=2, email=None
):
    """A supporter in the region's pool (committed)."""
    supporter = save_supporter(
        region,
        SupporterData(
            name,
            email or f"{name.split()[0].lower()}@example.org",
            authority,
            coach,
            mentor,
            list(strengths),
            capacity,
        ),
    )
    db.session.commit()
    return supporter


@pytest.fixture
def cohort(make_campaign, region):
    """A 360 campaign using the region's pool, offering three sessions."""
    campaign = make_campaign(title="Leaders 2026")
    set_programme(campaign, region, 3, False, True)
    db.session.commit()
    return campaign


@pytest.fixture
def report_with_distances(make_participant, cohort):  # noqa: F811 (the fixture above)
    """Amira (Westshire, aiming at assistant director, target 3): others rate openness 1,
    collaboration 2 and the rest 3, so her largest distances are openness then collaboration."""

    def make(released=True, name="Amira Hussain", email="amira@example.org"):
        instrument = campaign_instrument(cohort)
        answers = by_behaviour(instrument, {OPEN: 1, COLLAB: 2})
        raters = [("self", by_behaviour(instrument, {}, 3)), ("line_manager", answers)]
        raters += [("peer", answers)] * 3
        return make_participant(raters, name=name, email=email, campaign=cohort, released=released)

    return make
