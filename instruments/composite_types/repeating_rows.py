"""Repeating rows: rows of the same fields the respondent adds, one JSON object per row."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wtforms import Field

from .. import composite_fields as fields
from ..model import Item
from ..types import AnswerSummary, SummaryTable
from .base import (
    DEFAULT_MAX_ROWS,
    MOST_ROWS,
    PRINTED_ROWS,
    CompositeType,
    encode_row,
    markdown_table,
    percent,
    row_objects,
)


class RepeatingRows(CompositeType):
    name: str = "repeating_rows"
    description = "rows of the same fields that the respondent adds, one per thing listed"
    needs = ("fields",)
    allows = ("max_rows",)
    required_message = "Fill in at least one row"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        from ..types import QUESTION_TYPES

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
        from ..types import QUESTION_TYPES

        notes = [f"One row each, up to {self.most_rows(item)} rows."]
        for field in item.fields:
            choices = QUESTION_TYPES[field.type].choices(field) if field.options else []
            if choices:
                notes.append(f"{field.prompt}: " + " / ".join(label for _, label in choices) + ".")
        return notes

    def answer_lines(
        self, item: Item, level_labels: list[str], named: Callable[[str], str]
    ) -> list[str]:
        header = ["Row", *(named(f.prompt) for f in item.fields)]
        rows = [[str(n)] + [" "] * len(item.fields) for n in range(1, PRINTED_ROWS + 1)]
        return markdown_table(header, rows)

    def answer_text(self, item: Item, values: list[str]) -> str:
        """Saved rows as the person gave them."""
        from ..types import QUESTION_TYPES

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
        from ..types import QUESTION_TYPES

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

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        from ..types import QUESTION_TYPES

        tables: list[SummaryTable] = [
            {
                "title": item.prompt,
                "header": ["Figure", "Number"],
                "rows": [
                    ["Respondents who gave rows", summary["answered"]],
                    ["Rows given", summary.get("row_count", 0)],
                ],
            }
        ]
        for field in item.fields:
            field_summary = summary.get("fields", {}).get(field.id)
            if field_summary is None:
                continue
            qtype = QUESTION_TYPES[field.type]
            title = f"{item.prompt}: {field.prompt}"
            if "counts" in field_summary:
                given = field_summary["answered"]
                rows: list[list[str | int | float | None]] = [
                    [label, n, percent(100 * n / given if given else None)]
                    for (code, label), n in zip(
                        qtype.choices(field), field_summary["counts"].values(), strict=True
                    )
                ]
                header = ["Answer", "Rows", "Percent of rows answering"]
                tables.append({"title": title, "header": header, "rows": rows})
            for part in qtype.summary_tables(field, field_summary, k):
                tables.append({**part, "title": title})
            if qtype.is_free_text:
                rows = [["Rows answering", field_summary["answered"]]]
                tables.append({"title": title, "header": ["Figure", "Number"], "rows": rows})
        return tables

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        most = max((len(row_objects(v)) for v in values_seen), default=0)
        return [
            (f"{n}.{field.id}", self.column_label(item, f"{n}.{field.id}"))
            for n in range(1, most + 1)
            for field in item.fields
        ]

    def _field_of(self, item: Item, suffix: str) -> Item | None:
        field_id = suffix.partition(".")[2]
        return next((f for f in item.fields if f.id == field_id), None)

    def column_label(self, item: Item, suffix: str) -> str:
        number, _, _ = suffix.partition(".")
        field = self._field_of(item, suffix)
        if field is None:
            return item.prompt
        units = f" ({field.units})" if field.units else ""
        return f"{item.prompt}: row {number}, {field.prompt}{units}"

    def column_options(self, item: Item, suffix: str) -> dict[str, str]:
        from ..types import QUESTION_TYPES

        field = self._field_of(item, suffix)
        if field is None or not QUESTION_TYPES[field.type].coded:
            return {}
        return dict(QUESTION_TYPES[field.type].choices(field))

    def column_numeric(self, item: Item, suffix: str) -> bool:
        from ..types import QUESTION_TYPES

        field = self._field_of(item, suffix)
        return field is not None and (
            QUESTION_TYPES[field.type].numeric or QUESTION_TYPES[field.type].scored
        )

    def import_suffixes(self, item: Item) -> list[str]:
        return [
            f"{n}.{field.id}" for n in range(1, self.most_rows(item) + 1) for field in item.fields
        ]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return {
            f"{n}.{key}": value
            for n, row in enumerate(row_objects(values), 1)
            for key, value in row.items()
        }

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        from ..types import QUESTION_TYPES

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
