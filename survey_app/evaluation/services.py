"""The four-level evaluation of a 360 cohort: gathering its data for analysis/impact.py.

Reaction and learning come from anonymous survey campaigns linked to the cohort (a module's
questionnaire, the confidence questionnaire before and after), read only from mixed responses;
behaviour from the frozen reports of participants whose earlier 360 a commissioner confirmed
(Participant.earlier_participant_id) and who can be seen by this viewer; results from the
outcomes recorded for the cohort's participants (docs/design.md §8).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from analysis.impact import (
    BeforeAfter,
    Figure,
    ModuleReaction,
    ResultsRow,
    behaviour_level,
    goals_done_figure,
    learning_level,
    reaction_level,
    results_level,
)
from analysis.results import ParticipantResult
from instruments import Instrument, type_of

from ..campaigns.services import (
    campaign_instrument,
    campaign_settings,
    create_campaign,
    enable_open_link,
    open_campaign,
)
from ..extensions import db
from ..models import Campaign, FrozenReport, Participant, User
from ..reports.plan import plan_goals
from ..reports.services import earlier_participant
from ..responses import load_responses
from .models import Outcome

REACTION = "module_reaction"
CONFIDENCE = "programme_confidence"
STAGES = {"reaction": REACTION, "before": CONFIDENCE, "after": CONFIDENCE}
STAGE_LABELS = {
    "reaction": "After a module or masterclass",
    "before": "Before the programme",
    "after": "After the programme",
}


class EvaluationError(ValueError):
    """A questionnaire or outcome that cannot be added, with a message."""


@dataclass
class CohortEvaluation:
    """Everything the evaluation page, PDF and export show for one cohort."""

    cohort: Campaign
    k: int
    questionnaires: list[Campaign]
    reaction: list[ModuleReaction]
    reaction_all: ModuleReaction | None
    learning: list[BeforeAfter]
    learning_n: tuple[int, int]
    behaviour: list[BeforeAfter]
    pairs: int
    goals: Figure
    results: ResultsRow
    results_by_role: list[ResultsRow]
    outcomes: int
    notes: list[str] = field(default_factory=list)


def evaluates(campaign: Campaign) -> dict:
    """{'cohort', 'stage', 'module'} for a questionnaire campaign linked to a cohort, else {}."""
    return dict((campaign.settings or {}).get("evaluates") or {})


def questionnaires_of(cohort: Campaign, visible: set[str]) -> list[Campaign]:
    """The cohort's linked questionnaires the viewer can see, oldest first."""
    found = db.session.scalars(
        select(Campaign)
        .where(Campaign.instrument_key.in_(set(STAGES.values())), Campaign.id.in_(visible))
        .order_by(Campaign.created_at)
    )
    return [c for c in found if evaluates(c).get("cohort") == cohort.id]


def add_questionnaire(
    cohort: Campaign, owner: User, stage: str, module: str | None
) -> tuple[Campaign, str]:
    """Create and open a questionnaire linked to the cohort; returns it and its open link."""
    if stage not in STAGES:
        raise EvaluationError("Choose which questionnaire to add")
    module = " ".join((module or "").split())
    if stage == "reaction" and not module:
        raise EvaluationError("Enter the module or masterclass the questionnaire is about")
    title = (
        f"{cohort.title}: {module}"
        if stage == "reaction"
        else f"{cohort.title}: confidence {STAGE_LABELS[stage].lower()}"
    )
    k = int(campaign_settings(cohort)["anonymity_threshold"])
    campaign = create_campaign(
        owner,
        STAGES[stage],
        title[:200],
        {
            "anonymity_threshold": k,
            "evaluates": {"cohort": cohort.id, "stage": stage, "module": module[:200]},
        },
    )
    open_campaign(campaign)
    return campaign, enable_open_link(campaign)


def _aims(instrument: Instrument) -> list[tuple[str, str]]:
    return [(item.id, item.prompt) for item in instrument.items if type_of(item).labelled_scale]


def before_after_pairs(
    cohort: Campaign, visible: set[str]
) -> list[tuple[ParticipantResult, ParticipantResult]]:
    """(earlier result, this cohort's result) of participants with both reports frozen."""
    pairs = []
    for participant in cohort.participants:
        after = db.session.get(FrozenReport, participant.id)
        earlier = earlier_participant(participant, visible) if after else None
        before = db.session.get(FrozenReport, earlier.id) if earlier else None
        if before is not None and after is not None:
            pairs.append((before.data["result"], after.data["result"]))
    return pairs


def outcomes_by_participant(cohort: Campaign) -> dict[str, list[Outcome]]:
    """The outcomes recorded for each participant of the cohort."""
    found: dict[str, list[Outcome]] = {}
    rows = db.session.scalars(
        select(Outcome)
        .join(Participant)
        .where(Participant.campaign_id == cohort.id)
        .order_by(Outcome.effective_on, Outcome.id)
    )
    for outcome in rows:
        found.setdefault(outcome.participant_id, []).append(outcome)
    return found


def cohort_evaluation(cohort: Campaign, visible: set[str]) -> CohortEvaluation:
    """All four levels for a cohort, as the viewer may see them."""
    k = int(campaign_settings(cohort)["anonymity_threshold"])
    linked = questionnaires_of(cohort, visible)
    modules: list[tuple[str, list[dict[str, list[str]]], int]] = []
    before: list[dict[str, list[str]]] = []
    after: list[dict[str, list[str]]] = []
    aims: list[tuple[str, str]] = []
    for campaign in linked:
        stage = evaluates(campaign).get("stage")
        answers = [r.answers for r in load_responses(campaign.id)]
        own_k = max(k, int(campaign_settings(campaign)["anonymity_threshold"]))
        if stage == "reaction":
            modules.append((evaluates(campaign).get("module") or campaign.title, answers, own_k))
        elif stage in ("before", "after"):
            (before if stage == "before" else after).extend(answers)
            aims = aims or _aims(campaign_instrument(campaign))
    reaction, reaction_all = reaction_level(
        [(t, a) for t, a, _ in modules], max([k, *(m[2] for m in modules)])
    )
    titles = {s.id: s.title for s in campaign_instrument(cohort).behaviours}
    pairs = before_after_pairs(cohort, visible)
    outcomes = outcomes_by_participant(cohort)
    overall, by_role = results_level(
        [(p.current_role, {o.kind for o in outcomes.get(p.id, [])}) for p in cohort.participants], k
    )
    plans = [[bool(g.get("done")) for g in plan_goals(p)] for p in cohort.participants]
    return CohortEvaluation(
        cohort,
        k,
        linked,
        reaction,
        reaction_all,
        learning_level(aims, before, after, k),
        (len(before), len(after)),
        behaviour_level(pairs, titles, k),
        len(pairs),
        goals_done_figure(plans, k),
        overall,
        by_role,
        sum(len(v) for v in outcomes.values()),
    )
