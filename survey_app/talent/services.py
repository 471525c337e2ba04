"""The talent pool: a restricted register of people who asked to be in it, with their consent.

Two ways in, both by the person themself (seed 001_* §8: the audit "aims to allow
self-nomination by individuals for the talent pool"): a skills-audit respondent names
themself on a separate page after submitting, or a programme participant joins from their own
page. A named self-nomination is the only case where an audit respondent's name is kept, and
it is kept apart from their answers: the entry has no invitation, no response, only the day.
Each entry records the consent wording and day, is kept until its retention date (the region's
setting) and is erased on request, by the person's own link or by the commissioner, as a
participant's data is.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from ..auth.services import AccountError, normalise_email
from ..coaching.models import Region, programme_settings
from ..extensions import db
from ..mail.services import LINK_MAKERS, deliver, record_rendered, smtp_configured
from ..models import Campaign, Message, Participant, today
from ..people.services import add_participant
from ..statuses import MessageKind
from ..tokens import hash_token, looks_like_token, new_token
from .models import TalentEntry

MESSAGE_KIND = MessageKind.TALENT_POOL
INTERESTS = (
    ("360", "A 360 feedback programme"),
    ("masterclass", "Masterclasses and leadership events"),
    ("mentoring", "A mentoring scheme"),
    ("coaching", "Coaching"),
    ("placement", "A placement or work shadowing"),
)
INTEREST_LABELS = dict(INTERESTS)
OFFERS = (("masterclass", "A masterclass or leadership event"), ("mentoring", "A mentoring scheme"))
CONSENT = (
    "I ask to join {region}'s talent pool. The region's programme team may keep my name, "
    "work email, organisation, role and the interests I chose, and contact me about "
    "development opportunities, until {keep_until:%d %B %Y}. {apart}I can withdraw at any "
    "time with the link I am sent, and my entry is then erased."
)
APART = {
    "skills_audit": "This is kept apart from my questionnaire answers, which stay anonymous. ",
    "programme": "",
}


# A survey offering the talent pool keeps no name with its answers: naming yourself is done on
# the talent-pool page, kept apart. (The skills audit asked "Name (optional)" up to version 1;
# campaigns launched with that version still ask it, and this drops it.)
NAME_ITEMS = ("name",)


def without_names(campaign: Campaign, rows: list) -> list:
    """(participant, relationship, answers) rows with name answers dropped when the survey
    offers the talent pool; other campaigns' rows unchanged (called by the mix)."""
    if campaign.is_360 or not programme_settings(campaign.settings)["talent_pool"]:
        return rows
    return [
        (pid, rel, {k: v for k, v in answers.items() if k not in NAME_ITEMS})
        for pid, rel, answers in rows
    ]


class TalentError(ValueError):
    """An entry that cannot be saved, with a message for the person or commissioner."""


def pool_region(campaign: Campaign) -> Region | None:
    """The region whose talent pool a campaign offers, if it offers one."""
    settings = programme_settings(campaign.settings)
    if not settings["talent_pool"] or not settings["region_id"]:
        return None
    return db.session.get(Region, settings["region_id"])


def consent_text(region: Region, source: str) -> str:
    """The exact words a person agrees to, with today's retention date."""
    return CONSENT.format(region=region.name, keep_until=keep_until(region), apart=APART[source])


def keep_until(region: Region):
    """The day an entry made today is erased unless renewed."""
    return today() + timedelta(days=region.talent_retention_days)


def join(
    region: Region,
    campaign: Campaign,
    source: str,
    name: str | None,
    email: str | None,
    organisation: str | None,
    role: str | None,
    interests: list[str],
    consent: bool,
    participant: Participant | None = None,
) -> TalentEntry:
    """Add (or renew) a person's entry with their consent; they are sent their own link."""
    if not consent:
        raise TalentError("Tick the box to say you agree, or leave this page")
    name = " ".join((name or "").split())
    if not name:
        raise TalentError("Enter your name: the talent pool is a list of named people")
    try:
        address = normalise_email(email or "")
    except AccountError as error:
        raise TalentError(str(error)) from None
    entry = db.session.scalar(
        select(TalentEntry).where(
            TalentEntry.region_id == region.id, func.lower(TalentEntry.email) == address
        )
    ) or TalentEntry(region_id=region.id, email=address)
    token = new_token()
    entry.name, entry.organisation = name[:200], " ".join((organisation or "").split())[:200]
    entry.current_role, entry.source = " ".join((role or "").split())[:200], source
    entry.campaign_id = campaign.id
    entry.participant_id = participant.id if participant else entry.participant_id
    entry.interests = [i for i in interests if i in INTEREST_LABELS]
    entry.consent_text, entry.consented_on = consent_text(region, source), today()
    entry.keep_until, entry.token_hash = keep_until(region), hash_token(token)
    db.session.add(entry)
    db.session.flush()
    message = record_rendered(
        campaign,
        address,
        MESSAGE_KIND,
        "talent/mail_joined.txt",
        participant,
        entry=entry,
        region=region,
        interests=[INTEREST_LABELS[i] for i in entry.interests],
    )
    deliver([(message, entry_link(token))] if smtp_configured() else [])
    return entry


def entry_link(token: str) -> str:
    """The full address of a person's own talent-pool link."""
    from flask import current_app

    return f"{current_app.config['BASE_URL'].rstrip('/')}/t/{token}"


def find_entry(token: str) -> TalentEntry | None:
    """The entry a person's own link belongs to."""
    if not looks_like_token(token):
        return None
    return db.session.scalar(select(TalentEntry).where(TalentEntry.token_hash == hash_token(token)))


def fresh_link(message: Message) -> str | None:
    """A new link for the person a waiting talent-pool message is for."""
    entry = db.session.scalar(
        select(TalentEntry).where(
            TalentEntry.campaign_id == message.campaign_id,
            func.lower(TalentEntry.email) == message.to_address.lower(),
        )
    )
    if entry is None:
        return None
    token = new_token()
    entry.token_hash = hash_token(token)
    db.session.flush()
    return entry_link(token)


LINK_MAKERS[MESSAGE_KIND] = fresh_link


def entries_of(region: Region) -> list[TalentEntry]:
    """The region's register, by name."""
    return list(
        db.session.scalars(
            select(TalentEntry)
            .where(TalentEntry.region_id == region.id)
            .order_by(TalentEntry.name, TalentEntry.id)
        )
    )


def erase_entry(entry: TalentEntry) -> None:
    """Erase an entry and the messages sent about it (flushes)."""
    db.session.execute(
        delete(Message).where(
            Message.kind == MESSAGE_KIND, func.lower(Message.to_address) == entry.email
        )
    )
    db.session.delete(entry)
    db.session.flush()


def erase_for_participant(participant_id: str) -> int:
    """Erase the entries of a participant who is being erased (privacy/services)."""
    entries = list(
        db.session.scalars(select(TalentEntry).where(TalentEntry.participant_id == participant_id))
    )
    for entry in entries:
        erase_entry(entry)
    return len(entries)


def expired_entries() -> list[TalentEntry]:
    """Entries past their retention date."""
    return list(db.session.scalars(select(TalentEntry).where(TalentEntry.keep_until < today())))


def purge_expired() -> int:
    """Erase every entry past its retention date (flushes); returns how many."""
    expired = expired_entries()
    for entry in expired:
        erase_entry(entry)
    return len(expired)


def carry_into_campaign(entries: list[TalentEntry], campaign: Campaign) -> tuple[int, int]:
    """Add entries as participants of a 360 campaign: (added, already there) (flushes).

    Their links are sent from the campaign as usual; nothing goes to them from here.
    """
    there = {(p.email or "").lower() for p in campaign.participants}
    added = 0
    for entry in entries:
        if entry.email.lower() in there:
            continue
        add_participant(campaign, entry.name, entry.email, entry.organisation, entry.current_role)
        there.add(entry.email.lower())
        _offered(entry, "360", campaign.title)
        added += 1
    db.session.flush()
    return added, len(entries) - added


def record_offer(entries: list[TalentEntry], what: str, title: str | None) -> int:
    """Note that entries were invited to a masterclass or mentoring scheme (flushes)."""
    if what not in dict(OFFERS):
        raise TalentError("Choose what they were invited to")
    title = " ".join((title or "").split())
    if not title:
        raise TalentError("Enter the name of the masterclass or scheme")
    for entry in entries:
        _offered(entry, what, title)
    db.session.flush()
    return len(entries)


def _offered(entry: TalentEntry, what: str, title: str) -> None:
    entry.offers = [
        *(entry.offers or []),
        {"what": what, "title": title[:200], "on": today().isoformat()},
    ]
