"""Plotly bar charts of survey tallies, each with a plain table alternative for screen readers."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 4.5:1 contrast on white
ROW_HEIGHT = 34
BASE_HEIGHT = 120


def _wrap(text: str, width: int = 40) -> str:
    """Break a long label over lines so the axis stays readable."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def tally_figure(question: dict[str, Any], title: str | None = None) -> go.Figure:
    """A horizontal bar per option of one question's tally, in form order, top to bottom."""
    labels = list(question["counts"])
    counts = [question["counts"][label] for label in labels]
    percents = [question["percent"][label] for label in labels]
    text = [f"{n} ({p}%)" if p is not None else str(n) for n, p in zip(counts, percents,
                                                                        strict=True)]
    figure = go.Figure(go.Bar(
        x=counts, y=[_wrap(label) for label in labels], orientation="h", text=text,
        textposition="auto", marker_color=BAR_COLOUR, hovertemplate="%{y}: %{text}<extra></extra>"))
    answered, skipped = question["answered"], question["skipped"]
    figure.update_layout(
        title=title or question.get("prompt", ""), height=BASE_HEIGHT + ROW_HEIGHT * len(labels),
        xaxis_title=f"Respondents (answered {answered}, skipped {skipped})",
        yaxis={"autorange": "reversed"}, margin={"l": 10, "r": 10, "t": 60, "b": 50},
        plot_bgcolor="white", font={"family": "Arial, sans-serif", "size": 14})
    return figure


def tally_figures(tally: dict[str, Any]) -> dict[str, go.Figure]:
    """One bar chart per closed question of a `tally_survey` result, by item id."""
    return {item_id: tally_figure(question) for item_id, question in tally["questions"].items()
            if "counts" in question}


def tally_table(question: dict[str, Any]) -> dict[str, Any]:
    """The same figures as a table: caption, header, a row per option, answered and skipped."""
    rows = [[label, str(n), _percent_text(question["percent"][label])]
            for label, n in question["counts"].items()]
    return {
        "caption": question.get("prompt", ""),
        "header": ["Answer", "Number", "Percent of those who answered"],
        "rows": rows,
        "footer": [f"Answered: {question['answered']}", f"Skipped: {question['skipped']}"]
        + ([f"Not asked: {question['not_applicable']}"] if question.get("not_applicable")
           else []),
    }


def crosstab_table(table: dict[str, Any]) -> dict[str, Any]:
    """A cross-tabulation as text cells, hidden figures shown as 'fewer than k or hidden'."""
    hidden = f"[hidden: fewer than {table['threshold']} or protecting one]"

    def cell(value):
        return hidden if value is None else str(value)

    rows = [[row] + [cell(table["cells"][row][col]) for col in table["columns"]]
            + [cell(table["row_totals"][row])] for row in table["rows"]]
    rows.append(["Total"] + [cell(table["column_totals"][c]) for c in table["columns"]]
                + [cell(table["total"])])
    return {"header": ["", *table["columns"], "Total"], "rows": rows, "note": table["note"]}


def _percent_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"
