"""Regions: their authorities, which neighbour which (data the region edits), and the pool."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from analysis.matching import authority_key

from ..auth.services import AccountError, normalise_email
from ..extensions import db
from ..library.store import bundled
from ..models import Campaign, FrozenReport, Participant, User
from ..statuses import MatchStatus
from .models import Region, Supporter, SupportMatch

STRENGTHS_INSTRUMENT = "resourceful_leader_360"
MAX_AUTHORITIES = 200
STRENGTHS_FROM_360 = 3


class RegionError(ValueError):
    """Region or pool data that cannot be saved, with every located problem."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class SupporterData:
    """What the pool form gives for one coach or mentor."""

    name: str
    email: str
    authority: str
    coach: bool
    mentor: bool
    strengths: list[str]
    capacity: int
    training: str = ""
    active: bool = True


def behaviour_choices() -> list[tuple[str, str]]:
    """(id, title) of the behaviours strengths are declared in: the Resourceful Leader 360's."""
    return [(s.id, s.title) for s in bundled()[STRENGTHS_INSTRUMENT].behaviours]


def regions_of(user: User) -> list[Region]:
    """The regions this user runs (every region for administrators)."""
    query = select(Region).order_by(Region.name)
    if not user.is_admin:
        query = query.where(Region.owner_id == user.id)
    return list(db.session.scalars(query))


def can_use_region(user: User, region: Region) -> bool:
    """Only the region's owner and administrators see its pool and talent register."""
    return user.is_admin or region.owner_id == user.id


def region_or_404(region_id: str) -> Region:
    """The region if the signed-in user runs it; 404 otherwise (as if it did not exist)."""
    from flask import abort

    from ..auth.access import signed_in_user

    region = db.session.get(Region, region_id) if len(region_id) <= 36 else None
    if region is None or not can_use_region(signed_in_user(), region):
        abort(404)
    return region


def create_region(owner: User, name: str, authorities_text: str) -> Region:
    """A new region with its list of authorities (flushes)."""
    name = " ".join((name or "").split())
    authorities, problems = parse_authorities(authorities_text)
    if not name:
        problems.insert(0, "Give the region a name")
    if problems:
        raise RegionError(problems)
    region = Region(name=name[:200], owner_id=owner.id, authorities=authorities, neighbours=[])
    db.session.add(region)
    db.session.flush()
    return region


def parse_authorities(text: str | None) -> tuple[list[str], list[str]]:
    """One authority per line, duplicates (ignoring case and spacing) refused by line."""
    found: list[str] = []
    keys: dict[str, int] = {}  # an authority's key → the line it is on
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        name = " ".join(line.split())
        if not name:
            continue
        if len(name) > 200:
            problems.append(f"Line {number}: an authority's name can be at most 200 characters")
        elif authority_key(name) in keys:
            problems.append(
                f"Line {number}: '{name}' is listed already on line {keys[authority_key(name)]}"
            )
        else:
            keys[authority_key(name)] = number
            found.append(name)
    if not found and not problems:
        problems.append("List the region's authorities, one per line")
    if len(found) > MAX_AUTHORITIES:
        problems.append(f"A region can list at most {MAX_AUTHORITIES} authorities")
    return found, problems


def parse_neighbours(text: str, authorities: Iterable[str]) -> tuple[list[list[str]], list[str]]:
    """Lines 'Authority A | Authority B', each name one of the region's, with located problems."""
    names = {authority_key(a): a for a in authorities}
    pairs, seen, problems = [], set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p for p in (" ".join(p.split()) for p in line.split("|")) if p]
        if len(parts) != 2:
            problems.append(
                f"Line {number}: write two authorities separated by '|', "
                "for example 'Westshire County Council | Eastbridge Borough Council'"
            )
            continue
        known = []
        for part in parts:
            if authority_key(part) in names:
                known.append(names[authority_key(part)])
            else:
                problems.append(
                    f"Line {number}: '{part}' is not one of the region's "
                    f"authorities{_did_you_mean(part, names.values())}"
                )
        if len(known) == 2 and authority_key(known[0]) == authority_key(known[1]):
            problems.append(f"Line {number}: an authority cannot neighbour itself")
        elif len(known) == 2:
            key = frozenset(authority_key(k) for k in known)
            if key not in seen:
                seen.add(key)
                pairs.append(known)
    return pairs, problems


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6) or difflib.get_close_matches(
        name.casefold(), [c.casefold() for c in choices], n=1, cutoff=0.6
    )
    if not match:
        return ""
    original = next((c for c in choices if c.casefold() == match[0].casefold()), match[0])
    return f"; did you mean '{original}'?"


def neighbours_text(region: Region) -> str:
    """The neighbour list as the form shows it."""
    return "\n".join(f"{a} | {b}" for a, b in region.neighbours or [])


def update_region(
    region: Region,
    name: str | None,
    authorities_text: str | None,
    neighbours: str,
    retention_days: int,
) -> None:
    """Save the region's name, authorities, neighbours and retention, or nothing (flushes)."""
    name = " ".join((name or "").split())
    authorities, problems = parse_authorities(authorities_text)
    pairs, pair_problems = parse_neighbours(neighbours, authorities)
    problems += pair_problems
    keys = {authority_key(a) for a in authorities}
    used = sorted(
        {s.authority for s in region.supporters if authority_key(s.authority) not in keys}
    )
    if used:
        problems.append(
            "Coaches or mentors in the pool are from "
            + ", ".join(used)
            + ": keep those authorities in the list"
        )
    if not name:
        problems.insert(0, "Give the region a name")
    if problems:
        raise RegionError(problems)
    region.name, region.authorities, region.neighbours = name[:200], authorities, pairs
    region.talent_retention_days = retention_days
    db.session.flush()


def check_supporter(region: Region, data: SupporterData) -> tuple[list[str], dict]:
    """Problems with a supporter's details, and the cleaned values when there are none."""
    problems = []
    authority = {authority_key(a): a for a in region.authorities}.get(authority_key(data.authority))
    if authority is None:
        problems.append(
            f"'{data.authority}' is not one of the region's authorities"
            + _did_you_mean(data.authority, region.authorities)
        )
    if not (data.coach or data.mentor):
        problems.append("Say whether they coach, mentor or both")
    email = None
    if data.email.strip():
        try:
            email = normalise_email(data.email)
        except AccountError as error:
            problems.append(str(error))
    known = {bid for bid, _ in behaviour_choices()}
    return problems, {
        "authority": authority,
        "email": email,
        "strengths": [b for b in data.strengths if b in known],
    }


def save_supporter(
    region: Region, data: SupporterData, supporter: Supporter | None = None
) -> Supporter:
    """Add a coach or mentor to the pool, or change one (flushes); RegionError lists problems."""
    problems, clean = check_supporter(region, data)
    if problems:
        raise RegionError(problems)
    if supporter is None:
        supporter = Supporter(region=region)
        db.session.add(supporter)
    elif clean["strengths"] != supporter.strengths:
        supporter.strengths_source = "self_declared"
    supporter.name, supporter.email = data.name.strip(), clean["email"]
    supporter.authority, supporter.strengths = clean["authority"], clean["strengths"]
    supporter.coach, supporter.mentor, supporter.capacity = data.coach, data.mentor, data.capacity
    supporter.training, supporter.active = data.training.strip(), data.active
    db.session.flush()
    return supporter


def active_matches(supporter: Supporter) -> int:
    """How many participants the supporter coaches or mentors now."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(SupportMatch)
            .where(
                SupportMatch.supporter_id == supporter.id, SupportMatch.status == MatchStatus.ACTIVE
            )
        )
        or 0
    )


def own_360_strengths(supporter: Supporter, visible_campaigns: set[str]) -> list[str] | None:
    """The supporter's strongest behaviours from their own released 360 (others' means).

    Only a report released to the supporter themself is used, from a campaign the commissioner
    can see, found by the supporter's email; None when there is none.
    """
    if not supporter.email:
        return None
    report = db.session.scalar(
        select(FrozenReport)
        .join(Participant, FrozenReport.participant_id == Participant.id)
        .join(Campaign, Participant.campaign_id == Campaign.id)
        .where(
            func.lower(Participant.email) == supporter.email.lower(),
            Participant.report_released.is_(True),
            Campaign.instrument_key == STRENGTHS_INSTRUMENT,
            Campaign.id.in_(visible_campaigns),
        )
        .order_by(FrozenReport.computed_on.desc())
        .limit(1)
    )
    if report is None:
        return None
    others = {
        bid: row["others"]
        for bid, row in report.data["result"]["behaviours"].items()
        if row.get("others") is not None
    }
    return sorted(others, key=lambda bid: -others[bid])[:STRENGTHS_FROM_360]


def use_own_360(supporter: Supporter, visible_campaigns: set[str]) -> bool:
    """Replace declared strengths by those of the supporter's own 360; False when none (flushes)."""
    strengths = own_360_strengths(supporter, visible_campaigns)
    if not strengths:
        return False
    supporter.strengths, supporter.strengths_source = strengths, "own_360"
    db.session.flush()
    return True
