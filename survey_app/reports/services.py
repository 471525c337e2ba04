"""Levelled 360 reports: frozen per feedback window, then read by every page, PDF and export.

A report is computed once, when the participant's window closes and their answers are mixed
(`freeze_report`, called by survey_app/mixing), and stored; nothing is computed before and nothing
live afterwards, so there are no two versions to compare (docs/design.md §3.3). Every number comes
from `analysis.scoring.score_participant`, which publishes only the differencing-safe partition
of rater groups; pages, PDFs, exports and the JSON all read the same stored result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from analysis.anonymity import (
    comments_for_report,
    individual_relationships,
    relationship_labels,
)
from analysis.anonymity_notes import note_kind, note_sentence
from analysis.disclosure import audit_result
from analysis.results import ItemRow, ParticipantResult, PoolNote
from analysis.scoring import RaterAnswers, change_over_time, score_participant, shown_gaps
from instruments import Instrument, type_of

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Campaign, FrozenReport, Participant
from ..responses import ResponseData, load_responses
from .store import cohort_changed


class AnonymityAuditError(RuntimeError):
    """The exact differencing audit found a figure set that would single out raters."""


GROUP_FIELDS = ("label", "n", "mean", "sd", "not_observed_rate")


@dataclass
class ParticipantReport:
    """Everything a participant's report page shows, already anonymised."""

    participant: Participant
    campaign: Campaign
    instrument: Instrument
    result: ParticipantResult
    computed_on: date
    comments: list[dict] = field(default_factory=list)
    not_kept: dict[str, int] = field(default_factory=dict)
    change: dict | None = None
    earlier_campaign: Campaign | None = None

    @property
    def behaviour_notes(self) -> list[PoolNote]:
        """Pooling notes about whole behaviours (item-level notes sit in the item tables)."""
        return [note for note in self.result["pooled"] if note["item"] is None]

    def item_notes(self, item_id: str) -> list[dict]:
        """Why a group's figure for one item is not shown: {"label", "reason"} per group."""
        row = self.result["items"][item_id]
        blocks = self.result["behaviours"][row["behaviour"]]["groups"].values()
        labels = {tuple(b["relationships"]): b["label"] for b in blocks}
        return [
            {
                "label": labels.get(tuple(note["groups"]), "a group"),
                "reason": note["reason"].removeprefix("withheld: "),
            }
            for note in self.result["pooled"]
            if note["item"] == item_id
        ]

    def items_of(self, behaviour_id: str) -> list[tuple[str, ItemRow]]:
        """The item rows of one behaviour, in form order."""
        return [
            (i, row) for i, row in self.result["items"].items() if row["behaviour"] == behaviour_id
        ]


def raters_from(responses: Iterable[ResponseData]) -> list[RaterAnswers]:
    """Responses as the analysis package takes them (no relationship means 'other')."""
    return [RaterAnswers(r.relationship or "other", r.answers) for r in responses]


def score(
    campaign: Campaign,
    instrument: Instrument,
    participant: Participant,
    responses: list[ResponseData],
) -> ParticipantResult:
    """The publishable result for one participant under the campaign's own thresholds."""
    settings = campaign_settings(campaign)
    roles = {str(r["id"]) for r in settings.get("roles") or ()}
    aspired = participant.aspired_role if participant.aspired_role in roles else None
    return score_participant(
        instrument,
        raters_from(responses),
        aspired_role=aspired,
        k=int(settings["anonymity_threshold"]),
        blind_spot_threshold=float(settings["blind_spot_threshold"]),
    )


def report_comments(
    instrument: Instrument,
    participant: Participant,
    responses: list[ResponseData],
    counts: dict[str, int],
    k: int,
) -> list[dict]:
    """Free-text answers per question: the participant's own, then raters', shuffled."""
    text_items = [item for item in instrument.items if type_of(item).is_free_text]
    wanted = {item.id for item in text_items}
    triples = [
        (r.relationship or "other", item_id, value)
        for r in responses
        for item_id, values in r.answers.items()
        if item_id in wanted
        for value in values
    ]
    by_item = comments_for_report(triples, counts, seed=participant.id, k=k)
    return [
        {
            "item": item.id,
            "prompt": item.prompt_for("rater", participant.name),
            "self": by_item.get(item.id, {}).get("self", []),
            "raters": by_item.get(item.id, {}).get("raters", []),
            "withheld": by_item.get(item.id, {}).get("withheld", 0),
        }
        for item in text_items
    ]


def freeze_report(
    participant: Participant,
    not_kept: Counter | None = None,
    groups: dict[str, list[str]] | None = None,
) -> FrozenReport:
    """Compute the participant's report from their mixed responses and store it (flushes).

    `not_kept` counts answers of groups too small to keep; `groups` names the relationships
    each stored group combines (both from the mix, and said in the report).
    """
    campaign = participant.campaign
    instrument = campaign_instrument(campaign)
    responses = load_responses(campaign.id, participant.id)
    result = score(campaign, instrument, participant, responses)
    leaked = audit_result(
        raters_from(responses),
        result,
        individual_relationships(instrument.relationships),
        result["k"],
    )
    if leaked:
        # Scoring withholds what could isolate a rater, so this is a bug: publish nothing.
        raise AnonymityAuditError(
            f"the report of {participant.id} would isolate raters "
            f"{sorted(leaked[0].raters)} on {leaked[0].behaviour}"
        )
    comments = report_comments(
        instrument, participant, responses, result["response_counts"], result["k"]
    )
    frozen = db.session.get(FrozenReport, participant.id) or FrozenReport(
        participant_id=participant.id, campaign_id=campaign.id
    )
    frozen.data = {
        "result": result,
        "comments": comments,
        "not_kept": dict(not_kept or {}),
        "groups": dict(groups or {}),
    }
    db.session.add(frozen)
    db.session.flush()
    cohort_changed(campaign)  # the cohort report is recomputed once this commits
    return frozen


def participant_report(
    participant: Participant, visible_campaigns: set[str] | None = None, released_only: bool = False
) -> ParticipantReport | None:
    """The frozen report (None while the window is open).

    Change over time compares with the earlier campaign a commissioner confirmed as the same
    person, only when `visible_campaigns` (the viewer's campaigns; None for the participant)
    includes it, and for the participant only when that earlier report was released to them.
    """
    frozen = db.session.get(FrozenReport, participant.id)
    if frozen is None:
        return None
    campaign = participant.campaign
    report = ParticipantReport(
        participant,
        campaign,
        campaign_instrument(campaign),
        shown_gaps(frozen.data["result"]),
        frozen.computed_on,
        frozen.data["comments"],
        frozen.data.get("not_kept", {}),
    )
    earlier = earlier_participant(participant, visible_campaigns, released_only)
    before = db.session.get(FrozenReport, earlier.id) if earlier is not None else None
    if earlier is not None and before is not None:
        report.change = change_over_time(before.data["result"], report.result) or None
        report.earlier_campaign = earlier.campaign if report.change else None
    return report


def earlier_participant(
    participant: Participant, visible_campaigns: set[str] | None = None, released_only: bool = False
) -> Participant | None:
    """The confirmed earlier record of this person, if the viewer may see it."""
    if participant.earlier_participant_id is None:
        return None
    earlier = db.session.get(Participant, participant.earlier_participant_id)
    if earlier is None or (
        visible_campaigns is not None and earlier.campaign_id not in visible_campaigns
    ):
        return None
    if released_only and not earlier.report_released:
        return None
    return earlier


def earlier_candidates(participant: Participant, visible_campaigns: set[str]) -> list[Participant]:
    """Earlier participants of the same instrument with the same email, in campaigns the viewer
    may see: suggestions for a commissioner to confirm, never linked automatically."""
    if not participant.email:
        return []
    campaign = participant.campaign
    query = (
        select(Participant)
        .join(Campaign, Participant.campaign_id == Campaign.id)
        .where(
            func.lower(Participant.email) == participant.email.lower(),
            Participant.id != participant.id,
            Campaign.instrument_key == campaign.instrument_key,
            Campaign.created_at < campaign.created_at,
            Campaign.id.in_(visible_campaigns),
        )
        .order_by(Campaign.created_at.desc())
    )
    return list(db.session.scalars(query))


def behaviour_json(row: dict) -> dict:
    """One behaviour as the JSON report and the pages show it."""
    return {
        "title": row["title"],
        "groups": {
            gid: {key: group[key] for key in GROUP_FIELDS} for gid, group in row["groups"].items()
        },
        "self": row["self"],
        "others": row["others"],
        "others_n": row["others_n"],
        "gap": row["gap"],
        "flag": row["flag"],
        "target": row["target"],
        "distance": row["distance"],
    }


def result_json(result: Mapping[str, Any]) -> dict:
    """The published numbers of one participant's result (no comments, no raw answers)."""
    return {
        "behaviours": {bid: behaviour_json(row) for bid, row in result["behaviours"].items()},
        "items": {
            item_id: {
                "behaviour": row["behaviour"],
                "self": row["self"],
                "others": row["others"],
                "others_n": row["others_n"],
                "groups": {
                    gid: {key: group[key] for key in GROUP_FIELDS}
                    for gid, group in row["groups"].items()
                },
            }
            for item_id, row in result["items"].items()
        },
        "pooled": result["pooled"],
        "k": result["k"],
        "aspired_role": result["aspired_role"],
        "readiness": result["readiness"],
    }


def campaign_results(campaign: Campaign) -> tuple[Instrument, list[Participant], dict, dict]:
    """(instrument, participants with a frozen report, their results, raters by participant).

    Every answer in memory at once: the reference the stored cohort is tested against; pages
    and exports read the store (survey_app/reports/store.py).
    """
    instrument = campaign_instrument(campaign)
    frozen = {
        f.participant_id: shown_gaps(f.data["result"])
        for f in db.session.scalars(
            select(FrozenReport).where(FrozenReport.campaign_id == campaign.id)
        )
    }
    by_participant: dict[str, list[ResponseData]] = {}
    for response in load_responses(campaign.id):
        if response.participant_id in frozen:
            by_participant.setdefault(response.participant_id, []).append(response)
    participants = sorted(
        (p for p in campaign.participants if p.id in frozen),
        key=lambda p: (p.name.casefold(), p.id),
    )
    raters = {p.id: raters_from(by_participant.get(p.id, [])) for p in participants}
    return instrument, participants, {p.id: frozen[p.id] for p in participants}, raters


def report_360_json(campaign: Campaign) -> dict:
    """Every frozen participant report's numbers and the cohort view, JSON-ready."""
    from .cohort import cohort_json

    results = {
        f.participant_id: shown_gaps(f.data["result"])
        for f in db.session.scalars(
            select(FrozenReport).where(FrozenReport.campaign_id == campaign.id)
        )
    }
    participants = sorted(
        (p for p in campaign.participants if p.id in results),
        key=lambda p: (p.name.casefold(), p.id),
    )
    waiting = sorted(p.id for p in campaign.participants if p.id not in results)
    return {
        "campaign": {
            "id": campaign.id,
            "title": campaign.title,
            "instrument": campaign.instrument_key,
            "k": int(campaign_settings(campaign)["anonymity_threshold"]),
        },
        "participants": {
            p.id: {
                "name": p.name,
                "email": p.email,
                "report_released": p.report_released,
                **result_json(results[p.id]),
            }
            for p in participants
        },
        "windows_open": waiting,
        "cohort": cohort_json(campaign, participants),
    }


def pooling_summary(report: ParticipantReport) -> list[str]:
    """Behaviour-level pooling notes as sentences, one per case, naming behaviours if not all."""
    labels = relationship_labels(report.instrument.relationships)
    behaviours = report.result["behaviours"]
    merged: dict[tuple, dict] = {}
    for note in report.behaviour_notes:
        behaviour = behaviours.get(note["behaviour"])
        blocks = behaviour["groups"].values() if behaviour is not None else ()
        shown_as = next(
            (
                b["label"]
                for b in blocks
                if note["groups"] and note["groups"][0] in b["relationships"]
            ),
            None,
        )
        key = (tuple(note["groups"]), note_kind(note), shown_as)
        entry = merged.setdefault(key, {"note": note, "shown_as": shown_as, "behaviours": []})
        entry["behaviours"].append(
            behaviour["title"] if behaviour is not None else note["behaviour"]
        )
    return [
        note_sentence(
            entry["note"],
            labels,
            report.result["k"],
            entry["shown_as"],
            entry["behaviours"] if len(entry["behaviours"]) < len(behaviours) else (),
        )
        for entry in merged.values()
    ]


def not_kept_text(report: ParticipantReport) -> str:
    """A sentence on answers the mix did not keep because their groups were too small."""
    dropped = sum(report.not_kept.values())
    if not dropped:
        return ""
    labels = relationship_labels(report.instrument.relationships)
    groups = ", ".join(labels.get(r, r) for r in sorted(report.not_kept))
    k = report.result["k"]
    return (
        f"{dropped} answer{'s' if dropped != 1 else ''} ({groups}) could not be used: "
        f"fewer than {k} raters outside the individually shown groups answered, so any "
        "figure from them would show what one person said."
    )
