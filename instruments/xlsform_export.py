"""Instrument data written as an XLSForm workbook that instruments/xlsform.py reads back unchanged.

Keys XLSForm has no column for are written in our extension columns (docs/instruments.md
"XLSForm"), and so is a number table, which XLSForm has no form for; a type with no form at
all in `XLSFORM_TYPES` is refused with its location.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from io import BytesIO
from typing import Any

from .loader import AUDIENCES, parse_instrument
from .model import LEVEL_CODES, NOT_OBSERVED
from .problems import InstrumentError, Problem
from .types import QUESTION_TYPES, XLSFORM_TYPES
from .xlsform_logic import (
    length_constraint_text,
    number_constraint_text,
    relevant_text,
)

Cells = dict[str, str]


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


class _Writer:
    """Builds the three sheets' rows from normalised instrument data."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.language = str(raw.get("language") or "")
        self.translations: Mapping[str, Any] = raw.get("translations") or {}
        self.survey: list[Cells] = []
        self.choices: list[Cells] = []
        self.lists: dict[str, str] = {}
        self.items: dict[str, Mapping[str, Any]] = {}
        self.problems: list[Problem] = []

    def column(self, base: str, language: str = "") -> str:
        """The column for `base` text in a language ('' = the default wording)."""
        language = language or self.language
        return f"{base}::{language}" if language else base

    def words(self, cells: Cells, base: str, text: object, translated: Mapping[str, Any]) -> None:
        """Put the default text and each language's text (by language) into the row."""
        if text:
            cells[self.column(base)] = str(text)
        for language, words in translated.items():
            if words:
                cells[self.column(base, language)] = str(words)

    def lang(self, *path: str) -> dict[str, Any]:
        """One piece of every translation, by language, following `path` (missing -> {})."""
        found = {}
        for language, entry in self.translations.items():
            for step in path:
                entry = entry.get(step) if isinstance(entry, Mapping) else None
            if entry is not None:
                found[language] = entry
        return found

    # -- sheets -----------------------------------------------------------------------------

    def write(self) -> None:
        """Fill the survey and choices rows."""
        if self.raw.get("description"):
            cells: Cells = {"type": "note", "name": "introduction"}
            self.words(cells, "label", self.raw["description"], self.lang("description"))
            self.survey.append(cells)
        for section in self.raw["sections"]:
            self.section(section)

    def section(self, section: Mapping[str, Any]) -> None:
        sid = section["id"]
        cells: Cells = {"type": "begin_group", "name": sid}
        self.words(cells, "label", section["title"], self.lang("sections", sid, "title"))
        if section.get("self_description"):
            cells["self_description"] = str(section["self_description"])
        if "behaviour" in section:
            cells["behaviour"] = _yes_no(section["behaviour"])
        self.survey.append(cells)
        if section.get("description"):
            note: Cells = {"type": "note", "name": f"{sid}_introduction"}
            translated = self.lang("sections", sid, "description")
            self.words(note, "label", section["description"], translated)
            self.survey.append(note)
        for item in section["items"]:
            self.item(item)
            self.items[item["id"]] = item
        self.survey.append({"type": "end_group", "name": sid})

    def item(self, item: Mapping[str, Any]) -> None:
        type_name = item["type"]
        if type_name not in XLSFORM_TYPES:
            self.problems.append(
                Problem(
                    "no-xlsform-form",
                    "<export>",
                    f"item '{item['id']}'",
                    f"a {type_name} item has no XLSForm equivalent",
                    "export this instrument as YAML instead",
                )
            )
            return
        word, appearance = XLSFORM_TYPES[type_name]
        if word == "begin_group" and appearance:
            self.grid(item, appearance)
        elif word == "begin_group":
            self.number_table(item)
        elif word == "begin_repeat":
            self.repeat(item)
        else:
            self.survey.append(self.question(item, self.lang("items", item["id"])))

    def common(self, item: Mapping[str, Any], translated: Mapping[str, Any]) -> Cells:
        """The cells every question row has: name, label, hint, required, relevant."""
        cells: Cells = {"name": item["id"]}
        prompts = {k: v.get("prompt") for k, v in translated.items()}
        self.words(cells, "label", item["prompt"], prompts)
        helps = {k: v.get("help") for k, v in translated.items()}
        self.words(cells, "hint", item.get("help"), helps)
        if "required" in item:
            cells["required"] = _yes_no(item["required"])
        condition = item.get("show_if")
        if condition:
            target = self.items.get(condition["item"], {})
            multiple = QUESTION_TYPES[target["type"]].multiple if target else False
            cells["relevant"] = relevant_text(condition["item"], condition["in"], multiple)
        return cells

    def question(self, item: Mapping[str, Any], translated: Mapping[str, Any]) -> Cells:
        """A question row (also a grid's or repeat's inner row)."""
        cells = self.common(item, translated)
        word, appearance = XLSFORM_TYPES[item["type"]]
        qtype = QUESTION_TYPES[item["type"]]
        if qtype.behaviour_facet:
            options = [
                {"code": c, "label": t} for c, t in zip(LEVEL_CODES, item["levels"], strict=True)
            ]
            levels = {k: v.get("levels") or [] for k, v in translated.items()}
            labels = {k: dict(zip(LEVEL_CODES, v, strict=False)) for k, v in levels.items()}
            if item.get("not_observed", True):
                options.append({"code": NOT_OBSERVED, "label": "Not observed"})
                for words in labels.values():
                    words[NOT_OBSERVED] = "Not observed"
            cells["question_type"] = item["type"]
        else:
            options = list(item.get("options") or [])
            labels = {k: v.get("options") or {} for k, v in translated.items()}
        if word.startswith("select"):
            word = f"{word} {self.choice_list(item['id'], options, labels)}"
        elif item.get("whole"):
            word = "integer"
        cells["type"] = word
        if appearance:
            cells["appearance"] = appearance
        constraint = number_constraint_text(item.get("minimum"), item.get("maximum"))
        constraint = constraint or length_constraint_text(item.get("max_length"))
        if constraint:
            cells["constraint"] = constraint
        self.extensions(item, cells)
        return cells

    def extensions(self, item: Mapping[str, Any], cells: Cells) -> None:
        """Our own columns for what XLSForm has no column for."""
        for key in ("self_prompt", "units", "percent_of", "max_rows"):
            if item.get(key) is not None:
                cells[key] = str(item[key])
        audience = item.get("audience")
        if audience and list(audience) != list(AUDIENCES):
            cells["audience"] = " ".join(audience)
        if "not_observed" in item and not QUESTION_TYPES[item["type"]].behaviour_facet:
            cells["not_observed"] = _yes_no(item["not_observed"])
        if item.get("groups"):
            cells["option_groups"] = json.dumps(item["groups"], ensure_ascii=False)

    def choice_list(
        self, item_id: str, options: list[dict[str, Any]], labels: Mapping[str, Any]
    ) -> str:
        """The list name for these options, reusing an identical list written before."""
        key = json.dumps([options, labels], sort_keys=True, ensure_ascii=False)
        if key not in self.lists:
            self.lists[key] = item_id
            for option in options:
                cells: Cells = {"list_name": item_id, "name": str(option["code"])}
                translated = {k: v.get(option["code"]) for k, v in labels.items()}
                self.words(cells, "label", option["label"], translated)
                self.choices.append(cells)
        return self.lists[key]

    def grid(self, item: Mapping[str, Any], appearance: str) -> None:
        translated = self.lang("items", item["id"])
        cells = self.common(item, translated)
        cells.pop("required", None)
        cells.update(type="begin_group", appearance=appearance)
        self.extensions(item, cells)
        self.survey.append(cells)
        labels = {k: v.get("options") or {} for k, v in translated.items()}
        list_name = self.choice_list(item["id"], list(item["options"]), labels)
        for row in item["rows"]:
            inner: Cells = {"type": f"select_one {list_name}", "name": row["code"]}
            rows = {k: (v.get("rows") or {}).get(row["code"]) for k, v in translated.items()}
            self.words(inner, "label", row["label"], rows)
            if item.get("required"):
                inner["required"] = "yes"
            self.survey.append(inner)
        self.survey.append({"type": "end_group", "name": item["id"]})

    def number_table(self, item: Mapping[str, Any]) -> None:
        translated = self.lang("items", item["id"])
        cells = self.common(item, translated)
        cells.update(type="begin_group", question_type=item["type"])
        labels = {k: v.get("columns") or {} for k, v in translated.items()}
        cells["table_columns"] = self.choice_list(item["id"], list(item["columns"]), labels)
        self.extensions(item, cells)
        self.survey.append(cells)
        word = "integer" if item.get("whole") else "decimal"
        constraint = number_constraint_text(item.get("minimum"), item.get("maximum"))
        for row in item["rows"]:
            inner: Cells = {"type": word, "name": row["code"]}
            rows = {k: (v.get("rows") or {}).get(row["code"]) for k, v in translated.items()}
            self.words(inner, "label", row["label"], rows)
            if constraint:
                inner["constraint"] = constraint
            self.survey.append(inner)
        self.survey.append({"type": "end_group", "name": item["id"]})

    def repeat(self, item: Mapping[str, Any]) -> None:
        translated = self.lang("items", item["id"])
        cells = self.common(item, translated)
        cells["type"] = "begin_repeat"
        self.extensions(item, cells)
        self.survey.append(cells)
        fields = {k: v.get("fields") or {} for k, v in translated.items()}
        for field in item["fields"]:
            words = {k: v.get(field["id"]) or {} for k, v in fields.items()}
            self.survey.append(self.question(field, words))
        self.survey.append({"type": "end_repeat", "name": item["id"]})

    def settings(self) -> Cells:
        raw = self.raw
        cells: Cells = {
            "form_title": str(raw["title"]),
            "form_id": str(raw["key"]),
            "version": str(raw["version"]),
            "kind": str(raw["kind"]),
        }
        if self.language:
            cells["default_language"] = self.language
        for language, title in self.lang("title").items():
            cells[f"form_title::{language}"] = str(title)
        for key in ("self_description", "estimated_minutes"):
            if key in raw:
                cells[key] = str(raw[key])
        if "settings" in raw:
            cells["instrument_settings"] = json.dumps(raw["settings"], ensure_ascii=False)
        if "crosstabs" in raw:
            cells["crosstabs"] = json.dumps(raw["crosstabs"], ensure_ascii=False)
        return cells


def _sheet(book: Any, name: str, rows: list[Cells], first: tuple[str, ...]) -> None:
    columns = list(first)
    for row in rows:
        columns += [c for c in row if c not in columns]
    sheet = book.create_sheet(name)
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])


def instrument_to_xlsform(data: Mapping[str, Any]) -> bytes:
    """An instrument as XLSForm workbook bytes; InstrumentError for what XLSForm cannot hold."""
    from openpyxl import Workbook  # heavy: loaded only when a workbook is made

    raw = parse_instrument(data, source=str(data.get("key", "<instrument>"))).raw
    writer = _Writer(raw)
    writer.write()
    if writer.problems:
        source = str(raw["key"])
        raise InstrumentError(
            [Problem(p.code, source, p.location, p.message, p.hint) for p in writer.problems]
        )
    book = Workbook()
    for blank in book.worksheets:
        book.remove(blank)
    label = writer.column("label")
    _sheet(book, "survey", writer.survey, ("type", "name", label))
    _sheet(book, "choices", writer.choices, ("list_name", "name", label))
    _sheet(book, "settings", [writer.settings()], ("form_title", "form_id", "version"))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
