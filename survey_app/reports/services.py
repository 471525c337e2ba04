"""Levelled 360 reports: one participant's published result, comments, change over time, JSON.

Every number here comes from `analysis.scoring.score_participant`, which publishes only the
differencing-safe partition of rater groups (DESIGN §3); pages, PDFs, exports and the JSON all
read the same result, so none of them can show a group the others hide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from analysis.anonymity import (
    POOLED_AT_SUBMISSION,
    SMALL_GROUPS_NAME,
    comments_for_report,
    relationship_labels,
)
from analysis.scoring import RaterAnswers, change_over_time, score_participant
from instruments import Instrument

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db
from ..models import Campaign, Participant
from ..responses import ResponseData, load_responses

TEXT_TYPES = ("short_text", "long_text")
GROUP_FIELDS = ("label", "n", "mean", "sd", "min", "max", "not_observed_rate")


@dataclass
class ParticipantReport:
    """Everything a participant's report page shows, already anonymised."""

    participant: Participant
    campaign: Campaign
    instrument: Instrument
    result: dict
    comments: list[dict] = field(default_factory=list)
    change: dict | None = None
    earlier_campaign: Campaign | None = None

    @property
    def behaviour_notes(self) -> list[dict]:
        """Pooling notes about whole behaviours (item-level notes sit in the item tables)."""
        return [note for note in self.result["pooled"] if note["item"] is None]

    def item_notes(self, item_id: str) -> list[dict]:
        """Why a group's figure for one item is not shown: {"label", "reason"} per group."""
        row = self.result["items"][item_id]
        blocks = self.result["behaviours"][row["behaviour"]]["groups"].values()
        labels = {tuple(b["relationships"]): b["label"] for b in blocks}
        return [{"label": labels.get(tuple(note["groups"]), "a group"),
                 "reason": note["reason"].removeprefix("withheld: ")}
                for note in self.result["pooled"] if note["item"] == item_id]

    def items_of(self, behaviour_id: str) -> list[tuple[str, dict]]:
        """The item rows of one behaviour, in form order."""
        return [(i, row) for i, row in self.result["items"].items()
                if row["behaviour"] == behaviour_id]


def raters_from(responses: Iterable[ResponseData]) -> list[RaterAnswers]:
    """Responses as the analysis package takes them (no relationship means 'other')."""
    return [RaterAnswers(r.relationship or "other", r.answers) for r in responses]


def score(campaign: Campaign, instrument: Instrument, participant: Participant,
          responses: list[ResponseData]) -> dict:
    """The publishable result for one participant under the campaign's own thresholds."""
    settings = campaign_settings(campaign)
    roles = {str(r["id"]) for r in settings.get("roles") or ()}
    aspired = participant.aspired_role if participant.aspired_role in roles else None
    return score_participant(instrument, raters_from(responses), aspired_role=aspired,
                             k=int(settings["anonymity_threshold"]),
                             blind_spot_threshold=float(settings["blind_spot_threshold"]))


def report_comments(instrument: Instrument, participant: Participant,
                    responses: list[ResponseData], counts: dict[str, int], k: int) -> list[dict]:
    """Free-text answers per question: the participant's own, then raters', shuffled."""
    text_items = [item for item in instrument.items if item.type in TEXT_TYPES]
    wanted = {item.id for item in text_items}
    triples = [(r.relationship or "other", item_id, value)
               for r in responses for item_id, values in r.answers.items() if item_id in wanted
               for value in values]
    by_item = comments_for_report(triples, counts, seed=participant.id, k=k)
    return [{"item": item.id, "prompt": item.prompt_for("rater", participant.name),
             "self": by_item.get(item.id, {}).get("self", []),
             "raters": by_item.get(item.id, {}).get("raters", []),
             "withheld": by_item.get(item.id, {}).get("withheld", 0)}
            for item in text_items]


def participant_report(participant: Participant,
                       visible_campaigns: set[str] | None = None) -> ParticipantReport:
    """The participant's report; `visible_campaigns` limits which earlier campaigns it compares."""
    campaign = participant.campaign
    instrument = campaign_instrument(campaign)
    responses = load_responses(campaign.id, participant.id)
    result = score(campaign, instrument, participant, responses)
    report = ParticipantReport(participant, campaign, instrument, result)
    report.comments = report_comments(instrument, participant, responses,
                                      result["response_counts"], result["k"])
    earlier = earlier_participant(participant, visible_campaigns)
    if earlier is not None:
        before = score(earlier.campaign, campaign_instrument(earlier.campaign), earlier,
                       load_responses(earlier.campaign_id, earlier.id))
        report.change = change_over_time(before, result) or None
        report.earlier_campaign = earlier.campaign if report.change else None
    return report


def earlier_participant(participant: Participant,
                        visible_campaigns: set[str] | None = None) -> Participant | None:
    """The same person (by email) in the latest earlier campaign of the same instrument."""
    if not participant.email:
        return None
    campaign = participant.campaign
    query = (select(Participant).join(Campaign, Participant.campaign_id == Campaign.id)
             .where(func.lower(Participant.email) == participant.email.lower(),
                    Participant.id != participant.id,
                    Campaign.instrument_key == campaign.instrument_key,
                    Campaign.created_at < campaign.created_at)
             .order_by(Campaign.created_at.desc()))
    if visible_campaigns is not None:
        query = query.where(Campaign.id.in_(visible_campaigns))
    return db.session.scalars(query.limit(1)).first()


def behaviour_json(row: dict) -> dict:
    """One behaviour as the JSON report and the pages show it."""
    return {"title": row["title"],
            "groups": {gid: {key: group[key] for key in GROUP_FIELDS}
                       for gid, group in row["groups"].items()},
            "self": row["self"], "others": row["others"], "others_n": row["others_n"],
            "gap": row["gap"], "flag": row["flag"], "target": row["target"],
            "distance": row["distance"]}


def result_json(result: dict) -> dict:
    """The published numbers of one participant's result (no comments, no raw answers)."""
    return {"behaviours": {bid: behaviour_json(row) for bid, row in result["behaviours"].items()},
            "items": {item_id: {"behaviour": row["behaviour"], "self": row["self"],
                                "others": row["others"], "others_n": row["others_n"],
                                "groups": {gid: {key: group[key] for key in GROUP_FIELDS}
                                           for gid, group in row["groups"].items()}}
                      for item_id, row in result["items"].items()},
            "pooled": result["pooled"], "k": result["k"],
            "aspired_role": result["aspired_role"], "readiness": result["readiness"]}


def campaign_results(campaign: Campaign) -> tuple[Instrument, list[Participant], dict, dict]:
    """(instrument, participants, results by participant id, raters by participant id)."""
    instrument = campaign_instrument(campaign)
    by_participant: dict[str, list[ResponseData]] = {}
    for response in load_responses(campaign.id):
        if response.participant_id:
            by_participant.setdefault(response.participant_id, []).append(response)
    participants = sorted(campaign.participants, key=lambda p: (p.name.casefold(), p.id))
    results = {p.id: score(campaign, instrument, p, by_participant.get(p.id, []))
               for p in participants}
    raters = {p.id: raters_from(by_participant.get(p.id, [])) for p in participants}
    return instrument, participants, results, raters


def report_360_json(campaign: Campaign) -> dict:
    """Every participant's published 360 numbers and the cohort view, JSON-ready."""
    from .cohort import cohort_json

    instrument, participants, results, raters = campaign_results(campaign)
    return {"campaign": {"id": campaign.id, "title": campaign.title,
                         "instrument": campaign.instrument_key,
                         "k": int(campaign_settings(campaign)["anonymity_threshold"])},
            "participants": {p.id: {"name": p.name, "email": p.email,
                                    "report_released": p.report_released,
                                    **result_json(results[p.id])}
                             for p in participants},
            "cohort": cohort_json(campaign, instrument, participants, results, raters)}


def pooling_summary(report: ParticipantReport) -> list[dict]:
    """Behaviour-level pooling notes merged across behaviours, with group labels."""
    labels = relationship_labels(report.instrument.relationships)
    labels[POOLED_AT_SUBMISSION] = SMALL_GROUPS_NAME
    titles = {bid: row["title"] for bid, row in report.result["behaviours"].items()}
    merged: dict[tuple, dict] = {}
    for note in report.behaviour_notes:
        key = (tuple(note["groups"]), note["reason"])
        entry = merged.setdefault(key, {"groups": [labels.get(g, g) for g in note["groups"]],
                                        "reason": note["reason"], "behaviours": []})
        entry["behaviours"].append(titles.get(note["behaviour"], note["behaviour"]))
    return list(merged.values())
