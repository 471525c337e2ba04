"""Jinja filters shared by every template."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from instruments import QUESTION_TYPES

from .charts.routes import chart_div
from .findings.exports import HIDDEN_MARK
from .inputs import shown_date
from .wording import counted


def format_date(value: date | datetime | None) -> str:
    """'25 November 2026' style dates, or an empty string."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B %Y')}"


def format_number(value: float | None, places: int = 1) -> str:
    """A rounded number for display, or an en dash when there is none."""
    if value is None:
        return "–"
    return f"{value:.{places}f}"


def register_filters(app: Flask) -> None:
    """Make the filters available to templates."""
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["num"] = format_number
    app.jinja_env.filters["counted"] = counted
    app.jinja_env.filters["shown_date"] = shown_date
    app.jinja_env.globals["chart"] = chart_div
    app.jinja_env.globals["hidden_mark"] = HIDDEN_MARK
    app.jinja_env.globals["question_types"] = QUESTION_TYPES
    app.jinja_env.globals["relationship_labels"] = _relationship_labels


def _relationship_labels(campaign) -> dict[str, str]:
    from .campaigns.tracking import relationship_labels

    return relationship_labels(campaign)
