"""Rows inside a table-list group (a grid) or a repeat, and where a question row goes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import LEVEL_CODES
from .xlsform_items import Entry, QuestionReader
from .xlsform_logic import yes_no
from .xlsform_sheets import Row

if TYPE_CHECKING:
    from .xlsform_survey import Block


class BlockReader(QuestionReader):
    """Question rows: into the section, a grid's rows or a repeat's fields."""

    def _question(self, row: Row, word: str, rest: str) -> None:
        top = self._top()
        if top and top.kind == "table":
            self._grid_row(top, row, word, rest)
            return
        if top and top.kind == "repeat":
            self._field(top, row, word, rest)
            return
        if top and top.kind == "numbers":
            self._number_row(top, row, word)
            return
        typed = self._typed(row, word, rest)
        item = self._item_start(row, "")
        if typed is None or item is None:
            return
        item.update(typed)
        self._typed_translations(row, word, rest, item)
        self._section()["items"].append(item)

    def _typed_translations(self, row: Row, word: str, rest: str, item: dict[str, Any]) -> None:
        entry = self.c.item_translation
        for language, options in self._option_translations(rest).items():
            if "levels" in item:
                entry(language, item["id"])["levels"] = [options[c] for c in LEVEL_CODES]
            elif "options" in item:
                entry(language, item["id"])["options"] = options

    # -- inside grids and repeats -----------------------------------------------------------

    def _grid_row(self, block: Block, row: Row, word: str, rest: str) -> None:
        grid = block.target
        list_name = rest.partition(" ")[0]
        if word != "select_one" or list_name not in self.choices:
            self.c.add(
                "bad-grid-row",
                row.where("type"),
                "every question of a table-list group must be select_one with a list",
                "move other questions out of the group",
            )
            return
        if grid.setdefault("_list", list_name) != list_name:
            self.c.add(
                "bad-grid-row",
                row.where("type"),
                f"this row uses list '{list_name}'; the grid's first row used '{grid['_list']}'",
                "give every row of a table-list group the same list",
            )
            return
        for column in ("relevant", "constraint"):
            if row.get(column):
                self.c.add(
                    "unsupported-column",
                    row.where(column),
                    f"'{column}' on a row of a table-list group is not supported",
                    "put a relevant on the group instead, or remove it",
                )
        code = self._name(row, grid.setdefault("_names", {}))
        if not code:
            return
        grid["rows"].append({"code": code, "label": self._label(row)})
        grid.setdefault("_required", []).append(yes_no(row.get("required")) is True)
        for language, text in self._translated_label(row).items():
            entry = self.c.item_translation(language, grid["id"])
            entry.setdefault("rows", {})[code] = text

    def end_grid(self, block: Block) -> None:
        """Finish a grid at its end_group: its options, and required when every row is."""
        grid = block.target
        list_name = grid.pop("_list", "")
        grid.pop("_names", None)
        required = grid.pop("_required", [])
        if not grid["rows"]:
            self.c.add(
                "empty-grid",
                block.row.where("type"),
                "this table-list group has no select_one rows",
                "add a select_one row per grid row",
            )
            return
        grid["options"] = self.list_options(list_name)
        for language, options in self._option_translations(list_name).items():
            self.c.item_translation(language, grid["id"])["options"] = options
        if all(required):
            grid["required"] = True
        elif any(required):
            self.c.add(
                "mixed-required",
                block.row.where("type"),
                "some rows of this table-list group are required and some are not",
                "make every row required, or none",
            )

    def _field(self, block: Block, row: Row, word: str, rest: str) -> None:
        repeat = block.target
        appearance = row.get("appearance").casefold().split()
        if word == "select_multiple" or (word == "text" and "multiline" in appearance):
            self.c.add(
                "bad-repeat-field",
                row.where("type"),
                f"'{row.get('type')}' is not supported inside a repeat",
                "use select_one, text (without multiline), integer or decimal",
            )
            return
        if row.get("relevant"):
            self.c.add(
                "unsupported-relevant",
                row.where("relevant"),
                "'relevant' inside a repeat is not supported",
                "remove it: every field of a row is shown",
            )
        typed = self._typed(row, word, rest)
        field_id = self._name(row, repeat.setdefault("_names", {}))
        if typed is None or not field_id:
            return
        fields_of: Entry = lambda language: (  # noqa: E731 -- a one-line lookup
            self.c.item_translation(language, repeat["id"])
            .setdefault("fields", {})
            .setdefault(field_id, {})
        )
        field: dict[str, Any] = {
            "id": field_id,
            "type": typed.pop("type"),
            "prompt": self._label(row),
        }
        self._words(row, fields_of)
        if self.c.languages.text(row, "hint"):
            field["help"] = self.c.languages.text(row, "hint")
        self._required(row, field)
        field.update(typed)
        for language, options in self._option_translations(rest).items():
            fields_of(language)["options"] = options
        repeat["fields"].append(field)

    def _number_row(self, block: Block, row: Row, word: str) -> None:
        table = block.target
        if word not in ("integer", "decimal"):
            self.c.add(
                "bad-table-row",
                row.where("type"),
                "every row of a number table must be integer or decimal",
                "move other questions out of the group",
            )
            return
        if row.get("relevant"):
            self.c.add(
                "unsupported-column",
                row.where("relevant"),
                "'relevant' on a row of a number table is not supported",
                "put a relevant on the group instead, or remove it",
            )
        typed = self._typed(row, word, "")
        code = self._name(row, table.setdefault("_names", {}))
        if typed is None or not code:
            return
        typed.pop("type")
        table.setdefault("_limits", []).append((row, typed))
        table["rows"].append({"code": code, "label": self._label(row)})
        for language, text in self._translated_label(row).items():
            self.c.item_translation(language, table["id"]).setdefault("rows", {})[code] = text

    def end_numbers(self, block: Block) -> None:
        """Finish a number table: its limits, which every row must share."""
        table = block.target
        limits = table.pop("_limits", [])
        if not table["rows"]:
            self.c.add(
                "empty-table",
                block.row.where("type"),
                "this number table has no integer or decimal rows",
                "add one row per row of the table",
            )
            return
        first = limits[0][1]
        for row, other in limits[1:]:
            if other != first:
                self.c.add(
                    "mixed-limits",
                    row.where("constraint"),
                    "this row's type or constraint differs from the table's first row",
                    "every row of a number table has the same type and constraint",
                )
        table.update(first)
