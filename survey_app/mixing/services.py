"""The mix: one transaction turns a batch of sealed answers into anonymous responses.

A 360 participant's batch is their whole feedback window, mixed when it closes; a survey's batch
is every submitted answer waiting, mixed as soon as at least k are waiting. In the mix the
answers are written in a random order, each labelled with the group it will be reported in
(decided from those who answered: analysis/mixing.py), and the sealed copies are wiped in the
same transaction; afterwards `scrub_storage` makes the database drop its old copies
(docs/design.md §3.1). Callers commit, then call `scrub_storage`.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import delete, func, select, update

from analysis.anonymity import individual_relationships
from analysis.mixing import group_labels

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Answer, Campaign, Invitation, Participant, Response, today
from ..people.services import add_invitation, self_invitation
from ..respond.services import record_submitted, sealed_answers
from ..responses import store_responses
from ..statuses import CampaignStatus, InvitationStatus, WindowStatus

log = logging.getLogger(__name__)
_shuffle = secrets.SystemRandom().shuffle


@dataclass
class MixSummary:
    """What closing windows or mixing a batch did."""

    windows_closed: int = 0
    responses_written: int = 0
    not_kept: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        """One sentence for a flash message or the command line."""
        text = (
            f"{self.windows_closed} feedback window{'s' if self.windows_closed != 1 else ''}"
            f" closed, {self.responses_written} responses mixed into reports"
        )
        dropped = sum(self.not_kept.values())
        if dropped:
            text += (
                f"; {dropped} answer{'s' if dropped != 1 else ''} from groups too small to "
                "report without identifying someone were not kept"
            )
        return text + "."


def _completed_sealed(*conditions) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.status == InvitationStatus.COMPLETED,
                Invitation.sealed.is_not(None),
                *conditions,
            )
            .with_for_update()
        )
    )


def close_windows(participants: list[Participant]) -> MixSummary:
    """Close each participant's open window: mix its answers and freeze its report (flushes)."""
    from ..reports.services import freeze_report

    summary = MixSummary()
    for participant in participants:
        # The lock makes a rater's submit and this close take turns (respond/services.submit).
        state = db.session.scalar(
            select(Participant.window_status)
            .where(Participant.id == participant.id)
            .with_for_update()
        )
        if state != WindowStatus.OPEN:
            continue
        written, not_kept, groups = _mix_window(participant)
        participant.window_status = WindowStatus.CLOSED
        db.session.flush()
        freeze_report(participant, not_kept, groups)
        summary.windows_closed += 1
        summary.responses_written += written
        summary.not_kept += not_kept
    return summary


def _mix_window(participant: Participant) -> tuple[int, Counter, dict[str, list[str]]]:
    campaign = participant.campaign
    settings = campaign_settings(campaign)
    instrument = campaign_instrument(campaign)
    sealed = _completed_sealed(Invitation.participant_id == participant.id)
    answered = [invitation.relationship or "other" for invitation in sealed]
    labels = group_labels(
        answered,
        individual_relationships(instrument.relationships),
        int(settings["anonymity_threshold"]),
        [str(r["id"]) for r in instrument.relationships],
    )
    rows: list[tuple[str, str, dict[str, list[str]]]] = []
    not_kept: Counter[str] = Counter()
    groups: dict[str, set[str]] = {}
    for invitation, relationship in zip(sealed, answered, strict=True):
        label = labels[relationship]
        if label is None:
            not_kept[relationship] += 1
        else:
            rows.append((participant.id, label, sealed_answers(invitation)))
            groups.setdefault(label, set()).add(relationship)
    _write_batch(campaign, rows)
    # Every sealed copy of this window goes, drafts of raters who never submitted included.
    db.session.execute(
        update(Invitation)
        .where(Invitation.participant_id == participant.id)
        .values(sealed=None, draft_page=None)
        .execution_options(synchronize_session=False)
    )
    return len(rows), not_kept, {label: sorted(rels) for label, rels in groups.items()}


def waiting_survey_answers(campaign: Campaign) -> int:
    """Submitted survey answers not yet mixed (held back until a batch of k is waiting)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(
                Invitation.campaign_id == campaign.id,
                Invitation.participant_id.is_(None),
                Invitation.status == InvitationStatus.COMPLETED,
                Invitation.sealed.is_not(None),
            )
        )
        or 0
    )


def mix_survey_batch(campaign: Campaign) -> int:
    """Mix every waiting survey answer when at least k are waiting; returns how many (flushes)."""
    db.session.scalar(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    k = int(campaign_settings(campaign)["anonymity_threshold"])
    sealed = _completed_sealed(
        Invitation.campaign_id == campaign.id, Invitation.participant_id.is_(None)
    )
    if len(sealed) < k:
        return 0
    _write_batch(campaign, [(None, None, sealed_answers(i)) for i in sealed])
    db.session.execute(
        update(Invitation)
        .where(Invitation.id.in_([i.id for i in sealed]))
        .values(sealed=None)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return len(sealed)


def mix_waiting_survey_answers(campaign: Campaign) -> int:
    """After a survey answer is committed: mix a batch if k are waiting, in its own transaction.

    Separate from the submission, so a failure here never loses the answer (it waits, sealed,
    for the next batch).
    """
    try:
        mixed = mix_survey_batch(campaign)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Mixing a survey batch failed; the answers wait for the next one")
        return 0
    if mixed:
        scrub_storage()
    return mixed


def write_imported_batch(campaign: Campaign, rows: list, source: str = "import") -> int:
    """Write answers collected elsewhere as one mixed batch (random order, one transaction).

    Imported rows have no invitation to seal them on; the batch is written whole, so its rows
    share everything a batch of link answers shares. Fewer than k rows would let anyone compare
    findings before and after the import, so they are refused (ValueError).
    """
    k = int(campaign_settings(campaign)["anonymity_threshold"])
    if len(rows) < k:
        raise ValueError(
            f"Import at least {k} responses at a time: findings change only by "
            f"groups of at least {k}, so no one response can be picked out."
        )
    _write_batch(campaign, list(rows), source)
    return len(rows)


def write_imported(campaign: Campaign, rows: list, source: str = "import") -> int:
    """Imported (participant id, relationship, answers) rows, through the anonymous path.

    Survey rows are one mixed batch at once; 360 rows wait, sealed like answers given by link on
    invitations marked with `source`, and are mixed when their participant's window closes
    (ValueError once it has closed).
    """
    if not campaign.is_360:
        return write_imported_batch(campaign, rows, source)
    people = {p.id: p for p in campaign.participants}
    closed = sorted(
        {people[pid].name for pid, _, _ in rows if people[pid].window_status != WindowStatus.OPEN}
    )
    if closed:
        raise ValueError(
            "Feedback has already closed for "
            + ", ".join(closed)
            + ": their reports are final, so nothing can be added."
        )
    for participant_id, relationship, answers in rows:
        participant = people[participant_id]
        if relationship == "self":
            invitation = self_invitation(participant)
            if invitation.status == InvitationStatus.COMPLETED:
                raise ValueError(f"{participant.name} has already submitted a self-assessment.")
            invitation.source = source
        else:
            invitation = add_invitation(
                campaign, participant=participant, relationship=relationship, source=source
            ).invitation
        record_submitted(invitation, answers)
    return len(rows)


def unimport(campaign: Campaign, source: str) -> int:
    """Take back an import: survey responses of the batch, or a 360 batch's sealed answers.

    A 360 batch can be taken back only while every window it went into is open; afterwards the
    reports are final (ValueError). Returns how many answers were removed (flushes).
    """
    if not campaign.is_360:
        ids = select(Response.id).where(
            Response.campaign_id == campaign.id, Response.source == source
        )
        count = len(db.session.scalars(ids).all())
        db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
        db.session.execute(
            delete(Response).where(Response.campaign_id == campaign.id, Response.source == source)
        )
        return count
    imported = list(
        db.session.scalars(
            select(Invitation).where(
                Invitation.campaign_id == campaign.id, Invitation.source == source
            )
        )
    )
    closed = sorted(
        {
            i.participant.name
            for i in imported
            if i.participant is not None and i.participant.window_status != WindowStatus.OPEN
        }
    )
    if closed:
        raise ValueError(
            "Feedback has already closed for "
            + ", ".join(closed)
            + ": their reports are final, so this import can no longer be undone."
        )
    for invitation in imported:
        if invitation.relationship == "self":
            invitation.status, invitation.sealed, invitation.source = (
                InvitationStatus.INVITED,
                None,
                "participant",
            )
        else:
            db.session.delete(invitation)
    db.session.flush()
    return len(imported)


def _write_batch(campaign: Campaign, rows: list, source: str = "link") -> None:
    from ..talent.services import without_names

    rows = without_names(campaign, rows)
    _shuffle(rows)
    store_responses(campaign.id, rows, source=source)


def scrub_storage() -> None:
    """Have the database drop the old copies of what a mix replaced (call after commit).

    SQLite: secure_delete is on for every connection (survey_app/__init__.py), and the WAL is
    checkpointed and truncated. PostgreSQL: VACUUM removes dead row versions of the touched
    tables. Old backups still hold whatever they held (docs/security.md).
    """
    if not current_app.config.get("SCRUB_AFTER_MIX", True):
        return
    engine = db.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            for _ in range(5):
                busy, _log, _done = connection.exec_driver_sql(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).one()
                if not busy:
                    return
            log.warning("SQLite WAL checkpoint stayed busy; it completes at the next one")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM invitations, responses, answers, participants")


def windows_due(campaign: Campaign) -> list[Participant]:
    """Open windows due to close: the campaign closed or expired, or their own date passed."""
    participants = db.session.scalars(
        select(Participant).where(
            Participant.campaign_id == campaign.id, Participant.window_status == WindowStatus.OPEN
        )
    )
    campaign_over = campaign.status in (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED) or (
        campaign.closes_on is not None and campaign.closes_on < today()
    )
    return [
        p
        for p in participants
        if campaign_over or (p.window_closes_on is not None and p.window_closes_on < today())
    ]


def close_due_windows(campaign: Campaign) -> MixSummary:
    """Close every window of the campaign that is due, commit, and scrub (cron or page views)."""
    due = windows_due(campaign)
    if not due:
        return MixSummary()
    summary = close_windows(due)
    db.session.commit()
    scrub_storage()
    return summary
