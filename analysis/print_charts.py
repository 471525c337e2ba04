"""The report, cohort, findings and evaluation charts as static SVG for PDFs (see svg_charts).

Drawn from the same published results as the page's plotly charts (report_charts,
survey_charts), so a suppressed group's numbers can no more reach a printed chart than a page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from markupsafe import Markup

from .impact import BeforeAfter
from .results import CohortSummary, ParticipantResult
from .survey_results import ChartTally, Tally
from .svg_charts import (
    Axis,
    Bar,
    Interval,
    Mark,
    Series,
    bar_chart,
    dot_chart,
    heat_map,
    interval_chart,
)

LEVELS = Axis(1, 4, (1, 2, 3, 4), "Level")
FLAG_COLOURS = {"blind_spot": "#d4351c", "hidden_strength": "#00703c", None: "#505a5f"}
FLAG_TEXT = {"blind_spot": "possible blind spot", "hidden_strength": "possible hidden strength"}


class ParticipantSvgs(TypedDict):
    """Every chart of a participant's report, keyed as the page's plotly charts are."""

    overview: Markup
    gap: Markup | None
    behaviours: dict[str, Markup]


def _level(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def overview_svg(result: ParticipantResult, you: str = "You") -> Markup:
    """Self, line manager, all other raters and the target for each behaviour (levels 1-4)."""
    behaviours = list(result["behaviours"].values())
    series = [
        Series(you, [b["self"] for b in behaviours], "#1d70b8"),
        Series("Line manager", [b["line_manager"] for b in behaviours], "#6f72af", "square"),
        Series("All raters except self", [b["others"] for b in behaviours], "#00703c", "diamond"),
    ]
    if any(b["target"] is not None for b in behaviours):
        series.append(Series("Target level", [b["target"] for b in behaviours], "#d4351c", "line"))
    return dot_chart("Levels by behaviour", [b["title"] for b in behaviours], series, LEVELS)


def gap_svg(result: ParticipantResult) -> Markup | None:
    """Self minus others per behaviour, flagged bars in colour; None when nothing compares."""
    behaviours = [b for b in result["behaviours"].values() if b["gap"] is not None]
    if not behaviours:
        return None
    bars = [
        Bar(
            b["title"],
            b["gap"],
            f"{b['gap']:+.1f}" + (f" {FLAG_TEXT[b['flag']]}" if b["flag"] else ""),
            FLAG_COLOURS[b["flag"]],
        )
        for b in behaviours
    ]
    threshold = result.get("blind_spot_threshold", 0.5)
    axis = Axis(-3, 3, (-3, -2, -1, 0, 1, 2, 3), "Self rating minus others' rating")
    return bar_chart(
        "How your view compares with others'",
        bars,
        axis,
        [Mark(-threshold, colour="#b1b4b6"), Mark(threshold, colour="#b1b4b6")],
    )


def behaviour_svg(result: ParticipantResult, behaviour_id: str, you: str = "You") -> Markup:
    """One behaviour: self, each published group and all others, with n, and the target."""
    behaviour = result["behaviours"][behaviour_id]
    bars = [
        Bar(
            f"{you} (n={1 if behaviour['self'] is not None else 0})",
            behaviour["self"],
            _level(behaviour["self"]),
        )
    ]
    bars += [
        Bar(f"{group['label']} (n={group['n']})", group["mean"], _level(group["mean"]))
        for group in behaviour["groups"].values()
    ]
    bars.append(
        Bar(
            f"All raters except self (n={behaviour['others_n']})",
            behaviour["others"],
            _level(behaviour["others"]),
            "#00703c",
        )
    )
    target = behaviour["target"]
    marks = [Mark(target, f"Target {target}")] if target is not None else []
    return bar_chart(
        f"{behaviour['title']}: average level by group",
        bars,
        Axis(0, 4, (0, 1, 2, 3, 4), "Average level"),
        marks,
    )


def participant_svgs(result: ParticipantResult, you: str = "You") -> ParticipantSvgs:
    """Every chart of a participant's report, keyed as the page's plotly charts are."""
    return {
        "overview": overview_svg(result, you),
        "gap": gap_svg(result),
        "behaviours": {bid: behaviour_svg(result, bid, you) for bid in result["behaviours"]},
    }


def cohort_svg(cohort: CohortSummary, names: Mapping[str, str] | None = None) -> Markup | None:
    """Behaviours down the side, participants across: each one's others' mean level."""
    grid = cohort["heat_map"]
    if not grid["participants"]:
        return None
    people = [(names or {}).get(pid, pid) for pid in grid["participants"]]
    by_behaviour = [list(column) for column in zip(*grid["raw"], strict=True)]
    return heat_map("Cohort: others' mean level", grid["titles"], people, by_behaviour, 1, 4)


def tally_svg(question: Tally | ChartTally, title: str | None = None) -> Markup | None:
    """A survey question's answers as bars of respondents (with percent), in form order."""
    counts = question["counts"]
    if not counts or not question["answered"]:
        return None
    most = max(max(counts.values()), 1)
    step = max(1, round(most / 4))
    ticks = tuple(range(0, most + step, step))
    bars = [
        Bar(
            label,
            n,
            f"{n} ({question['percent'][label]}%)"
            if question["percent"][label] is not None
            else str(n),
        )
        for label, n in counts.items()
    ]
    axis = Axis(
        0,
        ticks[-1],
        ticks,
        f"Respondents (answered {question['answered']}, skipped {question['skipped']})",
    )
    return bar_chart(title or question.get("prompt", ""), bars, axis)


def theme_tally(themed: Mapping[str, Any], skipped: int = 0) -> ChartTally | None:
    """A themed question as a tally (comments per theme), or None when no one commented."""
    if not themed["commented"] or not themed["themes"]:
        return None
    return {
        "counts": {t["label"]: t["count"] for t in themed["themes"]},
        "percent": {t["label"]: t["percent"] for t in themed["themes"]},
        "answered": themed["commented"],
        "skipped": skipped,
        "prompt": themed["prompt"],
    }


def findings_svgs(findings: Mapping[str, Any]) -> dict[str, Markup]:
    """The findings' bar charts by the key of the table they go with (see findings.exports)."""
    charts = {
        item_id: tally_svg(question)
        for item_id, question in findings["questions"].items()
        if "counts" in question
    }
    for item_id, themed in findings["themes"].items():
        tally = theme_tally(themed, findings["text"].get(item_id, {}).get("skipped", 0))
        charts[f"themes:{item_id}"] = tally_svg(tally) if tally else None
    return {key: chart for key, chart in charts.items() if chart is not None}


def change_svg(rows: Sequence[BeforeAfter]) -> Markup | None:
    """The evaluation's mean change per behaviour with its 95% interval (shown figures only)."""
    # A shown change has its value and both ends of its interval.
    shown = [
        (row.label, value, low, high)
        for row in rows
        if (value := row.change.value) is not None
        and (low := row.change.low) is not None
        and (high := row.change.high) is not None
    ]
    if not shown:
        return None
    intervals = [
        Interval(label, value, low, high, f"{value:+.2f} ({low:.2f} to {high:.2f})")
        for label, value, low, high in shown
    ]
    widest = max(max(abs(low), abs(high)) for _, _, low, high in shown)
    reach = max(1, math.ceil(widest))
    axis = Axis(-reach, reach, tuple(range(-reach, reach + 1)), "Change in level (95% interval)")
    return interval_chart(
        "Change in others' level, before to after", intervals, axis, [Mark(0, colour="#505a5f")]
    )
