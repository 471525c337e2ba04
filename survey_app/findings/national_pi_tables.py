"""The PI return's summary as findings tables (a table per tier and PI), and the table shape
every national template's tables share (survey_app/findings/national_tables.py)."""

from __future__ import annotations

import re
from typing import Any

from analysis.pi_return import Figure, PiSummary

SHEET = "summary"


def table(
    title: str, header: list, rows: list[list], key: str, note: str = "", text: bool = False
) -> dict[str, Any]:
    """A findings table (findings/exports.py's shape) on the Summary sheet, keyed national:…."""
    return {
        "sheet": SHEET,
        "title": title,
        "header": header,
        "rows": rows,
        "note": note,
        "key": f"national:{key}",
        "text": text,
    }


def pct(value: float | None) -> str:
    """A percentage as the findings tables write it."""
    return "–" if value is None else f"{value:.1f}%"


def number(value: float | None) -> Any:
    """A whole number without its '.0'; a dash when not given."""
    if value is None:
        return "–"
    return int(value) if float(value).is_integer() else value


def _of(label: str) -> str:
    """A row label inside a sentence: its number dropped, its first letter lower case."""
    text = re.sub(r"^\d+\.\s*", "", label)
    return text[:1].lower() + text[1:]


def _figure(figure: Figure, hidden: str) -> Any:
    if figure.hidden:
        return hidden
    if figure.percent is not None:
        return f"{number(figure.value)} ({pct(figure.percent)})"
    return number(figure.value)


def pi_tables(summary: PiSummary, hidden: str) -> list[dict[str, Any]]:
    """A table per tier and measure: regions (all regions last) by baseline, quarters, total."""
    tables = [
        table(
            "Returns by region",
            ["Region", "Returns"],
            [[region, n] for region, n in summary.returns.items()],
            "pi_returns",
            (
                "Where a region's returns disagree the figure is left out: "
                + "; ".join(summary.disagreements)
                + "."
            )
            if summary.disagreements
            else "",
        )
    ]
    for tier in summary.tiers:
        for measure in tier.measures:
            figures = [f for row in measure.figures.values() for f in row.values()]
            if all(f.value is None and not f.hidden for f in figures):
                continue  # no return gave this measure a figure
            note = (
                f"In brackets: percent of the {_of(measure.percent_of)}."
                if measure.percent_of
                else ""
            )
            if measure.counts_people and any(f.hidden for f in figures):
                note = (note + " " + summary.note).strip()
            tables.append(
                table(
                    f"{tier.title}: {measure.label}",
                    ["Region", *tier.columns.values()],
                    [
                        [region, *[_figure(row[c], hidden) for c in tier.columns]]
                        for region, row in measure.figures.items()
                    ],
                    f"{tier.item_id}:{measure.measure}",
                    note,
                )
            )
    return tables
