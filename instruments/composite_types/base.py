"""What the composite types share: codes, the encodings of their values, the base class."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..model import Item
from ..types import AnswerSummary, QuestionType, SummaryTable

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


def code_problems(raw: Mapping[str, Any], key: str, what: str) -> list[tuple[str, str, str]]:
    return [
        (
            f"bad-{what}-code",
            f"{what} code '{entry['code']}' cannot be part of a column name",
            "use lower case letters, digits and underscores",
        )
        for entry in raw.get(key) or []
        if isinstance(entry, Mapping) and not CODE.match(str(entry.get("code", "")))
    ]


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(r) for r in rows)]


class CompositeType(QuestionType):
    """What the composite types share: parts, per-part messages and several export columns."""

    composite = True

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        raise NotImplementedError

    def export_columns(self, item: Item, values_seen: list[list[str]]) -> list[tuple[str, str]]:
        """(column suffix, column label) of this item's export columns."""
        raise NotImplementedError

    def export_cells(self, item: Item, values: list[str]) -> dict[str, str]:
        """One response's cells by column suffix."""
        raise NotImplementedError

    def column_label(self, item: Item, suffix: str) -> str:
        """The label of the export column '<id>.<suffix>' (with units where there are some)."""
        return dict(self.export_columns(item, [])).get(suffix, item.prompt)

    def column_options(self, item: Item, suffix: str) -> dict[str, str]:
        """Code -> label of a column holding option codes (empty for other columns)."""
        return {}

    def column_numeric(self, item: Item, suffix: str) -> bool:
        """Whether a column holds numbers."""
        return False

    def import_suffixes(self, item: Item) -> list[str]:
        """Every column suffix an import may fill."""
        return [suffix for suffix, _ in self.export_columns(item, [])]

    def parse_cells(self, item: Item, cells: Mapping[str, str]) -> list[str]:
        """Stored values from imported cells by column suffix; ValueError names the column."""
        raise NotImplementedError

    def parse_text(self, item: Item, text: str) -> list[str]:
        if not text.strip():
            return []
        raise ValueError(f"has a column per part: use columns named '{item.id}.<part>'")


def composite_type(item: Item) -> CompositeType:
    """The registered type of a composite item (TypeError for any other)."""
    from ..types import QUESTION_TYPES

    qtype = QUESTION_TYPES[item.type]
    if not isinstance(qtype, CompositeType):
        raise TypeError(f"'{item.id}' is not a composite question")
    return qtype


def percent(value: float | None) -> str:
    """A percentage as shown, '–' for none."""
    return "–" if value is None else f"{value:.1f}%"
