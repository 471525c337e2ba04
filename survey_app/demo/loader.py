"""Demo data for `make run`: a commissioner, a campaign of each instrument, answers, and links."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from sqlalchemy import func, select

from instruments import NOT_OBSERVED, QUESTION_TYPES, Instrument, type_of

from ..campaigns.services import (
    campaign_instrument,
    create_campaign,
    open_campaign,
    open_link_token,
)
from ..extensions import db
from ..findings.source_notes import SESLIP_2019
from ..mixing.services import close_windows, write_imported_batch
from ..models import Campaign, Invitation, Participant, User
from ..nominations.services import nominate
from ..people.services import add_invitation, add_participant, reissue_token, self_invitation
from ..respond.services import record_submitted
from ..statuses import WAITING, Role

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "demo-password-123"
SESLIP_CSV = Path(__file__).resolve().parent / "data" / "seslip_responses.csv"
# (name, organisation, aspired role, typical level, raters by relationship)
DEMO_PARTICIPANTS = [
    (
        "Amira Hussain",
        "Westshire County Council",
        "assistant_director",
        2.6,
        {"line_manager": 1, "peer": 4, "direct_report": 2, "partner": 1},
    ),
    (
        "Ben Okafor",
        "Eastbridge Borough Council",
        "head_of_service",
        1.8,
        {"line_manager": 1, "peer": 3, "direct_report": 3, "partner": 1, "other": 1},
    ),
    (
        "Claire Davies",
        "Westshire County Council",
        "director",
        3.1,
        {"line_manager": 1, "peer": 3, "direct_report": 4, "partner": 3},
    ),
    (
        "Dev Sharma",
        "Northgate City Council",
        "assistant_director",
        2.2,
        {"line_manager": 1, "peer": 5, "direct_report": 2},
    ),
]
LIVE_PARTICIPANT = ("Sam Patel", "Eastbridge Borough Council", "assistant_director")
COMMENTS = {
    "strengths": [
        "Calm and clear when a case escalates; people trust her judgement.",
        "Brings partners round the table and keeps the focus on children.",
        "Knows the data and uses it to ask the right questions.",
    ],
    "step_up": [
        "More exposure to members and the corporate centre.",
        "Delegating more so there is time for the strategic picture.",
        "Leading a budget conversation with finance colleagues.",
    ],
}


def load_demo(echo) -> bool:
    """Create demo data if the database has no users; returns True when it created it."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return False
    from ..auth.services import create_user

    owner = create_user(DEMO_EMAIL, DEMO_PASSWORD, role=Role.ADMIN, name="Demo Commissioner")
    rng = random.Random(2026)
    cohort = _demo_360(owner, rng)
    _demo_seslip(owner, echo)
    _demo_audit(owner, rng)
    from .programme import load_programme_demo

    load_programme_demo(owner, cohort)
    echo(
        "Loaded demo data: a 360 cohort with last year's cohort before it, coaches, mentors, "
        "sponsors and the programme's evaluation; the SESLIP survey; a skills and talent audit."
    )
    return True


def _demo_360(owner: User, rng: random.Random) -> Campaign:
    campaign = create_campaign(owner, "resourceful_leader_360", "Aspiring leaders cohort 2026")
    open_campaign(campaign)
    instrument = campaign_instrument(campaign)
    closed = []
    for name, organisation, aspired, level, raters in DEMO_PARTICIPANTS:
        link = add_participant(
            campaign,
            name,
            f"{name.split()[0].lower()}@example.org",
            organisation,
            "Head of service",
            aspired,
        )
        participant = link.participant
        record_submitted(
            self_invitation(participant), _answers_360(instrument, "self", level + 0.4, rng)
        )
        for relationship, count in raters.items():
            for number in range(count):
                invitation = add_invitation(
                    campaign,
                    participant,
                    relationship,
                    name=f"{relationship} {number + 1}",
                    email=f"{relationship}.{number + 1}.{participant.id[:6]}@example.org",
                ).invitation
                record_submitted(invitation, _answers_360(instrument, "rater", level, rng))
        closed.append(participant)
    # Their windows close as a real one does: answers mixed, reports frozen, then released.
    close_windows(closed)
    for participant in closed:
        participant.report_released = True
    name, organisation, aspired = LIVE_PARTICIPANT
    participant = add_participant(
        campaign, name, "sam@example.org", organisation, "Head of service", aspired
    ).participant
    add_invitation(
        campaign, participant, "peer", name="Jo Lewis", email="jo@example.org", source="participant"
    )
    nominate(participant, "Kim Ahmed", "kim@example.org", "direct_report")
    return campaign


def _answers_360(
    instrument: Instrument, audience: str, level: float, rng: random.Random
) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for section in instrument.sections_for(audience):
        for item in section.items:
            if type_of(item).behaviour_facet:
                if rng.random() < 0.08:
                    answers[item.id] = [NOT_OBSERVED]
                else:
                    value = min(4, max(1, round(level + rng.gauss(0, 0.6))))
                    answers[item.id] = [str(value)]
            elif type_of(item).always_themed and rng.random() < 0.5:
                key = "step_up" if "step" in item.id else "strengths"
                answers[item.id] = [rng.choice(COMMENTS[key])]
    return answers


SOUTH_EAST = (
    ("thames_valley", "Berkshire, Buckinghamshire and Oxfordshire"),
    ("hampshire_iow", "Hampshire and the Isle of Wight"),
    ("kent_medway", "Kent and Medway"),
    ("surrey", "Surrey"),
    ("sussex", "Sussex (East Sussex, West Sussex, Brighton and Hove)"),
)


def _demo_seslip(owner: User, echo) -> None:
    campaign = create_campaign(
        owner,
        "seslip_aspiration_survey",
        "South East heads of service: stepping up (2019 survey)",
        # The 2019 data set: the findings page shows the 2019 report's notes on its own figures.
        settings={"source_data": SESLIP_2019},
    )
    open_campaign(campaign)
    instrument = campaign_instrument(campaign)
    if SESLIP_CSV.exists():
        with SESLIP_CSV.open(encoding="utf-8") as handle:
            rows = [(None, None, _parse_row(instrument, row)) for row in csv.DictReader(handle)]
        write_imported_batch(campaign, rows)
    else:
        echo(f"({SESLIP_CSV} not found: the SESLIP campaign starts empty.)")
    add_invitation(campaign, source="bulk")


def _parse_row(instrument: Instrument, row: dict[str, str]) -> dict[str, list[str]]:
    answers = {}
    for item in instrument.items:
        values = QUESTION_TYPES[item.type].parse_text(item, row.get(item.id) or "")
        if values:
            answers[item.id] = values
    return answers


def _demo_audit(owner: User, rng: random.Random) -> None:
    # The demo region is the South East: its sub-regions are this campaign's setting.
    listed = {"sub_region": [{"code": c, "label": label} for c, label in SOUTH_EAST]}
    campaign = create_campaign(
        owner,
        "skills_talent_audit",
        "Regional skills and talent audit",
        settings={"listed_options": listed},
    )
    open_campaign(campaign)
    instrument = campaign_instrument(campaign)
    rows = []
    for _ in range(36):
        answers: dict[str, list[str]] = {}
        for item in instrument.items:
            if item.show_if and not item.show_if.holds(answers):
                continue
            if type_of(item).closed and not type_of(item).multiple:
                answers[item.id] = [rng.choice(item.options).code]
            elif type_of(item).multiple:
                picked = [o.code for o in item.options if rng.random() < 0.35]
                if picked:
                    answers[item.id] = picked
        rows.append((None, None, answers))
    write_imported_batch(campaign, rows)
    add_invitation(campaign, source="bulk")


def print_demo_links(echo, fresh: bool) -> None:
    """Print the demo sign-in and fresh links (old demo links stop working)."""
    from flask import current_app

    base = current_app.config["BASE_URL"].rstrip("/")
    echo(f"Commissioner sign-in: {base}/sign-in  {DEMO_EMAIL} / {DEMO_PASSWORD}")
    reported = db.session.scalar(
        select(Participant)
        .where(Participant.name == DEMO_PARTICIPANTS[0][0])
        .order_by(Participant.created_at)
    )
    if reported is not None:
        echo(f"Participant report (released): {base}/p/{reissue_token(reported)}/report")
    participant = db.session.scalar(
        select(Participant)
        .where(Participant.name == LIVE_PARTICIPANT[0])
        .order_by(Participant.created_at)
    )
    if participant is not None:
        echo(f"Participant (360 task list): {base}/p/{reissue_token(participant)}")
        rater = _pending(
            Invitation.participant_id == participant.id, Invitation.relationship == "peer"
        )
        if rater is not None:
            echo(f"Rater (peer of {participant.name}): {base}/r/{reissue_token(rater)}")
    for key in ("seslip_aspiration_survey", "skills_talent_audit"):
        campaign = db.session.scalar(select(Campaign).where(Campaign.instrument_key == key))
        if campaign is None:
            continue
        invitation = _pending(
            Invitation.campaign_id == campaign.id, Invitation.participant_id.is_(None)
        )
        if invitation is not None:
            echo(f"Respondent ({campaign.title}): {base}/r/{reissue_token(invitation)}")
        if key == "seslip_aspiration_survey":
            echo(f"Open link ({campaign.title}): {base}/o/{open_link_token(campaign)}")
    from .programme import print_programme_links

    print_programme_links(echo, base)


def _pending(*conditions) -> Invitation | None:
    return db.session.scalar(
        select(Invitation).where(Invitation.status.in_(WAITING), *conditions).limit(1)
    )
