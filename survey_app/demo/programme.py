"""Demo data for the programme around the 360 (issue 18): a region and its pool of coaches and
mentors, an earlier cohort confirmed as the same people, matches and sessions, sponsors,
reaction and confidence questionnaires, outcomes, plans and a talent pool, so `make run` shows
the evaluation page filled."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from ..campaigns.services import campaign_instrument, create_campaign, open_campaign
from ..coaching.models import Region
from ..coaching.regions import SupporterData, create_region, parse_neighbours, save_supporter
from ..coaching.services import confirm_match, log_session, set_programme
from ..evaluation.outcomes import record_outcome
from ..evaluation.services import add_questionnaire
from ..extensions import db
from ..mixing.services import close_windows, write_imported_batch
from ..models import Campaign, Participant, User, today, utcnow
from ..people.services import add_invitation, add_participant, self_invitation
from ..reports.plan import save_plan
from ..respond.services import record_submitted
from ..sponsors.services import ask_sponsor, decide
from ..statuses import SponsorStatus, WindowStatus
from ..talent.services import join

REGION = "South East"
AUTHORITIES = [
    "Westshire County Council",
    "Eastbridge Borough Council",
    "Northgate City Council",
    "Southport Borough Council",
    "Riverside District Council",
    "Hillford County Council",
]
NEIGHBOURS = """Westshire County Council | Eastbridge Borough Council
Eastbridge Borough Council | Northgate City Council
Northgate City Council | Southport Borough Council
Westshire County Council | Hillford County Council"""
# (name, authority, offers, strengths, capacity, training)
POOL = [
    (
        "Grace Mensah",
        "Riverside District Council",
        ("coach",),
        [
            "personal_resilience_and_tenacity",
            "ability_to_simplify",
            "focus_on_results_and_outcomes",
        ],
        2,
        "Accredited coach (level 7)",
    ),
    (
        "Harriet Cole",
        "Southport Borough Council",
        ("coach", "mentor"),
        [
            "openness_to_possibilities",
            "ability_to_collaborate",
            "commitment_to_continuous_learning",
        ],
        2,
        "Accredited coach; former DCS",
    ),
    (
        "Imran Qureshi",
        "Eastbridge Borough Council",
        ("mentor",),
        ["commitment_across_the_system", "belief_in_their_teams", "focus_on_results_and_outcomes"],
        1,
        "Serving DCS",
    ),
    (
        "Jane Porter",
        "Hillford County Council",
        ("coach",),
        ["belief_in_their_teams", "personal_resilience_and_tenacity"],
        1,
        "Coaching skills for managers",
    ),
    (
        "Kofi Boateng",
        "Northgate City Council",
        ("coach", "mentor"),
        ["ability_to_simplify", "openness_to_possibilities", "commitment_across_the_system"],
        3,
        "Accredited coach; assistant director",
    ),
]
EARLIER = [("Amira Hussain", 2.2), ("Ben Okafor", 1.5), ("Claire Davies", 2.7), ("Erin Walsh", 2.0)]
MODULES = [
    ("Strategic commissioning", 9, 4.2),
    ("Leading in the political context", 7, 3.6),
    ("Masterclass: building resilience", 6, 4.5),
]


def load_programme_demo(owner: User, cohort: Campaign) -> None:
    """Everything around the demo cohort (flushes; the caller commits)."""
    rng = random.Random(2025)
    region = _region(owner)
    set_programme(cohort, region, 3, False, True)
    earlier = _earlier_cohort(owner, cohort, rng)
    people = {p.name: p for p in cohort.participants}
    for participant in people.values():
        match = earlier.get(participant.email)
        if match is not None:
            participant.earlier_participant_id = match.id
    _plans(cohort, rng)
    _sponsors(people)
    _matches(people)
    _questionnaires(owner, cohort, rng)
    record_outcome(
        people["Amira Hussain"],
        "promoted",
        "Assistant director, early help",
        today() - timedelta(days=20),
    )
    record_outcome(
        people["Claire Davies"],
        "acting_up",
        "Interim director of children's services",
        today() - timedelta(days=45),
    )
    _talent_pool(region, cohort, people)


def _region(owner: User) -> Region:
    region = create_region(owner, REGION, "\n".join(AUTHORITIES))
    region.neighbours = parse_neighbours(NEIGHBOURS, AUTHORITIES)[0]
    for name, authority, offers, strengths, capacity, training in POOL:
        save_supporter(
            region,
            SupporterData(
                name,
                f"{name.split()[0].lower()}.{name.split()[1].lower()}@example.org",
                authority,
                "coach" in offers,
                "mentor" in offers,
                strengths,
                capacity,
                training,
            ),
        )
    return region


def _earlier_cohort(
    owner: User, cohort: Campaign, rng: random.Random
) -> dict[str | None, Participant]:
    """Last year's cohort of the same 360, closed and released: the 'before' of the evaluation."""
    from .loader import DEMO_PARTICIPANTS, _answers_360

    earlier = create_campaign(owner, cohort.instrument_key, "Aspiring leaders cohort 2025")
    earlier.created_at = utcnow() - timedelta(days=365)
    open_campaign(earlier)
    instrument = campaign_instrument(earlier)
    organisations = {name: org for name, org, *_ in DEMO_PARTICIPANTS}
    closed = []
    for name, level in EARLIER:
        participant = add_participant(
            earlier,
            name,
            f"{name.split()[0].lower()}@example.org",
            organisations.get(name, "Southport Borough Council"),
            "Head of service",
            "assistant_director",
        ).participant
        record_submitted(
            self_invitation(participant), _answers_360(instrument, "self", level + 0.5, rng)
        )
        for relationship, count in (("line_manager", 1), ("peer", 4), ("direct_report", 3)):
            for number in range(count):
                invitation = add_invitation(
                    earlier, participant, relationship, name=f"{relationship} {number + 1}"
                ).invitation
                record_submitted(invitation, _answers_360(instrument, "rater", level, rng))
        closed.append(participant)
    close_windows(closed)
    for participant in closed:
        participant.report_released = True
    return {p.email: p for p in closed}


def _plans(cohort: Campaign, rng: random.Random) -> None:
    behaviours = [s.id for s in campaign_instrument(cohort).behaviours]
    for participant in cohort.participants:
        # Amira has no plan yet, so her released report still invites her to make one.
        if participant.window_status != WindowStatus.CLOSED or participant.name == "Amira Hussain":
            continue
        chosen = rng.sample(behaviours, 3)
        save_plan(
            participant,
            [
                {
                    "behaviour": bid,
                    "actions": "Shadow a director at budget-setting; lead one "
                    "partnership board item; reflect with my coach.",
                    "support": ["coaching"],
                    "review_on": today() + timedelta(days=90),
                    "done": rng.random() < 0.45,
                }
                for bid in chosen
            ],
        )


def _sponsors(people: dict[str, Participant]) -> None:
    sponsors = {
        "Amira Hussain": ("Rose Collins", "Director of children's services"),
        "Ben Okafor": ("Tom Reid", "Director of children's services"),
        "Claire Davies": ("Rose Collins", "Director of children's services"),
        "Dev Sharma": ("Priya Nair", "Nominated senior leader"),
    }
    for name, (sponsor, role) in sponsors.items():
        asked = ask_sponsor(
            people[name],
            sponsor,
            f"{sponsor.split()[0].lower()}.{sponsor.split()[1].lower()}@example.org",
            role,
        )
        if name != "Dev Sharma":
            decide(asked, True)


def _matches(people: dict[str, Participant]) -> None:
    from ..coaching.services import matching_page

    for name, role, sessions in (
        ("Amira Hussain", "coach", 2),
        ("Ben Okafor", "mentor", 1),
        ("Claire Davies", "coach", 0),
    ):
        page = matching_page(people[name], role)
        if page.matching is None or not page.matching.proposals:
            continue
        match = confirm_match(people[name], page.matching.proposals[0].candidate.id, role)
        match.confirmed_on = today() - timedelta(days=40)
        for number in range(sessions):
            log_session(match, today() - timedelta(days=30 - 14 * number), "online")


def _questionnaires(owner: User, cohort: Campaign, rng: random.Random) -> None:
    for title, count, typical in MODULES:
        campaign, _ = add_questionnaire(cohort, owner, "reaction", title)
        write_imported_batch(
            campaign, [(None, None, _reaction(typical, rng)) for _ in range(count)]
        )
    for stage, count, typical in (("before", 10, 2.4), ("after", 9, 3.5)):
        campaign, _ = add_questionnaire(cohort, owner, stage, "")
        aims = [item.id for item in campaign_instrument(campaign).items]
        write_imported_batch(
            campaign,
            [
                (None, None, {aim: [str(_scale(typical + rng.gauss(0, 0.7)))] for aim in aims})
                for _ in range(count)
            ],
        )


def _scale(value: float) -> int:
    return min(5, max(1, round(value)))


def _reaction(typical: float, rng: random.Random) -> dict[str, list[str]]:
    answers = {
        "relevance": [str(_scale(typical + rng.gauss(0, 0.6)))],
        "quality": [str(_scale(typical + rng.gauss(0, 0.6)))],
        "recommend": [rng.choices(["yes", "not_sure", "no"], [8, 2, 1])[0]],
    }
    if rng.random() < 0.5:
        answers["what_worked"] = [
            rng.choice(
                [
                    "Hearing a DCS talk frankly about a difficult inspection.",
                    "Time with peers from other authorities, away from the day job.",
                    "Practical tools I used the following week.",
                ]
            )
        ]
    return answers


def _talent_pool(region: Region, cohort: Campaign, people: dict[str, Participant]) -> None:
    audit = db.session.scalar(
        select(Campaign).where(Campaign.instrument_key == "skills_talent_audit")
    )
    if audit is not None:
        set_programme(audit, region, 3, False, True)
        for name, org, role in (
            ("Lena Fischer", "Hillford County Council", "Head of service"),
            ("Omar Haddad", "Riverside District Council", "Service manager"),
        ):
            join(
                region,
                audit,
                "skills_audit",
                name,
                f"{name.split()[0].lower()}@example.org",
                org,
                role,
                ["360", "mentoring"],
                True,
            )
    dev = people["Dev Sharma"]
    join(
        region,
        cohort,
        "programme",
        dev.name,
        dev.email,
        dev.organisation,
        dev.current_role,
        ["masterclass", "coaching"],
        True,
        dev,
    )


def print_programme_links(echo, base: str) -> None:
    """The evaluation page, a participant's support page and a sponsor's link (fresh)."""
    from ..people.services import reissue_token
    from ..sponsors.models import Sponsor
    from ..sponsors.services import reissue_link

    cohort = db.session.scalar(
        select(Campaign).where(Campaign.title == "Aspiring leaders cohort 2026")
    )
    if cohort is None:
        return
    echo(f"Evaluation (four levels): {base}/campaigns/{cohort.id}/evaluation")
    ben = next((p for p in cohort.participants if p.name == "Ben Okafor"), None)
    if ben is not None:
        echo(
            f"Participant support (mentor, sessions, sponsor): {base}/p/{reissue_token(ben)}"
            "/support"
        )
    waiting = db.session.scalar(
        select(Sponsor)
        .join(Participant)
        .where(Participant.campaign_id == cohort.id, Sponsor.status == SponsorStatus.REQUESTED)
    )
    if waiting is not None:
        echo(f"Sponsor (asked to confirm {waiting.participant.name}): {reissue_link(waiting)}")
