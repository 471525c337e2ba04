"""The number table: rows x columns of numbers, "<row>.<column>=<number>", with percentages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from statistics import mean
from typing import Any

from wtforms import Field

from .. import composite_fields as fields
from ..model import Item
from ..types import (
    AnswerSummary,
    SummaryTable,
    figure,
    number_instruction,
    number_message,
    number_problems,
    parse_number,
)
from .base import CompositeType, code_problems, markdown_table, percent, table_cells


class NumberTable(CompositeType):
    name: str = "number_table"
    description = "rows x columns of numbers, with percentages of one row"
    needs = ("rows", "columns")
    allows = ("minimum", "maximum", "whole", "units", "percent_of")
    required_message = "Enter a number in every box"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        problems = code_problems(raw, "rows", "row") + code_problems(raw, "columns", "column")
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
        return number_message(item)

    def instructions(self, item: Item) -> list[str]:
        notes = [number_instruction(item) + " in each box."]
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
        return markdown_table(
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

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        cells = summary.get("cells", {})
        units = f" ({item.units})" if item.units else ""
        header = ["Row", *(c.label for c in item.columns)]

        def few(row: str, column: str) -> bool:
            return 0 < int(cells[row][column]["count"] or 0) < k

        def shown(row: str, column: str, key: str, places: int) -> str | None:
            return None if few(row, column) else figure(cells[row][column][key], places)

        def table(title: str, pick: Callable[[str, str], str | None]) -> SummaryTable:
            rows: list[list[str | int | float | None]] = [
                [row.label, *(pick(row.code, c.code) for c in item.columns)] for row in item.rows
            ]
            return {"title": title, "header": header, "rows": rows}

        tables = [
            table(f"{item.prompt}: totals{units}", lambda r, c: shown(r, c, "sum", 1)),
            table(f"{item.prompt}: means{units}", lambda r, c: shown(r, c, "mean", 2)),
            table(f"{item.prompt}: number answering", lambda r, c: str(cells[r][c]["count"])),
        ]
        percentages = summary.get("percentages")
        if percentages:
            rows: list[list[str | int | float | None]] = [
                [
                    row.label,
                    *(
                        None
                        if few(row.code, c.code) or few(item.percent_of, c.code)
                        else percent(percentages[row.code][c.code])
                        for c in item.columns
                    ),
                ]
                for row in item.rows
                if row.code in percentages
            ]
            tables.append(
                {
                    "title": f"{item.prompt}: as a percentage of "
                    f"'{item.row_label(item.percent_of)}'",
                    "header": header,
                    "rows": rows,
                }
            )
        return tables

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        units = f" ({item.units})" if item.units else ""
        return [
            (f"{row.code}.{column.code}", f"{item.prompt}: {row.label}, {column.label}{units}")
            for row in item.rows
            for column in item.columns
        ]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return {f"{row}.{column}": n for (row, column), n in table_cells(values).items()}

    def column_numeric(self, item: Item, suffix: str) -> bool:
        return True

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
