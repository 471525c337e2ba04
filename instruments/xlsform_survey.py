"""Walking an XLSForm's survey sheet: groups become sections, rows become items."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .types import from_xlsform
from .xlsform_blocks import BlockReader
from .xlsform_items import MEDIA
from .xlsform_logic import yes_no
from .xlsform_sheets import Row, Sheet, language_key

if TYPE_CHECKING:
    from .xlsform import Converter

# Two-word spellings the specification accepts, and pyxform's short forms.
TYPE_ALIASES = {
    "begin group": "begin_group",
    "end group": "end_group",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
    "select one": "select_one",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "int": "integer",
    "string": "text",
    "datetime": "dateTime",
}
LOCATION = "ask for a place name or postcode with a text question instead"
FROM_FILE = "copy the choices into the choices sheet and use select_one LIST instead"
UNSUPPORTED = {
    "calculate": "compute it after export instead",
    "geopoint": LOCATION,
    "geotrace": LOCATION,
    "geoshape": LOCATION,
    "start-geopoint": LOCATION,
    "image": MEDIA,
    "audio": MEDIA,
    "video": MEDIA,
    "file": MEDIA,
    "background-audio": MEDIA,
    "barcode": "ask for the code with a text question instead",
    "range": "use select_one with appearance likert (a rating scale), or an integer "
    "with a constraint, instead",
    "rank": "ask select_multiple, or one select_one per position, instead",
    "date": "ask a text question whose hint gives the format instead",
    "time": "ask a text question whose hint gives the format instead",
    "dateTime": "ask a text question whose hint gives the format instead",
    "acknowledge": "use a select_one with a single choice instead",
    "trigger": "use a select_one with a single choice instead",
    "hidden": "leave it out: hidden values are not stored",
    "select_one_from_file": FROM_FILE,
    "select_multiple_from_file": FROM_FILE,
    "select_one_external": FROM_FILE,
    "xml-external": "leave it out: external data files are not read",
    "csv-external": "leave it out: external data files are not read",
}
# Metadata a phone collects; the platform records its own submission times, so they are skipped.
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "phonenumber",
    "username",
    "email",
    "simserial",
    "subscriberid",
    "audit",
}
# Columns whose behaviour the model does not have: refused when a cell is filled.
REFUSED_COLUMNS = {
    "choice_filter": "list only the choices that apply, or ask separate questions instead",
    "calculation": "compute it after export instead",
    "default": "leave it empty: answers start blank",
    "read_only": "leave it empty: every question can be answered",
    "repeat_count": "leave it empty: respondents add up to max_rows rows",
    "trigger": "leave it empty",
    "parameters": "leave it empty",
}


@dataclass
class Block:
    """An open begin_group or begin_repeat and what it became."""

    kind: str  # section, flat, table (a grid), numbers (a number table), repeat, skip
    row: Row
    word: str  # begin_group or begin_repeat
    target: dict[str, Any] = field(default_factory=dict)


# Longest first, so "select one" is tried before "select".
_ALIASES_LONGEST_FIRST = sorted(TYPE_ALIASES.items(), key=lambda pair: -len(pair[0]))


def split_type(text: str) -> tuple[str, str]:
    """('select_one', 'colours') from 'select one colours'."""
    text = " ".join(text.split())
    lowered = text.casefold()
    for alias, word in _ALIASES_LONGEST_FIRST:
        if lowered == alias or lowered.startswith(alias + " "):
            return word, text[len(alias) :].strip()
    word, _, rest = text.partition(" ")
    return (word if word == "dateTime" else word.casefold()), rest.strip()


class SurveyWalker(BlockReader):
    """Reads the survey sheet top to bottom, keeping a stack of open groups and repeats."""

    def __init__(self, converter: Converter, choices: dict[str, list[tuple[Row, str]]]):
        self.c = converter
        self.choices = choices
        self.sections: list[dict[str, Any]] = []
        self.description: list[str] = []
        self.stack: list[Block] = []
        self.names: dict[str, Row] = {}
        self.reported_choices: set[tuple[int, str]] = set()

    # -- the walk ---------------------------------------------------------------------------

    def walk(self, sheet: Sheet) -> list[dict[str, Any]]:
        """The sections of the form, in order."""
        for row in sheet.rows:
            text = row.get("type")
            if not text:
                if row.get("name") or self.c.languages.text(row, "label"):
                    self.c.add(
                        "missing-type",
                        row.where("type"),
                        "this row has no type",
                        "write a type such as text, integer or select_one LIST",
                    )
                continue
            word, rest = split_type(text)
            if self.stack and self.stack[-1].kind == "skip":
                if word in ("begin_group", "begin_repeat"):
                    self.stack.append(Block("skip", row, word))
                elif word in ("end_group", "end_repeat"):
                    self.stack.pop()
                continue
            self._row(row, word, rest)
        for block in self.stack:
            end = block.word.replace("begin", "end")
            self.c.add(
                "unclosed-group",
                block.row.where("type"),
                f"this {block.word} is never closed",
                f"add an {end} row after its last question",
            )
        for section in self.sections:
            section.pop("implicit", None)
        return self.sections

    def _row(self, row: Row, word: str, rest: str) -> None:
        if word in METADATA:
            return
        if word in UNSUPPORTED:
            self.c.add(
                "unsupported-type",
                row.where("type"),
                f"'{row.get('type')}' is not supported",
                UNSUPPORTED[word],
            )
            return
        handlers: dict[str, Callable[[Row, str], None]] = {
            "begin_group": self._begin_group,
            "end_group": self._end,
            "begin_repeat": self._begin_repeat,
            "end_repeat": self._end,
            "note": self._note,
        }
        if word in handlers:
            if word.startswith("begin"):
                self._refused_columns(row)
            handlers[word](row, word)
            return
        if word not in ("select_one", "select_multiple", "text", "integer", "decimal"):
            self.c.add(
                "unknown-type",
                row.where("type"),
                f"'{row.get('type')}' is not an XLSForm question type this product reads",
                "use select_one, select_multiple, text, integer, decimal or note",
            )
            return
        self._refused_columns(row)
        self._question(row, word, rest)

    def _refused_columns(self, row: Row) -> None:
        for column, hint in REFUSED_COLUMNS.items():
            if row.get(column):
                self.c.add(
                    "unsupported-column",
                    row.where(column),
                    f"'{column}' is not supported",
                    hint,
                )
        for column in row.cells:
            if column.split("::")[0] in ("image", "audio", "video", "media"):
                self.c.add(
                    "unsupported-column", row.where(column), "media are not supported", MEDIA
                )

    # -- groups and repeats -----------------------------------------------------------------

    def _top(self) -> Block | None:
        return self.stack[-1] if self.stack else None

    def _section(self) -> dict[str, Any]:
        """The section a question at this point belongs to (a new one outside any group)."""
        for block in reversed(self.stack):
            if block.kind == "section":
                return block.target
        if not self.sections or not self.sections[-1].get("implicit"):
            number = len(self.sections) + 1
            self.sections.append(
                {"id": f"section_{number}", "title": self.c.title, "items": [], "implicit": True}
            )
        return self.sections[-1]

    def _begin_group(self, row: Row, word: str) -> None:
        top = self._top()
        appearance = row.get("appearance").casefold().split()
        if top and top.kind in ("repeat", "table", "numbers"):
            self._refuse_block(row, word, f"a group inside a {top.word}")
        elif top is None:
            self._begin_section(row, word)
        elif row.get("question_type"):
            self._begin_numbers(row, word)
        elif "table-list" in appearance:
            self._begin_grid(row, word)
        else:
            if row.get("relevant"):
                self.c.add(
                    "unsupported-relevant",
                    row.where("relevant"),
                    "'relevant' on a group inside a group is not supported",
                    "put the condition on each question of the group",
                )
            # A group inside a section only arranges questions: they join the section.
            self.stack.append(Block("flat", row, word))

    def _refuse_block(self, row: Row, word: str, what: str) -> None:
        end = word.replace("begin", "end")
        self.c.add(
            "unsupported-nesting",
            row.where("type"),
            f"{what} is not supported",
            f"close the enclosing block first, or move these rows out of it (to the {end})",
        )
        self.stack.append(Block("skip", row, word))

    def _begin_section(self, row: Row, word: str) -> None:
        section_id = self._name(row, self.c.section_rows)
        if row.get("relevant"):
            self.c.add(
                "unsupported-relevant",
                row.where("relevant"),
                "'relevant' on a section (a top-level group) is not supported",
                "put the condition on each question of the group",
            )
        section_id = section_id or f"section_{len(self.sections) + 1}"
        # ODK tools allow a group without a label (it only pages questions): its name, in words,
        # is the page's title here, in every language.
        unlabelled = not self.c.languages.text(row, "label")
        title = _name_in_words(section_id) if unlabelled else self._label(row)
        section: dict[str, Any] = {"id": section_id, "title": title, "items": []}
        if row.get("self_description"):
            section["self_description"] = row.get("self_description")
        behaviour = yes_no(row.get("behaviour")) if row.get("behaviour") else None
        if behaviour is not None:
            section["behaviour"] = behaviour
        if unlabelled:
            for suffix in self.c.languages.others:
                self.c.section_translation(language_key(suffix), section_id)["title"] = title
        for language, text in self._translated_label(row).items():
            self.c.section_translation(language, section["id"])["title"] = text
        self.sections.append(section)
        self.c.rows.setdefault(section["id"], row)
        self.stack.append(Block("section", row, word, section))

    def _begin_grid(self, row: Row, word: str) -> None:
        item = self._item_start(row, from_xlsform("begin_group", "table-list"))
        if item is None:
            self.stack.append(Block("skip", row, word))
            return
        if not item["type"]:
            self._refuse_block(row, word, "a table-list group (a grid)")
            return
        item.update(rows=[], options=[])
        self._section()["items"].append(item)
        self.stack.append(Block("table", row, word, item))

    def _begin_numbers(self, row: Row, word: str) -> None:
        item = self._item_start(row, row.get("question_type"))
        if item is None or not self.marked(row, word):
            self.stack.append(Block("skip", row, word))
            return
        list_name = row.get("table_columns")
        if list_name not in self.choices:
            self.c.add(
                "unknown-list",
                row.where("table_columns"),
                f"no choices have list_name '{list_name}'",
                "name the choices list that holds the table's columns",
            )
            self.stack.append(Block("skip", row, word))
            return
        item["rows"] = []
        item["columns"] = self.list_options(list_name)
        for language, labels in self._option_translations(list_name).items():
            self.c.item_translation(language, item["id"])["columns"] = labels
        self._section()["items"].append(item)
        self.stack.append(Block("numbers", row, word, item))

    def _begin_repeat(self, row: Row, word: str) -> None:
        top = self._top()
        if any(block.kind == "repeat" for block in self.stack):
            self._refuse_block(row, word, "a repeat inside a repeat")
            return
        if top and top.kind in ("table", "numbers"):
            self._refuse_block(row, word, "a repeat inside a grid or number table")
            return
        item = self._item_start(row, from_xlsform("begin_repeat"))
        if item is None:
            self.stack.append(Block("skip", row, word))
            return
        if not item["type"]:
            self._refuse_block(row, word, "a repeat")
            return
        item["fields"] = []
        if row.get("max_rows"):
            text = row.get("max_rows")
            item["max_rows"] = int(text) if text.isdigit() else text
        self._section()["items"].append(item)
        self.stack.append(Block("repeat", row, word, item))

    def _end(self, row: Row, word: str) -> None:
        if not self.stack:
            self.c.add(
                "unopened-group",
                row.where("type"),
                f"this {word} has no {word.replace('end', 'begin')} before it",
                "remove it, or add the begin row where the block starts",
            )
            return
        block = self.stack[-1]
        if block.word.replace("begin", "end") != word:
            # Left open: the matching end further down still closes it.
            self.c.add(
                "mismatched-end",
                row.where("type"),
                f"this {word} would close the {block.word} of row {block.row.number}",
                f"write {block.word.replace('begin', 'end')} here, or remove this row",
            )
            return
        self.stack.pop()
        if block.kind == "table":
            self.end_grid(block)
        if block.kind == "numbers":
            self.end_numbers(block)
        block.target.pop("_names", None)

    def _note(self, row: Row, word: str) -> None:
        top = self._top()
        if row.get("relevant"):
            self.c.add(
                "unsupported-relevant",
                row.where("relevant"),
                "'relevant' on a note is not supported",
                "leave the note always shown, or remove it",
            )
        if top and top.kind in ("repeat", "table", "numbers"):
            self.c.add(
                "unsupported-note",
                row.where("type"),
                f"a note inside a {top.word} is not supported",
                "put the text in the hint of the repeat or group instead",
            )
            return
        text = self._label(row)
        if top is None and not (self.sections and self.sections[-1].get("implicit")):
            self.description.append(text)
            # A note's translation is optional: the default wording stands in for it.
            for language, words in self.c.languages.translated(row, "label").items():
                entry = self.c.translations.setdefault(language, {})
                entry["description"] = "\n\n".join(filter(None, [entry.get("description"), words]))
            return
        section = self._section()
        section["description"] = "\n\n".join(filter(None, [section.get("description"), text]))
        for language, words in self.c.languages.translated(row, "label").items():
            entry = self.c.section_translation(language, section["id"])
            entry["description"] = "\n\n".join(filter(None, [entry.get("description"), words]))


def _name_in_words(name: str) -> str:
    """'about_you' -> 'About you': a group's name as a page title."""
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else name
