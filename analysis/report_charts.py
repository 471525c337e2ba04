"""Plotly figures for the levelled 360 report, each paired with a plain table of the same numbers.

Every function returns `(figure, rows)`: the rows are the text alternative shown beside the chart
(docs/design.md §6). Figures are drawn only from a `score_participant` / `cohort_summary` result,
which holds published groups only, so a suppressed group's numbers can never reach a chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import plotly.graph_objects as go

from .results import CohortSummary, ParticipantResult
from .survey_charts import AXIS_TITLE_WIDTH, TITLE_WIDTH, rows_height, wrap_label

# One row of the table beside a chart: column -> the figure or text shown.
TableRow = dict[str, str | float | None]

LEVEL_AXIS = {"range": [0.5, 4.5], "tickvals": [1, 2, 3, 4], "title": {"text": "Level"}}
MARKERS: tuple[tuple[Literal["self", "line_manager", "others"], str, str, str], ...] = (
    ("self", "Self", "circle-open", "#1d70b8"),
    ("line_manager", "Line manager", "square", "#6f72af"),
    ("others", "All raters except self", "diamond", "#00703c"),
)
FLAG_TEXT = {
    "blind_spot": "Possible blind spot",
    "hidden_strength": "Possible hidden strength",
    None: "",
}


def _figure(*traces: Any) -> go.Figure:
    # An empty template: copying plotly.py's themes cost ~9 ms per figure (most of a report
    # page), and pages drop the template anyway (plotly.js draws with the site's own look).
    return go.Figure(data=list(traces), layout={"template": go.layout.Template()})


def _layout(fig: go.Figure, title: str, labels: Sequence[str]) -> go.Figure:
    fig.update_layout(**_frame(title, labels))
    return fig


def _labels(titles: Sequence[str]) -> list[str]:
    return [wrap_label(title) for title in titles]


# The participant's figures are plotly JSON built as plain data: plotly.py's figure objects
# cost ~10 ms each to build and validate, and a report page draws one per behaviour plus two.
Figure = dict[str, Any]


def _frame(title: str, labels: Sequence[str]) -> dict[str, Any]:
    """The layout every report chart shares: wrapped title, height for its rows, margins."""
    heading = wrap_label(title, TITLE_WIDTH)
    extra = 26 * heading.count("<br>")
    height = 140 + max(48 * max(len(labels), 1), rows_height(list(labels)) + 12) + extra
    return {
        "title": {"text": heading},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 60 + extra, "b": 40},
        "legend": {"orientation": "h", "y": -0.15},
        # Automatic margins on both axes: plotly makes room for the longest (wrapped) label.
        "yaxis": {"autorange": "reversed", "automargin": True},
        "xaxis": {"automargin": True},
    }


def _plain_figure(
    traces: list[dict[str, Any]],
    title: str,
    labels: Sequence[str],
    x_axis: dict[str, Any],
    **layout: Any,
) -> Figure:
    frame = _frame(title, labels)
    frame["xaxis"].update(x_axis)
    return {"data": traces, "layout": {**frame, **layout}}


def _vertical_line(x: float, line: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": line,
    }


def levelled_chart(result: ParticipantResult) -> tuple[Figure, list[TableRow]]:
    """Self, line manager, others and target level per behaviour on a 1-4 axis."""
    behaviours = list(result["behaviours"].values())
    titles = _labels([b["title"] for b in behaviours])
    traces = [
        {
            "type": "scatter",
            "x": [b[key] for b in behaviours],
            "y": titles,
            "mode": "markers",
            "name": name,
            "marker": {"symbol": symbol, "size": 12, "color": colour},
        }
        for key, name, symbol, colour in MARKERS
    ]
    if any(b["target"] is not None for b in behaviours):
        traces.append(
            {
                "type": "scatter",
                "x": [b["target"] for b in behaviours],
                "y": titles,
                "mode": "markers",
                "name": "Target level",
                "marker": {"symbol": "line-ns-open", "size": 22, "color": "#d4351c"},
            }
        )
    rows = [
        {
            "behaviour": b["title"],
            "self": b["self"],
            "line_manager": b["line_manager"],
            "others": b["others"],
            "others_n": b["others_n"],
            "target": b["target"],
            "distance": b["distance"],
        }
        for b in behaviours
    ]
    return _plain_figure(traces, "Levels by behaviour", titles, LEVEL_AXIS), rows


def behaviour_chart(result: ParticipantResult, behaviour_id: str) -> tuple[Figure, list[TableRow]]:
    """One behaviour: each published group's mean level (with n), self and the target."""
    behaviour = result["behaviours"][behaviour_id]
    rows: list[TableRow] = [
        {
            "group": "Self",
            "n": 1 if behaviour["self"] is not None else 0,
            "mean": behaviour["self"],
            "sd": None,
            "not_observed_rate": None,
        }
    ]
    rows += [
        {
            "group": g["label"],
            "n": g["n"],
            "mean": g["mean"],
            "sd": g["sd"],
            "not_observed_rate": g["not_observed_rate"],
        }
        for g in behaviour["groups"].values()
    ]
    rows.append(
        {
            "group": "All raters except self",
            "n": behaviour["others_n"],
            "mean": behaviour["others"],
            "sd": behaviour["others_stats"]["sd"],
            "not_observed_rate": None,
        }
    )
    labels = _labels([f"{row['group']} (n={row['n']})" for row in rows])
    bars = {
        "type": "bar",
        "x": [row["mean"] for row in rows],
        "y": labels,
        "orientation": "h",
        "marker": {"color": "#1d70b8"},
        "name": "Mean level",
    }
    target = behaviour["target"]
    marks: dict[str, Any] = (
        {}
        if target is None
        else {
            "shapes": [_vertical_line(target, {"color": "#d4351c", "dash": "dash"})],
            "annotations": [
                {
                    "text": f"Target level {target}",
                    "showarrow": False,
                    "x": target,
                    "xref": "x",
                    "xanchor": "left",
                    "y": 1,
                    "yref": "y domain",
                    "yanchor": "top",
                }
            ],
        }
    )
    return _plain_figure(
        [bars], behaviour["title"], labels, {**LEVEL_AXIS, "range": [0, 4.5]}, **marks
    ), rows


def gap_chart(result: ParticipantResult) -> tuple[Figure, list[TableRow]]:
    """Self minus others per behaviour, marking blind spots and hidden strengths."""
    behaviours = [b for b in result["behaviours"].values() if b["gap"] is not None]
    colours = {"blind_spot": "#d4351c", "hidden_strength": "#00703c", None: "#505a5f"}
    labels = _labels([b["title"] for b in behaviours])
    bars = {
        "type": "bar",
        "x": [b["gap"] for b in behaviours],
        "y": labels,
        "orientation": "h",
        "name": "Self minus others",
        "marker": {"color": [colours[b["flag"]] for b in behaviours]},
        "text": [FLAG_TEXT[b["flag"]] for b in behaviours],
    }
    threshold = result.get("blind_spot_threshold", 0.5)
    edges = [
        _vertical_line(edge, {"color": "#b1b4b6", "dash": "dot"})
        for edge in (-threshold, threshold)
    ]
    axis = {
        "range": [-3.2, 3.2],
        "title": {"text": wrap_label("Self rating minus others' rating", AXIS_TITLE_WIDTH)},
    }
    rows = [
        {
            "behaviour": b["title"],
            "self": b["self"],
            "others": b["others"],
            "gap": b["gap"],
            "flag": FLAG_TEXT[b["flag"]] or None,
        }
        for b in behaviours
    ]
    return _plain_figure(
        [bars], "How your view compares with others'", labels, axis, shapes=edges
    ), rows


def heat_map_chart(
    cohort: CohortSummary, names: Mapping[str, str] | None = None, normalised: bool = False
) -> tuple[go.Figure, list[TableRow]]:
    """Participants x behaviours heat map; `names` maps ids to what may be shown (pseudonyms)."""
    grid = cohort["heat_map"]
    values: Sequence[Sequence[float | None]] = grid["normalised" if normalised else "raw"]
    people = [(names or {}).get(pid, pid) for pid in grid["participants"]]
    scale = (
        {"zmid": 0, "colorscale": "RdBu"}
        if normalised
        else {"zmin": 1, "zmax": 4, "colorscale": "Blues"}
    )
    # Behaviours down the side (their long titles wrap there), participants along the bottom.
    by_behaviour = [list(column) for column in zip(*values, strict=True)] if values else []
    labels = _labels(grid["titles"])
    fig = _figure(
        go.Heatmap(
            z=by_behaviour,
            x=people,
            y=labels,
            hoverongaps=False,
            colorbar={"thickness": 14, "title": {"text": "" if normalised else "Level"}},
            **scale,
        )
    )
    # Names stand upright under their columns: side by side they run together on a phone.
    fig.update_xaxes(tickangle=-90)
    rows = [
        {"participant": person, **dict(zip(grid["titles"], row, strict=True))}
        for person, row in zip(people, values, strict=True)
    ]
    title = (
        "Cohort: levels relative to each participant's own average"
        if normalised
        else "Cohort: others' mean level"
    )
    return _layout(fig, title, labels), rows
