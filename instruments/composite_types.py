"""Question types whose answer has several parts: a grid, a number table and repeating rows.

Answers are stored as a list of strings per item, so each part is encoded in its value:
a grid "<row>=<option>", a number table "<row>.<column>=<number>", repeating rows one compact
JSON object per row. Each type here owns its definition checks, field, summary, printed form
and export columns, as the simple types in `types` do; `QUESTION_TYPES` registers them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from statistics import mean
from typing import Any

from wtforms import Field

from . import composite_fields as fields
from .model import Item
from .types import AnswerSummary, QuestionType, _plain_number, number_problems, parse_number

CODE = re.compile(r"^[a-z0-9][a-z0-9_]{0,62}$")
DEFAULT_MAX_ROWS = 20
MOST_ROWS = 50
PRINTED_ROWS = 5


def split_pair(value: str, sep: str = "=") -> tuple[str, str]:
    """'<key><sep><rest>' as (key, rest); ('', value) when there is no separator."""
    key, found, rest = value.partition(sep)
    return (key, rest) if found else ("", value)


def grid_answers(values: list[str]) -> dict[str, str]:
    """A grid's stored values as {row: option}."""
    return dict(split_pair(v) for v in values if "=" in v)


def table_cells(values: list[str]) -> dict[tuple[str, str], str]:
    """A number table's stored values as {(row, column): number}."""
    cells = {}
    for value in values:
        where, number = split_pair(value)
        row, column = split_pair(where, ".")
        if row:
            cells[(row, column)] = number
    return cells


def row_objects(values: list[str]) -> list[dict[str, str]]:
    """Repeating rows' stored values as one {field: value} per row (unreadable ones dropped)."""
    rows = []
    for value in values:
        try:
            row = json.loads(value)
        except ValueError:
            continue
        if isinstance(row, dict):
            rows.append({str(k): str(v) for k, v in row.items()})
    return rows


def encode_row(item: Item, row: Mapping[str, str]) -> str:
    """One repeating row as stored: keys in field order, compact JSON."""
    ordered = {f.id: row[f.id] for f in item.fields if row.get(f.id, "") != ""}
    return json.dumps(ordered, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


def _code_problems(raw: Mapping[str, Any], key: str, what: str) -> list[tuple[str, str, str]]:
    return [
        (
            f"bad-{what}-code",
            f"{what} code '{entry['code']}' cannot be part of a column name",
            "use lower case letters, digits and underscores",
        )
        for entry in raw.get(key) or []
        if isinstance(entry, Mapping) and not CODE.match(str(entry.get("code", "")))
    ]


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in rows)]


class CompositeType(QuestionType):
    """What the composite types share: parts, per-part messages and several export columns."""

    composite = True

    def partial_summary(self) -> str:
        """The template showing this type's summary on a findings page."""
        return f"findings/types/{self.name}.html"

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        """(column suffix, column label) of this item's export columns."""
        raise NotImplementedError

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        """One response's cells by column suffix."""
        raise NotImplementedError

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        """Stored values from imported cells by column suffix; ValueError names the column."""
        raise NotImplementedError


class Grid(CompositeType):
    name: str = "grid"
    description = "several rows answered on one shared scale (a table of radio buttons)"
    needs = ("rows", "options")
    coded = True
    required_message = "Select an answer for every row"
    instruction = "Choose one answer in each row."

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        return _code_problems(raw, "rows", "row")

    def field(self, item: Item, label: str) -> Field:
        return fields.GridField(label, item=item)

    def error_message(self, item: Item) -> str:
        return "Select one of the options shown in each row"

    def form_pairs(self, item: Item, values: list[str]) -> list[tuple[str, str]]:
        return [(f"{item.field_name}-{r}", o) for r, o in grid_answers(values).items()]

    def missing(self, item: Item, values: list[str]) -> list[str]:
        answered = grid_answers(values)
        return [f"{row.label}: select an answer" for row in item.rows if row.code not in answered]

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        header = ["", *(named(o.label) for o in item.options)]
        return _markdown_table(
            header, [[named(r.label)] + ["☐"] * len(item.options) for r in item.rows]
        )

    def answer_text(self, item: Item, values: list[str]) -> str:
        """Saved values as the person chose them."""
        answered = grid_answers(values)
        return "; ".join(
            f"{row.label}: {item.option_label(answered[row.code])}"
            for row in item.rows
            if row.code in answered
        )

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        by_row = [grid_answers(a) for a in answers]
        answered = [a for a in by_row if a]
        rows = {
            row.code: {
                option.code: sum(1 for a in answered if a.get(row.code) == option.code)
                for option in item.options
            }
            for row in item.rows
        }
        return {
            "answered": len(answered),
            "skipped": len(answers) - len(answered),
            "row_counts": rows,
        }

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        return [(row.code, f"{item.prompt}: {row.label}") for row in item.rows]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return grid_answers(values)

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        values = []
        for row in item.rows:
            text = cells.get(row.code, "").strip()
            if text:
                try:
                    values.append(f"{row.code}={self._match_choice(item, text)}")
                except ValueError as error:
                    raise ValueError(f"{row.label}: {error}") from None
        return values


class NumberTable(CompositeType):
    name: str = "number_table"
    description = "rows x columns of numbers, with percentages of one row"
    needs = ("rows", "columns")
    allows = ("minimum", "maximum", "whole", "units", "percent_of")
    numeric = True
    required_message = "Enter a number in every box"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        problems = _code_problems(raw, "rows", "row") + _code_problems(raw, "columns", "column")
        problems += number_problems(raw)
        percent_of = raw.get("percent_of")
        codes = [r.get("code") for r in raw.get("rows") or [] if isinstance(r, Mapping)]
        if percent_of is not None and str(percent_of) not in codes:
            problems.append(
                (
                    "unknown-percent-of",
                    f"percent_of names '{percent_of}', which is not one of the rows",
                    f"name the row that is the denominator: one of {', '.join(map(str, codes))}",
                )
            )
        return problems

    def field(self, item: Item, label: str) -> Field:
        return fields.NumberTableField(label, item=item, message=self.error_message(item))

    def error_message(self, item: Item) -> str:
        return _number_message(item)

    def instructions(self, item: Item) -> list[str]:
        notes = [_number_instruction(item) + " in each box."]
        if item.percent_of:
            notes.append(f"Percentages of '{item.row_label(item.percent_of)}' are worked out.")
        return notes

    def form_pairs(self, item: Item, values: list[str]) -> list[tuple[str, str]]:
        return [(f"{item.field_name}-{r}-{c}", n) for (r, c), n in table_cells(values).items()]

    def missing(self, item: Item, values: list[str]) -> list[str]:
        cells = table_cells(values)
        return [
            f"{row.label}, {column.label}: enter a number"
            for row in item.rows
            for column in item.columns
            if (row.code, column.code) not in cells
        ]

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        header = ["", *(named(c.label) for c in item.columns)]
        return _markdown_table(
            header, [[named(r.label)] + [" "] * len(item.columns) for r in item.rows]
        )

    def answer_text(self, item: Item, values: list[str]) -> str:
        """Saved values as the person gave them."""
        units = f" {item.units}" if item.units else ""
        return "; ".join(
            f"{item.row_label(row)}, {item.column_label(column)}: {number}{units}"
            for (row, column), number in table_cells(values).items()
        )

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        tables = [table_cells(a) for a in answers]
        answered = [t for t in tables if t]
        cells: dict[str, dict[str, dict[str, float | int | None]]] = {}
        for row in item.rows:
            cells[row.code] = {}
            for column in item.columns:
                numbers = [
                    float(t[(row.code, column.code)])
                    for t in answered
                    if (row.code, column.code) in t
                ]
                cells[row.code][column.code] = {
                    "count": len(numbers),
                    "sum": sum(numbers) if numbers else None,
                    "mean": mean(numbers) if numbers else None,
                }
        summary: AnswerSummary = {
            "answered": len(answered),
            "skipped": len(answers) - len(answered),
            "cells": cells,
            "units": item.units,
        }
        if item.percent_of:
            summary["percentages"] = _percentages(item, cells)
        return summary

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        units = f" ({item.units})" if item.units else ""
        return [
            (f"{row.code}.{column.code}", f"{item.prompt}: {row.label}, {column.label}{units}")
            for row in item.rows
            for column in item.columns
        ]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return {f"{row}.{column}": n for (row, column), n in table_cells(values).items()}

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        values = []
        for row in item.rows:
            for column in item.columns:
                text = cells.get(f"{row.code}.{column.code}", "").strip()
                if text:
                    try:
                        number = parse_number(item, text)
                    except ValueError as error:
                        raise ValueError(f"{row.label}, {column.label}: {error}") from None
                    values.append(f"{row.code}.{column.code}={number}")
        return values


def _percentages(
    item: Item, cells: Mapping[str, Mapping[str, Mapping[str, float | int | None]]]
) -> dict[str, dict[str, float | None]]:
    """Each other row's total as a percentage of the `percent_of` row's, per column."""
    found: dict[str, dict[str, float | None]] = {}
    for row in item.rows:
        if row.code == item.percent_of:
            continue
        found[row.code] = {}
        for column in item.columns:
            part = cells[row.code][column.code]["sum"]
            whole = cells[item.percent_of][column.code]["sum"]
            found[row.code][column.code] = (
                round(100 * float(part) / float(whole), 1) if part is not None and whole else None
            )
    return found


def _number_message(item: Item) -> str:
    kind = "a whole number" if item.whole else "a number"
    low, high = _plain_number(item.minimum), _plain_number(item.maximum)
    if low is not None and high is not None:
        return f"Enter {kind} between {low} and {high}"
    if low is not None:
        return f"Enter {kind} of {low} or more"
    if high is not None:
        return f"Enter {kind} of {high} or less"
    return f"Enter {kind}, like 12" + ("" if item.whole else " or 3.5")


def _number_instruction(item: Item) -> str:
    kind = "A whole number" if item.whole else "A number"
    low, high = _plain_number(item.minimum), _plain_number(item.maximum)
    units = f" ({item.units})" if item.units else ""
    if low is not None and high is not None:
        return f"{kind}{units} from {low} to {high}"
    if low is not None:
        return f"{kind}{units} of at least {low}"
    if high is not None:
        return f"{kind}{units} no more than {high}"
    return f"{kind}{units}"


class RepeatingRows(CompositeType):
    name: str = "repeating_rows"
    description = "rows of the same fields that the respondent adds, one per thing listed"
    needs = ("fields",)
    allows = ("max_rows",)
    required_message = "Fill in at least one row"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        from .types import QUESTION_TYPES

        problems = []
        ids = [str(f.get("id")) for f in raw.get("fields") or [] if isinstance(f, Mapping)]
        for field in raw.get("fields") or []:
            qtype = QUESTION_TYPES.get(str(field.get("type")))
            if qtype is self:
                problems.append(
                    (
                        "nested-repeat",
                        f"field '{field.get('id')}' repeats rows inside repeating rows",
                        "make it an item of its own, after this one, with its own fields",
                    )
                )
            elif qtype is not None and not qtype.repeatable:
                allowed = ", ".join(n for n, t in QUESTION_TYPES.items() if t.repeatable)
                problems.append(
                    (
                        "field-type-unsupported",
                        f"field '{field.get('id')}' is a {qtype.name}, which a row cannot hold",
                        f"use one of {allowed}",
                    )
                )
            if field.get("show_if") is not None:
                problems.append(
                    (
                        "field-condition",
                        f"field '{field.get('id')}' has show_if, which rows do not support",
                        "remove it; the respondent leaves the field blank instead",
                    )
                )
        for field_id in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(
                ("duplicate-field", f"field id '{field_id}' is used twice", "rename one of them")
            )
        most = raw.get("max_rows", DEFAULT_MAX_ROWS)
        if isinstance(most, bool) or not (isinstance(most, int) and 1 <= most <= MOST_ROWS):
            problems.append(
                (
                    "bad-max-rows",
                    f"max_rows must be a whole number from 1 to {MOST_ROWS}",
                    f"e.g. 'max_rows: 30' (the default is {DEFAULT_MAX_ROWS})",
                )
            )
        return problems

    def most_rows(self, item: Item) -> int:
        """The most rows one respondent may give."""
        return item.max_rows or DEFAULT_MAX_ROWS

    def field(self, item: Item, label: str) -> Field:
        return fields.RepeatingRowsField(label, item=item, most=self.most_rows(item))

    def form_pairs(self, item: Item, values: list[str]) -> list[tuple[str, str]]:
        return [
            (f"{item.field_name}-{n}-{key}", value)
            for n, row in enumerate(row_objects(values), 1)
            for key, value in row.items()
        ]

    def error_message(self, item: Item) -> str:
        return "Check the rows marked"

    def instructions(self, item: Item) -> list[str]:
        return [f"One row each, up to {self.most_rows(item)} rows."]

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        header = ["Row", *(named(f.prompt) for f in item.fields)]
        rows = [[str(n)] + [" "] * len(item.fields) for n in range(1, PRINTED_ROWS + 1)]
        return _markdown_table(header, rows)

    def answer_text(self, item: Item, values: list[str]) -> str:
        """Saved rows as the person gave them."""
        from .types import QUESTION_TYPES

        lines = []
        for row in row_objects(values):
            parts = []
            for field in item.fields:
                if field.id in row:
                    labels = dict(QUESTION_TYPES[field.type].choices(field))
                    parts.append(f"{field.prompt}: {labels.get(row[field.id], row[field.id])}")
            lines.append(", ".join(parts))
        return "; ".join(lines)

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        from .types import QUESTION_TYPES

        per_person = [row_objects(a) for a in answers]
        rows = [row for person in per_person for row in person]
        answered = sum(1 for person in per_person if person)
        return {
            "answered": answered,
            "skipped": len(answers) - answered,
            "row_count": len(rows),
            "fields": {
                field.id: QUESTION_TYPES[field.type].summarise(
                    field, [[row[field.id]] if field.id in row else [] for row in rows]
                )
                for field in item.fields
            },
        }

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        most = max((len(row_objects(v)) for v in values_seen), default=0)
        return [
            (f"{n}.{field.id}", f"{item.prompt}: row {n}, {field.prompt}")
            for n in range(1, most + 1)
            for field in item.fields
        ]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return {
            f"{n}.{key}": value
            for n, row in enumerate(row_objects(values), 1)
            for key, value in row.items()
        }

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        from .types import QUESTION_TYPES

        numbers = sorted({int(k.split(".")[0]) for k in cells if k.split(".")[0].isdigit()})
        values = []
        for n in numbers:
            row: dict[str, str] = {}
            for field in item.fields:
                text = cells.get(f"{n}.{field.id}", "").strip()
                if not text:
                    continue
                try:
                    parsed = QUESTION_TYPES[field.type].parse_text(field, text)
                except ValueError as error:
                    raise ValueError(f"row {n}, {field.prompt}: {error}") from None
                row[field.id] = parsed[0]
            if row:
                values.append(encode_row(item, row))
        if len(values) > self.most_rows(item):
            raise ValueError(f"has {len(values)} rows; at most {self.most_rows(item)} are allowed")
        return values
