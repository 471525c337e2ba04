"""WTForms fields of the composite question types, reading the request's `q_<id>-<part>` names.

Each part of a composite answer is an input of its own: a grid's row `q_<id>-<row>`, a number
table's cell `q_<id>-<row>-<column>`, a repeating row's field `q_<id>-<n>-<field>` (codes hold
no '-', so the names cannot be confused). The field turns those inputs into the stored values
and keeps each problem with the part it belongs to, so the page can say which row is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wtforms import Field
from wtforms.utils import unset_value

from . import types as registry
from .model import Item

# Rows shown before anything is given, and never fewer blank rows than this after the last.
FIRST_ROWS = 3
BLANK_ROWS = 1


def _sentence(message: str) -> str:
    """'Enter an answer' as the end of 'Row 2, Post title: enter an answer'."""
    return message[:1].lower() + message[1:]


class PartsField(Field):
    """A field whose answer is several named inputs; `part_errors` maps an input id to a message."""

    def __init__(
        self, label: str | None = None, validators: Any = None, item: Item | None = None, **kw: Any
    ) -> None:
        super().__init__(label, validators, **kw)
        if item is None:
            raise TypeError("a composite field needs its item")
        self.item = item
        self.texts: dict[str, str] = {}
        self.part_errors: dict[str, str] = {}

    def part_name(self, *parts: object) -> str:
        """The input name of one part."""
        return "-".join([self.name, *map(str, parts)])

    def part_id(self, *parts: object) -> str:
        """The input id of one part (the first part's input has the field's own id)."""
        return "-".join([self.id, *map(str, parts)])

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        self.texts = {}
        prefix = self.name + "-"
        if formdata is not None:
            for key in formdata:
                if key.startswith(prefix):
                    self.texts[key[len(prefix) :]] = str(formdata.get(key) or "")
        self.raw_data = [text for text in self.texts.values() if text.strip()]
        self.part_errors = {}
        self.data = self.parse()

    def parse(self) -> list[str]:
        """The stored values of the posted parts, recording a message for each bad one."""
        raise NotImplementedError

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if not validation_stopped:
            self.errors = [*self.errors, *self.part_errors.values()]

    @property
    def error_links(self) -> list[tuple[str, str]]:
        """(message, input id) of each part's problem, for the error summary."""
        return [(message, part) for part, message in self.part_errors.items()]

    def error_for(self, part_id: str) -> str:
        """The message of one input, or ''."""
        return self.part_errors.get(part_id, "")

    def text(self, *parts: object) -> str:
        """What was typed or chosen in one part, to show it back."""
        return self.texts.get("-".join(map(str, parts)), "").strip()


class GridField(PartsField):
    """One radio group per row: `q_<id>-<row>` holds the chosen option's code."""

    def parse(self) -> list[str]:
        codes = {option.code for option in self.item.options}
        values = []
        for index, row in enumerate(self.item.rows):
            chosen = self.text(row.code)
            if chosen in codes:
                values.append(f"{row.code}={chosen}")
            elif chosen:
                # Kept under the row's first radio, where the error summary's link lands.
                self.part_errors[self.option_id(index, 0)] = (
                    f"{row.label}: select one of the options shown"
                )
        return values

    def option_id(self, row_index: int, option_index: int) -> str:
        """The id of one radio; the very first is the field's id, so error links land on it."""
        if row_index == 0 and option_index == 0:
            return self.id
        return self.part_id(self.item.rows[row_index].code, option_index + 1)


class NumberTableField(PartsField):
    """One box per cell: `q_<id>-<row>-<column>` holds a number."""

    def __init__(self, *args: Any, message: str = "Enter a number", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.message = message

    def parse(self) -> list[str]:
        values = []
        for row in self.item.rows:
            for column in self.item.columns:
                text = self.text(row.code, column.code)
                if not text:
                    continue
                try:
                    number = registry.parse_number(self.item, text)
                except ValueError:
                    self.part_errors[self.cell_id(row.code, column.code)] = (
                        f"{row.label}, {column.label}: {_sentence(self.message)}"
                    )
                    continue
                values.append(f"{row.code}.{column.code}={number}")
        return values

    def cell_id(self, row: str, column: str) -> str:
        """The id of one box; the first is the field's id."""
        first = (self.item.rows[0].code, self.item.columns[0].code)
        return self.id if (row, column) == first else self.part_id(row, column)


class RepeatingRowsField(PartsField):
    """Numbered rows of fields, `q_<id>-<n>-<field>`; blank rows are dropped.

    `q_<id>-shown` says how many rows the page showed, and the "Add another row" button
    (`q_<id>-add`) asks for one more: the page is saved and shown again with a blank row added.
    """

    def __init__(self, *args: Any, most: int = 20, **kw: Any) -> None:
        self.most = most
        self.rows: list[dict[str, str]] = []
        self.adding_row = False
        self.shown = 0
        super().__init__(*args, **kw)

    def parse(self) -> list[str]:
        from .composite_types import encode_row

        numbers = sorted({int(k.split("-")[0]) for k in self.texts if k.split("-")[0].isdigit()})
        given = []
        for n in numbers:
            row = {f.id: self.text(n, f.id) for f in self.item.fields}
            if any(row.values()):
                given.append(row)
        if len(given) > self.most:
            self.process_errors = [f"Give at most {self.most} rows"]
        self.rows = given[: self.most]
        self.adding_row = "add" in self.texts
        shown = self.texts.get("shown", "")
        self.shown = int(shown) if shown.isdigit() else 0
        return [encode_row(self.item, self._row_values(n, row)) for n, row in self._numbered()]

    def _numbered(self) -> list[tuple[int, dict[str, str]]]:
        return list(enumerate(self.rows, 1))

    def _row_values(self, n: int, row: Mapping[str, str]) -> dict[str, str]:
        values = {}
        for field in self.item.fields:
            qtype = registry.QUESTION_TYPES[field.type]
            text = row.get(field.id, "")
            where = f"Row {n}, {field.prompt}"
            if not text:
                if field.required:
                    self.part_errors[self.cell_id(n, field.id)] = (
                        f"{where}: {_sentence(qtype.required_message)}"
                    )
                continue
            try:
                values[field.id] = qtype.parse_text(field, text)[0]
            except ValueError:
                self.part_errors[self.cell_id(n, field.id)] = (
                    f"{where}: {_sentence(qtype.error_message(field))}"
                )
        return values

    def cell_id(self, n: int, field_id: str) -> str:
        """The id of one row's field; row 1's first field has the field's id."""
        return (
            self.id if (n, field_id) == (1, self.item.fields[0].id) else self.part_id(n, field_id)
        )

    def display_rows(self) -> list[tuple[int, dict[str, str]]]:
        """The rows to show: those given so far, then blank ones (one more after "Add")."""
        total = max(len(self.rows) + BLANK_ROWS, FIRST_ROWS if not self.rows else 0)
        if self.adding_row:
            total = max(total, self.shown + 1)
        total = min(total, self.most)
        blanks: list[tuple[int, dict[str, str]]] = [
            (n, {}) for n in range(len(self.rows) + 1, total + 1)
        ]
        return self._numbered() + blanks

    @property
    def can_add(self) -> bool:
        """Whether another row may be added."""
        return len(self.display_rows()) < self.most
