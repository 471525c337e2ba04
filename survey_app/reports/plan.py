"""Development plans: two or three behaviours, actions, support wanted and review dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..extensions import db
from ..models import Participant, today

SUPPORT_OPTIONS = (
    ("coaching", "Coaching"),
    ("mentoring", "Mentoring"),
    ("shadowing", "Shadowing a senior leader"),
    ("action_learning", "An action learning set"),
    ("placement", "A placement or secondment"),
)
SUPPORT_LABELS = dict(SUPPORT_OPTIONS)
MIN_GOALS, MAX_GOALS = 2, 3


def plan_goals(participant: Participant) -> list[dict]:
    """The saved goals of a participant's plan (empty when none is saved)."""
    return list((participant.development_plan or {}).get("goals") or [])


def save_plan(participant: Participant, goals: list[dict]) -> None:
    """Store the plan's goals with the day it was saved (flushes; the view commits)."""
    cleaned = [
        {
            "behaviour": g["behaviour"],
            "actions": g["actions"].strip(),
            "support": [s for s in g.get("support") or [] if s in SUPPORT_LABELS],
            "review_on": _iso(g["review_on"]),
            "done": bool(g.get("done")),
        }
        for g in goals
    ]
    participant.development_plan = {"goals": cleaned, "updated_on": today().isoformat()}
    db.session.flush()


def _iso(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def support_counts(participants: Iterable[Participant]) -> dict:
    """How many participants want each kind of support (what commissioners buy), and plans made."""
    return support_from_plans(p.development_plan for p in participants)


def support_from_plans(saved_plans: Iterable[dict | None]) -> dict:
    """`support_counts` from the participants' saved plans (None: no plan)."""
    counts = dict.fromkeys(SUPPORT_LABELS, 0)
    people = plans = 0
    for plan in saved_plans:
        people += 1
        goals = list((plan or {}).get("goals") or [])
        if goals:
            plans += 1
        wanted = {s for goal in goals for s in goal.get("support") or [] if s in counts}
        for support in wanted:
            counts[support] += 1
    return {
        "participants": people,
        "plans": plans,
        "rows": [
            {"support": key, "label": SUPPORT_LABELS[key], "participants": counts[key]}
            for key in SUPPORT_LABELS
        ],
    }


def display_goals(participant: Participant) -> list[dict]:
    """The saved goals with review dates as dates, for templates."""
    shown = []
    for goal in plan_goals(participant):
        try:
            review_on = date.fromisoformat(goal.get("review_on") or "")
        except ValueError:
            review_on = None
        shown.append({**goal, "review_on": review_on})
    return shown
