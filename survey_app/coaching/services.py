"""Matching a participant with a coach or mentor from the region's pool, and logging sessions.

Matching reads only what the participant's released report shows them: the distance to travel
per behaviour in their frozen report, once it is released, and the behaviours their plan names
(docs/design.md §8). Nothing unreleased and no rater's answer reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from analysis.matching import (
    ROLES,
    Candidate,
    Matching,
    Priority,
    authority_key,
    development_priorities,
    propose,
)

from ..campaigns.links import link_url
from ..extensions import db
from ..mail.services import deliver, record_rendered, smtp_configured
from ..models import Campaign, Participant, today
from ..people.services import reissue_token
from ..reports.plan import plan_goals
from ..reports.services import participant_report
from ..statuses import MatchStatus, MessageKind, SponsorStatus
from .models import Region, Supporter, SupportMatch, SupportSession, programme_settings
from .regions import active_matches

SESSION_KINDS = (("in_person", "In person"), ("online", "Video call"), ("phone", "Phone"))


class MatchError(ValueError):
    """A match or session that cannot be saved, with a message for the commissioner."""


@dataclass
class MatchingPage:
    """What the matching page shows for one participant and kind of support."""

    priorities: tuple[Priority, ...] | None
    matching: Matching | None
    problem: str | None


def campaign_region(campaign: Campaign) -> Region | None:
    """The region whose pool a campaign's participants are matched from."""
    region_id = programme_settings(campaign.settings)["region_id"]
    return db.session.get(Region, region_id) if region_id else None


def set_programme(
    campaign: Campaign,
    region: Region | None,
    sessions_offered: int,
    sponsor_required: bool,
    talent_pool: bool,
) -> None:
    """Save the campaign's programme settings (flushes)."""
    current = programme_settings(campaign.settings)
    current.update(
        region_id=region.id if region else None,
        sessions_offered=sessions_offered,
        sponsor_required=sponsor_required,
        talent_pool=talent_pool,
    )
    campaign.settings = {**(campaign.settings or {}), "programme": current}
    db.session.flush()


def sessions_offered(campaign: Campaign) -> int:
    """How many sessions the programme offers each participant (e.g. 3 in the North East)."""
    return int(programme_settings(campaign.settings)["sessions_offered"])


def released_priorities(participant: Participant) -> tuple[Priority, ...] | None:
    """Development priorities from the report as released to the participant; None before.

    The frozen report is the one the participant reads; before release nothing is read.
    """
    if not participant.report_released:
        return None
    report = participant_report(participant, released_only=True)
    if report is None:
        return None
    return development_priorities(
        report.result["behaviours"], [goal["behaviour"] for goal in plan_goals(participant)]
    )


def sponsor_confirmed(participant: Participant) -> bool:
    """True unless the programme requires a sponsor who has not confirmed yet."""
    from ..sponsors.services import sponsor_of

    if not programme_settings(participant.campaign.settings)["sponsor_required"]:
        return True
    sponsor = sponsor_of(participant)
    return sponsor is not None and sponsor.status == SponsorStatus.CONFIRMED


def candidates(region: Region) -> list[Candidate]:
    """The region's active supporters as the matching takes them."""
    return [
        Candidate(
            s.id,
            s.name,
            s.authority,
            frozenset(s.roles),
            frozenset(s.strengths),
            s.capacity,
            active_matches(s),
        )
        for s in region.supporters
        if s.active
    ]


def matching_page(participant: Participant, role: str) -> MatchingPage:
    """Ranked proposals for one participant, or the reason there are none."""
    region = campaign_region(participant.campaign)
    if region is None:
        return MatchingPage(
            None,
            None,
            "Choose the region whose pool this programme uses on the programme support page first.",
        )
    if not sponsor_confirmed(participant):
        return MatchingPage(
            None,
            None,
            f"This programme needs a confirmed sponsor before "
            f"matching, and {participant.name}'s sponsor has not confirmed yet.",
        )
    priorities = released_priorities(participant)
    if priorities is None:
        return MatchingPage(
            None,
            None,
            f"{participant.name}'s report has not been released to "
            "them yet. Matching uses only what their released report shows "
            "them, so release it first.",
        )
    if authority_key(participant.organisation) not in {
        authority_key(a) for a in region.authorities
    }:
        return MatchingPage(
            priorities,
            None,
            f"'{participant.organisation or 'No authority'}' "
            f"is not one of {region.name}'s authorities, so coaches from their "
            "own and neighbouring authorities cannot be left out. Correct the "
            "participant's organisation or the region's list.",
        )
    matching = propose(
        priorities, candidates(region), participant.organisation, region.neighbours, role
    )
    return MatchingPage(priorities, matching, None)


def current_match(participant: Participant, role: str) -> SupportMatch | None:
    """The participant's active match for this kind of support."""
    return db.session.scalar(
        select(SupportMatch).where(
            SupportMatch.participant_id == participant.id,
            SupportMatch.role == role,
            SupportMatch.status == MatchStatus.ACTIVE,
        )
    )


def matches_of(participant: Participant) -> list[SupportMatch]:
    """Every match of the participant, active ones first."""
    return list(
        db.session.scalars(
            select(SupportMatch)
            .where(SupportMatch.participant_id == participant.id)
            .order_by(SupportMatch.status, SupportMatch.confirmed_on.desc())
        )
    )


def confirm_match(participant: Participant, supporter_id: str, role: str) -> SupportMatch:
    """The commissioner confirms a proposal; both are told by email or the outbox (flushes).

    The proposal is worked out again here, so a supporter the rules leave out (own or
    neighbouring authority, at capacity) can never be confirmed, whatever the form said.
    """
    if role not in ROLES:
        raise MatchError("Choose coaching or mentoring")
    if current_match(participant, role) is not None:
        raise MatchError(f"{participant.name} already has a {role}: end that match first.")
    page = matching_page(participant, role)
    if page.matching is None:
        raise MatchError(page.problem or "No proposals")
    proposal = next((p for p in page.matching.proposals if p.candidate.id == supporter_id), None)
    if proposal is None:
        raise MatchError(
            f"That person cannot be {participant.name}'s {role}: choose one of the proposals."
        )
    match = SupportMatch(
        participant_id=participant.id,
        supporter_id=supporter_id,
        role=role,
        covered=list(proposal.covered),
    )
    db.session.add(match)
    db.session.flush()
    notify(match)
    return match


def notify(match: SupportMatch) -> None:
    """Tell the participant (with their link, made when sent) and the supporter (no link)."""
    participant, supporter = match.participant, match.supporter
    campaign = participant.campaign
    titles = dict(priority_titles(participant))
    context = {
        "match": match,
        "supporter": supporter,
        "covered": [titles.get(b, b) for b in match.covered],
        "offered": sessions_offered(campaign),
    }
    batch = []
    if participant.email:
        message = record_rendered(
            campaign,
            participant.email,
            MessageKind.MATCH,
            "coaching/mail_participant.txt",
            participant,
            **context,
        )
        # A fresh link replaces the old one, so one is made only when the email really goes.
        if smtp_configured():
            batch.append((message, link_url("participant", reissue_token(participant))))
    if supporter.email:
        # Kept with the participant's id so erasing the participant erases it too; it has no link.
        batch.append(
            (
                record_rendered(
                    campaign,
                    supporter.email,
                    MessageKind.MATCH,
                    "coaching/mail_supporter.txt",
                    participant,
                    **context,
                ),
                "",
            )
        )
    deliver(batch)


def priority_titles(participant: Participant) -> list[tuple[str, str]]:
    """(behaviour id, title) of the participant's released report's behaviours."""
    report = (
        participant_report(participant, released_only=True) if participant.report_released else None
    )
    if report is None:
        return []
    return [(bid, row["title"]) for bid, row in report.result["behaviours"].items()]


def end_match(match: SupportMatch) -> None:
    """End a match: the supporter's place is free again (flushes)."""
    match.status, match.ended_on = MatchStatus.ENDED, today()
    db.session.flush()


def sessions_used(participant: Participant) -> int:
    """Sessions held with any coach or mentor, counted against the programme's offer."""
    return sum(len(m.sessions) for m in matches_of(participant))


def log_session(match: SupportMatch, held_on: date, kind: str) -> SupportSession:
    """Record one session held (flushes); refused beyond the programme's offer."""
    if kind not in dict(SESSION_KINDS):
        raise MatchError("Choose how the session was held")
    offered = sessions_offered(match.participant.campaign)
    used = sessions_used(match.participant)
    if used >= offered:
        raise MatchError(
            f"{match.participant.name} has had all {offered} sessions the programme offers."
        )
    if held_on > today():
        raise MatchError("Record a session once it has been held: the date is in the future.")
    if held_on < match.confirmed_on:
        raise MatchError(
            "A session cannot be held before the match was confirmed "
            f"({match.confirmed_on:%d %B %Y})."
        )
    session = SupportSession(match=match, held_on=held_on, kind=kind)
    db.session.add(session)
    db.session.flush()
    return session


def support_rows(campaign: Campaign) -> list[dict]:
    """Per participant, by name: coach, mentor, sessions used and sponsor."""
    from ..sponsors.services import sponsors_of

    sponsors = sponsors_of(campaign)
    return [
        {
            "participant": p,
            "coach": current_match(p, "coach"),
            "mentor": current_match(p, "mentor"),
            "used": sessions_used(p),
            "sponsor": sponsors.get(p.id),
        }
        for p in sorted(campaign.participants, key=lambda p: (p.name.casefold(), p.id))
    ]


def supporter_of_region(region: Region, supporter_id: str) -> Supporter | None:
    """A supporter of this region by id (None otherwise)."""
    supporter = db.session.get(Supporter, supporter_id) if len(supporter_id) <= 36 else None
    return supporter if supporter is not None and supporter.region_id == region.id else None
