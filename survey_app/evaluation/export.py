"""The evaluation's figures as one flat table (CSV, JSON) or a printable page (PDF), for the page
and `survey-app evaluation export` alike."""

from __future__ import annotations

from flask import render_template

from analysis.impact import Figure
from analysis.print_charts import change_svg

from ..campaigns.csvfiles import write_csv
from .services import STAGE_LABELS, CohortEvaluation, evaluates

COLUMNS = [
    "level",
    "measure",
    "group",
    "n",
    "n_before",
    "value",
    "low",
    "high",
    "count",
    "of",
    "shown",
]


def _row(level: str, measure: str, group: str, figure: Figure) -> dict:
    def rounded(value):
        return None if value is None else round(value, 4)

    return {
        "level": level,
        "measure": measure,
        "group": group,
        "n": figure.n,
        "n_before": figure.of if figure.kind == "change" else None,
        "value": rounded(figure.value),
        "low": rounded(figure.low),
        "high": rounded(figure.high),
        "count": figure.count,
        "of": figure.of if figure.kind == "share" else None,
        "shown": figure.shown,
    }


def figure_rows(evaluation: CohortEvaluation) -> list[dict]:
    """Every figure of the four levels, withheld ones with value blank and shown false."""
    rows = []
    for module in [
        *evaluation.reaction,
        *([evaluation.reaction_all] if evaluation.reaction_all else []),
    ]:
        for figure in (module.relevance, module.quality, module.recommend):
            rows.append(_row("1 reaction", figure.label, module.title, figure))
    for level, items in (
        ("2 learning", evaluation.learning),
        ("3 behaviour", evaluation.behaviour),
    ):
        for item in items:
            for figure in (item.before, item.after, item.change):
                rows.append(_row(level, f"{item.label}: {figure.label.lower()}", "", figure))
    rows.append(_row("3 behaviour", evaluation.goals.label, "", evaluation.goals))
    for result in [evaluation.results, *evaluation.results_by_role]:
        for figure in (result.stepped_up, result.interim):
            row = _row("4 results", figure.label, result.starting_role, figure)
            if not result.shown:
                row["n"] = None  # a withheld group's size is withheld too
            rows.append(row)
    return rows


def evaluation_csv(evaluation: CohortEvaluation) -> str:
    """The figures table as CSV."""
    return write_csv(COLUMNS, figure_rows(evaluation))


def evaluation_json(evaluation: CohortEvaluation) -> dict:
    """The figures table with the cohort and k, JSON-ready."""
    return {
        "cohort": {"id": evaluation.cohort.id, "title": evaluation.cohort.title},
        "k": evaluation.k,
        "participants_with_before_and_after": evaluation.pairs,
        "questionnaires": [c.title for c in evaluation.questionnaires],
        "figures": figure_rows(evaluation),
    }


def evaluation_pdf_html(found: CohortEvaluation) -> str:
    """The evaluation as the HTML its PDF is printed from: the change chart as SVG, every table."""
    return render_template(
        "evaluation/evaluation_pdf.html",
        e=found,
        pdf=True,
        print_chart=change_svg(found.behaviour),
        stages=STAGE_LABELS,
        evaluates=evaluates,
    )
