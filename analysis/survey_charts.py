"""Plotly bar charts of survey tallies, each with a plain table alternative for screen readers."""

from __future__ import annotations

from typing import TypedDict

import plotly.graph_objects as go

from .survey_results import ChartTally, Crosstab, SurveyTally, Tally
from .svg_charts import wrap_lines

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 4.5:1 contrast on white
LINE_HEIGHT = 18  # pixels a line of a 14px axis label needs
ROW_PADDING = 16
BASE_HEIGHT = 140
LABEL_WIDTH = 24  # characters a line of an axis label: leaves room for bars on a 360px screen
TITLE_WIDTH = 28  # characters a line of a chart title at 360px
AXIS_TITLE_WIDTH = 14  # an axis title is centred under the bars, which can be narrow


class TallyTable(TypedDict):
    """A question's tally as text cells: the table beside its chart."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    footer: list[str]


class CrosstabTable(TypedDict):
    """A cross-tabulation as text cells."""

    header: list[str]
    rows: list[list[str]]
    note: str


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """Break a long label over lines (plotly's <br>) so the axis stays readable on any screen."""
    return "<br>".join(wrap_lines(text, width))


def rows_height(wrapped: list[str]) -> int:
    """Pixels the bars need so that no wrapped label runs into the next one."""
    return sum(LINE_HEIGHT * (label.count("<br>") + 1) + ROW_PADDING for label in wrapped)


def tally_figure(question: Tally | ChartTally, title: str | None = None) -> go.Figure:
    """A horizontal bar per option of one question's tally, in form order, top to bottom."""
    labels = list(question["counts"])
    counts = [question["counts"][label] for label in labels]
    percents = [question["percent"][label] for label in labels]
    text = [
        f"{n} ({p}%)" if p is not None else str(n) for n, p in zip(counts, percents, strict=True)
    ]
    wrapped = [wrap_label(label) for label in labels]
    figure = go.Figure(
        go.Bar(
            x=counts,
            y=wrapped,
            orientation="h",
            text=text,
            textposition="auto",
            marker_color=BAR_COLOUR,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    answered, skipped = question["answered"], question["skipped"]
    heading = wrap_label(title or question.get("prompt", ""), TITLE_WIDTH)
    figure.update_layout(
        title=heading,
        height=BASE_HEIGHT + rows_height(wrapped) + 26 * heading.count("<br>"),
        xaxis={
            "title": {
                "text": wrap_label(
                    f"Respondents (answered {answered}, skipped {skipped})", AXIS_TITLE_WIDTH
                )
            },
            "automargin": True,
        },
        # Automatic margins: plotly widens the left margin to fit the longest (wrapped) answer.
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"l": 10, "r": 10, "t": 60 + 26 * heading.count("<br>"), "b": 50},
        plot_bgcolor="white",
        font={"family": "Arial, sans-serif", "size": 14},
    )
    return figure


def tally_figures(tally: SurveyTally) -> dict[str, go.Figure]:
    """One bar chart per closed question of a `tally_survey` result, by item id."""
    return {
        item_id: tally_figure(question)
        for item_id, question in tally["questions"].items()
        if "counts" in question
    }


def tally_table(question: Tally) -> TallyTable:
    """The same figures as a table: caption, header, a row per option, answered and skipped."""
    rows = [
        [label, str(n), _percent_text(question["percent"][label])]
        for label, n in question["counts"].items()
    ]
    return {
        "caption": question.get("prompt", ""),
        "header": ["Answer", "Number", "Percent of those who answered"],
        "rows": rows,
        "footer": [f"Answered: {question['answered']}", f"Skipped: {question['skipped']}"]
        + ([f"Not asked: {question['not_applicable']}"] if question.get("not_applicable") else []),
    }


def crosstab_table(table: Crosstab) -> CrosstabTable:
    """A cross-tabulation as text cells, hidden figures shown as 'fewer than k or hidden'."""
    hidden = f"[hidden: fewer than {table['threshold']} or protecting one]"

    def cell(value: int | None) -> str:
        return hidden if value is None else str(value)

    rows = [
        [row]
        + [cell(table["cells"][row][col]) for col in table["columns"]]
        + [cell(table["row_totals"][row])]
        for row in table["rows"]
    ]
    rows.append(
        ["Total"]
        + [cell(table["column_totals"][c]) for c in table["columns"]]
        + [cell(table["total"])]
    )
    return {"header": ["", *table["columns"], "Total"], "rows": rows, "note": table["note"]}


def _percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"
