"""The grid: several rows answered on one shared scale, stored as "<row>=<option>"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wtforms import Field

from .. import composite_fields as fields
from ..model import Item
from ..types import AnswerSummary, SummaryTable, figure
from .base import CompositeType, code_problems, grid_answers, markdown_table


class Grid(CompositeType):
    name: str = "grid"
    description = "several rows answered on one shared scale (a table of radio buttons)"
    needs = ("rows", "options")
    coded = True
    required_message = "Select an answer for every row"
    instruction = "Choose one answer in each row."

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        return code_problems(raw, "rows", "row")

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
        return markdown_table(
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

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        counts = summary.get("row_counts", {})
        rows: list[list[str | int | float | None]] = []
        for row in item.rows:
            by_option = counts.get(row.code, {})
            answered = sum(by_option.values())
            cells = [
                f"{n} ({figure(100 * n / answered)}%)" if answered else "0"
                for n in (by_option.get(o.code, 0) for o in item.options)
            ]
            rows.append([row.label, *cells, answered])
        header = ["Row", *(o.label for o in item.options), "Answered this row"]
        return [{"title": item.prompt, "header": header, "rows": rows}]

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        return [(row.code, f"{item.prompt}: {row.label}") for row in item.rows]

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        return grid_answers(values)

    def column_options(self, item: Item, suffix: str) -> dict[str, str]:
        return dict(self.choices(item))

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
