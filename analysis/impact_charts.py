"""The evaluation's chart: mean change per behaviour with its interval, beside a table."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from .impact import BeforeAfter
from .survey_charts import AXIS_TITLE_WIDTH, TITLE_WIDTH, rows_height, wrap_label


def change_chart(rows: Sequence[BeforeAfter]) -> tuple[go.Figure, list[dict[str, object]]]:
    """Mean change in others' level per behaviour with 95% intervals (shown figures only)."""
    shown = [row for row in rows if row.change.shown and row.change.low is not None]
    # A shown change has its value and both ends of its interval.
    spans = [
        (value, low, high)
        for row in shown
        if (value := row.change.value) is not None
        and (low := row.change.low) is not None
        and (high := row.change.high) is not None
    ]
    fig = go.Figure(layout={"template": go.layout.Template()})
    labels = [wrap_label(row.label) for row in shown]
    fig.add_trace(
        go.Scatter(
            x=[row.change.value for row in shown],
            y=labels,
            mode="markers",
            name="Mean change",
            marker={"size": 11, "color": "#00703c"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [high - value for value, _, high in spans],
                "arrayminus": [value - low for value, low, _ in spans],
            },
        )
    )
    fig.add_vline(x=0, line={"color": "#505a5f", "dash": "dot"})
    title = wrap_label("Change in others' level, before to after", TITLE_WIDTH)
    extra = 26 * title.count("<br>")
    fig.update_layout(
        title={"text": title},
        height=140 + max(48 * max(len(shown), 1), rows_height(labels) + 12) + extra,
        margin={"l": 10, "r": 10, "t": 60 + extra, "b": 40},
        showlegend=False,
    )
    fig.update_xaxes(
        title={"text": wrap_label("Change in level (95% interval)", AXIS_TITLE_WIDTH)},
        automargin=True,
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig, [
        {
            "behaviour": row.label,
            "n": row.change.n,
            "change": row.change.value,
            "low": row.change.low,
            "high": row.change.high,
        }
        for row in shown
    ]
