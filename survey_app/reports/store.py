"""The stored cohort report: computed by a background job, then served as a lookup.

Every change to what a campaign's cohort is built from raises the campaign's data version in
the same transaction (`cohort_changed`); once that transaction commits the job is scheduled
(survey_app/reports/jobs.py). The job streams the frozen results and the raters' levelled
answers (no ORDER BY over the answers, no list of every row), computes the figures with the
same analysis functions as before, and stores them only if no newer version was stored in
the meantime. The store holds participant ids and figures, never names: names or pseudonyms
are applied per viewer when the page is drawn (docs/design.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, or_, select, update
from sqlalchemy.exc import IntegrityError

from analysis.cohort import cohort_items, cohort_summary, technical_note_parsed
from analysis.results import ParticipantResult
from analysis.scoring import RaterAnswers, _Rater, parse_rater

from ..bounded_cache import BoundedCache
from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import (
    Answer,
    Campaign,
    CohortReportStore,
    FrozenReport,
    Participant,
    Response,
    utcnow,
)

STREAM_ROWS = 5000  # rows fetched at a time: memory stays flat whatever the campaign's size
PENDING = "cohort_reports_changed"  # session.info key: campaigns whose job waits for the commit


@dataclass
class StoredCohort:
    """What the store holds for a campaign: figures (or None before the first run) and when."""

    data: dict[str, Any] | None
    computed_at: datetime | None
    updating: bool


def cohort_changed(campaign: Campaign | str) -> None:
    """Raise the campaign's data version; its cohort is recomputed once this transaction commits.

    Call in the transaction that changes the data (a window's mix, an erasure, a threshold).
    """
    campaign_id = campaign if isinstance(campaign, str) else campaign.id
    bumped = _rowcount(
        db.session.execute(
            update(CohortReportStore)
            .where(CohortReportStore.campaign_id == campaign_id)
            .values(data_version=CohortReportStore.data_version + 1)
            .execution_options(synchronize_session=False)
        )
    )
    if not bumped:
        try:
            with db.session.begin_nested():
                db.session.add(
                    CohortReportStore(campaign_id=campaign_id, data_version=1, computed_version=0)
                )
        except IntegrityError:  # another transaction made the row first: raise its version
            cohort_changed(campaign_id)
            return
    db.session.info.setdefault(PENDING, set()).add(campaign_id)


_decoded: BoundedCache[dict[str, Any] | None] = BoundedCache(8)  # stored figures, decoded once


def stored_cohort(campaign: Campaign) -> StoredCohort:
    """The stored figures, when they were computed and whether newer data is waiting.

    Each process decodes a stored computation once (thousands of rows of JSON): the versions
    are read first, the figures only when this process has not seen that computation yet.
    """
    row = db.session.execute(
        select(
            CohortReportStore.data_version,
            CohortReportStore.computed_version,
            CohortReportStore.computed_at,
        ).where(CohortReportStore.campaign_id == campaign.id)
    ).first()
    if row is None:
        # Never computed (a campaign older than the store): the first view schedules it.
        cohort_changed(campaign)
        db.session.commit()
        return StoredCohort(None, None, True)
    wanted, computed, computed_at = row
    data = (
        _decoded.get_or_build((campaign.id, computed), lambda: _stored_data(campaign.id, computed))
        if computed
        else None
    )
    return StoredCohort(data, computed_at, computed < wanted)


def _stored_data(campaign_id: str, computed: int) -> dict[str, Any] | None:
    return db.session.scalar(
        select(CohortReportStore.data).where(
            CohortReportStore.campaign_id == campaign_id,
            CohortReportStore.computed_version == computed,
        )
    )


def current_summary(campaign: Campaign) -> dict[str, Any]:
    """The cohort figures as of now: the stored ones if no newer data waits, else computed."""
    row = db.session.get(CohortReportStore, campaign.id)
    if row is not None and row.data is not None and row.computed_version >= row.data_version:
        return dict(row.data["summary"])
    return dict(compute_cohort(campaign)["summary"])


def data_version(campaign_id: str) -> tuple[int, int] | None:
    """(version the data has reached, version last stored), or None if the campaign has none."""
    row = db.session.execute(
        select(CohortReportStore.data_version, CohortReportStore.computed_version).where(
            CohortReportStore.campaign_id == campaign_id
        )
    ).first()
    return None if row is None else (row[0], row[1])


def save_cohort(campaign_id: str, data: dict[str, Any], version: int) -> bool:
    """Store figures computed from `version`, unless a newer version is stored (flushes).

    The comparison is in the UPDATE itself, so two jobs racing cannot both win.
    """
    saved = _rowcount(
        db.session.execute(
            update(CohortReportStore)
            .where(
                CohortReportStore.campaign_id == campaign_id,
                CohortReportStore.computed_version < version,
            )
            .values(data=data, computed_version=version, computed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    )
    return bool(saved)


def _rowcount(result: Result[Any]) -> int:
    return cast(CursorResult[Any], result).rowcount  # an UPDATE's result is a cursor's


def compute_cohort(campaign: Campaign) -> dict[str, Any]:
    """The cohort figures of a campaign from its frozen reports and mixed answers, streamed."""
    instrument = campaign_instrument(campaign)
    order = _cohort_order(campaign.id)
    results = _profiles(campaign.id, set(order))
    ordered = [pid for pid in order if pid in results]
    k = int(campaign_settings(campaign)["anonymity_threshold"])
    # Reduced results: `participant_profile` reads only each behaviour's published others' mean.
    reduced = cast("dict[str, ParticipantResult]", {pid: results[pid] for pid in ordered})
    summary = cohort_summary(instrument, reduced, k)
    raters = _parsed_raters(campaign.id, set(ordered), cohort_items(instrument))
    summary["technical_note"] = technical_note_parsed(
        instrument, {pid: raters.get(pid, []) for pid in ordered}
    )
    return {"summary": summary, "participants": ordered}


def _cohort_order(campaign_id: str) -> list[str]:
    """Participant ids in the order the live computation took them (name, then id)."""
    people = db.session.execute(
        select(Participant.id, Participant.name).where(Participant.campaign_id == campaign_id)
    ).all()
    return [pid for pid, _name in sorted(people, key=lambda p: (p[1].casefold(), p[0]))]


def _profiles(campaign_id: str, participants: set[str]) -> dict[str, dict[str, Any]]:
    """Each frozen result reduced to the published others' means the cohort reads."""
    query = (
        select(FrozenReport.participant_id, FrozenReport.data)
        .where(FrozenReport.campaign_id == campaign_id)
        .execution_options(yield_per=200)
    )
    profiles = {}
    for pid, data in db.session.execute(query):
        if pid in participants:
            profiles[pid] = {
                "behaviours": {
                    bid: {"others": row.get("others")}
                    for bid, row in data["result"]["behaviours"].items()
                }
            }
    return profiles


def _parsed_raters(
    campaign_id: str, participants: set[str], items: set[str]
) -> dict[str, list[_Rater]]:
    """Non-self raters' levels per participant, read as a stream in the database's own order.

    Only first values of the behaviours' levelled items are kept (what `parse_rater` reads);
    each participant's raters are then put in response-id order, as the live computation had.
    """
    query = (
        select(
            Response.id,
            Response.participant_id,
            Response.relationship,
            Answer.item_id,
            Answer.value,
        )
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.campaign_id == campaign_id,
            Answer.position == 0,
            Answer.item_id.in_(sorted(items)),
            or_(Response.relationship.is_(None), Response.relationship != "self"),
        )
        .execution_options(yield_per=STREAM_ROWS)
    )
    answers: dict[str, tuple[str, str, dict[str, str]]] = {}
    for rid, pid, relationship, item_id, value in db.session.execute(query):
        if pid not in participants:
            continue
        entry = answers.get(rid)
        if entry is None:
            entry = answers[rid] = (pid, relationship or "other", {})
        entry[2][item_id] = value
    by_participant: dict[str, list[_Rater]] = {}
    for rid in sorted(answers):
        pid, relationship, values = answers.pop(rid)
        rater = RaterAnswers(relationship, {item: [value] for item, value in values.items()})
        by_participant.setdefault(pid, []).append(parse_rater(rater))
    return by_participant
