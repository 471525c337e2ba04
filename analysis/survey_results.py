"""The shapes of the research-survey results analysis returns: findings pages read them by key.

TypedDicts, like the 360 results in `results`: at run time each is the plain, JSON-ready dict it
always was (`survey-app report --format json` prints them). A hidden figure is None.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired[...] at run time only
# from evaluated annotations (for __required_keys__).
from typing import NotRequired, TypedDict

from instruments.types import SummaryTable


class ChartTally(TypedDict):
    """Counts of answers as a bar chart takes them (a question's tally, or comments per theme)."""

    prompt: str
    answered: int
    skipped: int
    counts: dict[str, int]
    percent: dict[str, float | None]


class Tally(TypedDict):
    """`tallies.tally_item`: one question's answered, skipped and counts of those who answered."""

    prompt: str
    type: str
    answered: int
    skipped: int
    not_applicable: int
    counts: NotRequired[dict[str, int]]  # closed questions
    percent: NotRequired[dict[str, float | None]]
    mean: NotRequired[float | None]  # rating scales and numbers
    min: NotRequired[float | None]
    max: NotRequired[float | None]
    # numbers and the composite types: their summary as tables (question type's summary_tables)
    tables: NotRequired[list[SummaryTable]]


class GroupTally(TypedDict):
    """Respondents choosing any option of one of an item's declared option groups."""

    label: str
    item: str
    n: int
    percent: float | None


class TextTally(TypedDict):
    """How many answered a free-text question (its comments are themed elsewhere)."""

    prompt: str
    answered: int
    skipped: int
    not_applicable: int


class SurveyTally(TypedDict):
    """`tallies.tally_survey`: every closed and number question, option group and text item."""

    respondents: int
    questions: dict[str, Tally]
    groups: dict[str, GroupTally]
    text: dict[str, TextTally]


class Crosstab(TypedDict):
    """`crosstabs.crosstab`: row x column counts by option label, small cells hidden."""

    row_item: str
    col_item: str
    threshold: int
    rows: list[str]
    columns: list[str]
    cells: dict[str, dict[str, int | None]]
    flags: dict[str, dict[str, str]]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None
    excluded: int
    suppressed: int
    withheld: bool
    note: str


class HipoCell(TypedDict):
    """One capability x aspiration cell of the high-potential matrix."""

    n: int | None
    prompt: str
    flag: str | None


class HipoMatrix(TypedDict):
    """`skills_audit.hipo_matrix`: capability x aspiration counts with prompts."""

    rows: list[str]
    columns: list[str]
    cells: dict[str, dict[str, HipoCell]]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None
    unclassified: int
    threshold: int
    cut_points: str
    withheld: bool
    note: str


class AuditRow(TypedDict):
    """One group's row of the skills and talent audit summary."""

    group: str
    respondents: int | None
    hipo_organisational: int | None
    hipo_self: int | None
    interested: int | None
    upward: int | None
    lateral: int | None
    another_sector: int | None
    direction_not_given: int | None
    key_development_areas: list[str] | None
    development_opportunities: dict[str, int | None]
    reasons_not_advancing: dict[str, int | None]
    suppressed: list[str]


class AuditSummary(TypedDict):
    """`skills_audit.audit_summary`: the summary table by sub-region or organisation."""

    by: str
    threshold: int
    rows: list[AuditRow]
    note: str
