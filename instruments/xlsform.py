"""An XLSForm workbook (survey, choices and settings sheets) converted to instrument data.

The mapping, what is refused and why, is in docs/instruments.md "XLSForm". Every problem is
located by sheet, row and (where one cell is meant) column, and says what to do instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from .loader import ID_PATTERN, parse_instrument, slug
from .model import Instrument
from .problems import InstrumentError, Problem
from .xlsform_sheets import Row, Sheet, language_key, read_workbook
from .xlsform_survey import SurveyWalker


class Languages:
    """Which label columns hold the wording and which hold translations."""

    def __init__(self, sheets: Mapping[str, Sheet], default_language: str) -> None:
        columns = [c for s in sheets.values() for c in s.columns]
        suffixes = []
        for column in columns:
            base, sep, suffix = column.partition("::")
            if sep and base in ("label", "hint") and suffix not in suffixes:
                suffixes.append(suffix)
        self.plain = "label" in columns
        wanted = language_key(default_language) if default_language else ""
        chosen = next((s for s in suffixes if language_key(s) == wanted), None)
        if self.plain or not suffixes:
            self.wording: str | None = None
            self.language = wanted if chosen is None else ""
        else:
            self.wording = chosen or suffixes[0]
            self.language = language_key(self.wording)
        self.others = [s for s in suffixes if s != self.wording]
        self.conflict = self.plain and chosen is not None

    def column(self, base: str, suffix: str | None) -> str:
        """The column holding `base` text ('label', 'hint') in one language."""
        return base if suffix is None else f"{base}::{suffix}"

    def text(self, row: Row, base: str) -> str:
        """A cell's wording in the default language."""
        return row.get(self.column(base, self.wording))

    def translated(self, row: Row, base: str) -> dict[str, str]:
        """The cell in each other language, by language key (blank cells left out)."""
        found = {}
        for suffix in self.others:
            text = row.get(self.column(base, suffix))
            if text:
                found[language_key(suffix)] = text
        return found


class Converter:
    """Turns the sheets into instrument data, collecting every problem with its place."""

    def __init__(self, source: str, sheets: Mapping[str, Sheet]) -> None:
        self.source = source
        self.sheets = sheets
        self.problems: list[Problem] = []
        # Where each item and section came from, to place the loader's own problems.
        self.rows: dict[str, Row] = {}
        self.section_rows: dict[str, Row] = {}
        self.title = ""
        settings = sheets.get("settings")
        self.settings_row = settings.rows[0] if settings and settings.rows else None
        self.languages = Languages(sheets, self.setting("default_language"))
        self.translations: dict[str, dict[str, Any]] = {
            language_key(s): {} for s in self.languages.others
        }

    def add(self, code: str, location: str, message: str, hint: str = "") -> None:
        """Record one problem."""
        self.problems.append(Problem(code, self.source, location, message, hint))

    def setting(self, column: str) -> str:
        """A cell of the settings sheet's first row ('' when absent)."""
        return self.settings_row.get(column) if self.settings_row else ""

    def convert(self) -> dict[str, Any]:
        """The instrument data (check `problems` before using it)."""
        if "survey" not in self.sheets:
            self.add(
                "no-survey-sheet",
                "file",
                "the workbook has no sheet named 'survey'",
                "an XLSForm needs a survey sheet (and a choices sheet for select questions)",
            )
            return {}
        if self.languages.conflict:
            self.add(
                "language-columns",
                "sheet survey, row 1",
                "there is a plain 'label' column and 'label::' columns, and default_language "
                "names one of the latter",
                "give every label column a language, e.g. label::English (en)",
            )
        data = self._top()
        self.title = data["title"]
        walker = SurveyWalker(self, self._choices())
        data["sections"] = walker.walk(self.sheets["survey"])
        if walker.description:
            data["description"] = "\n\n".join(walker.description)
        if self.languages.language:
            data["language"] = self.languages.language
        if self.translations:
            data["translations"] = self.translations
        return data

    def _top(self) -> dict[str, Any]:
        where = self.settings_row.where if self.settings_row else (lambda column="": "file")
        stem = PurePath(self.source).stem
        key = slug(self.setting("form_id") or stem)
        if not ID_PATTERN.match(key):
            key = f"form_{key}"[:63]
        data: dict[str, Any] = {
            "key": key,
            "title": self.setting("form_title") or self.setting("form_id") or stem,
            "kind": self.setting("kind") or "survey",
        }
        version = self.setting("version") or "1"
        if version.isdigit() and int(version) > 0:
            data["version"] = int(version)
        else:
            self.add(
                "bad-version",
                where("version"),
                f"version '{version}' is not a whole number above 0",
                "use a whole number such as 1 or 2024010101",
            )
        for column, translated in (("form_title", "title"), ("description", "description")):
            for language, text in self._setting_translations(column).items():
                self.translations.setdefault(language, {})[translated] = text
        if self.setting("self_description"):
            data["self_description"] = self.setting("self_description")
        minutes = self.setting("estimated_minutes")
        if minutes:
            data["estimated_minutes"] = int(minutes) if minutes.isdigit() else minutes
        for column, key_name in (("instrument_settings", "settings"), ("crosstabs", "crosstabs")):
            text = self.setting(column)
            if text:
                try:
                    data[key_name] = json.loads(text)
                except ValueError:
                    self.add(
                        "bad-json",
                        where(column),
                        f"the {column} column is not valid JSON",
                        'write it as the exporter does, e.g. {"anonymity_threshold": 3}',
                    )
        return data

    def _setting_translations(self, column: str) -> dict[str, str]:
        if not self.settings_row:
            return {}
        return {
            language_key(suffix): self.settings_row.get(f"{column}::{suffix}")
            for suffix in self.languages.others
            if self.settings_row.get(f"{column}::{suffix}")
        }

    def _choices(self) -> dict[str, list[tuple[Row, str]]]:
        sheet = self.sheets.get("choices")
        lists: dict[str, list[tuple[Row, str]]] = {}
        for row in sheet.rows if sheet else ():
            list_name, code = row.get("list_name"), row.get("name")
            if not list_name:
                self.add(
                    "missing-list-name",
                    row.where("list_name"),
                    "this choice has no list_name",
                    "write the name of its list (the word after select_one) in list_name",
                )
                continue
            if not code:
                self.add(
                    "missing-name",
                    row.where("name"),
                    "this choice has no name",
                    "give it a name: the code stored when it is chosen",
                )
                continue
            if not self.languages.text(row, "label"):
                self.add(
                    "missing-label",
                    row.where(self.languages.column("label", self.languages.wording)),
                    f"choice '{code}' has no label",
                    "write the text respondents see",
                )
            earlier = [r for r, c in lists.get(list_name, []) if c == code]
            if earlier:
                self.add(
                    "duplicate-name",
                    row.where("name"),
                    f"list '{list_name}' has choice '{code}' twice (first in row "
                    f"{earlier[0].number})",
                    "give each choice of a list a different name",
                )
                continue
            lists.setdefault(list_name, []).append((row, code))
        return lists

    def item_translation(self, language: str, item_id: str) -> dict[str, Any]:
        """The translation entry of an item in one language, made on first use."""
        items = self.translations.setdefault(language, {}).setdefault("items", {})
        entry: dict[str, Any] = items.setdefault(item_id, {})
        return entry

    def section_translation(self, language: str, section_id: str) -> dict[str, Any]:
        """The translation entry of a section in one language, made on first use."""
        sections = self.translations.setdefault(language, {}).setdefault("sections", {})
        entry: dict[str, Any] = sections.setdefault(section_id, {})
        return entry

    def relocate(self, problem: Problem) -> Problem:
        """A loader problem placed on the sheet row its item or section came from."""
        match = re.match(r"^(?:item|section) '([^']+)'", problem.location)
        row = self.rows.get(match[1]) if match else None
        if row is not None:
            location = f"{row.where()} ({problem.location})"
        elif self.settings_row and re.match(
            r"^(top level|key|version|kind|title|"
            r"estimated_minutes|settings|crosstabs)",
            problem.location,
        ):
            location = f"{self.settings_row.where()} ({problem.location})"
        else:
            location = problem.location
        return Problem(problem.code, problem.source, location, problem.message, problem.hint)


def _convert(content: bytes, source: str) -> tuple[Converter, dict[str, Any]]:
    converter = Converter(source, read_workbook(content, source))
    data = converter.convert()
    if converter.problems:
        raise InstrumentError(converter.problems)
    return converter, data


def xlsform_data(content: bytes, source: str) -> dict[str, Any]:
    """Instrument data read from an XLSForm; InstrumentError lists every located problem."""
    return _convert(content, source)[1]


def parse_xlsform(content: bytes, source: str) -> Instrument:
    """A validated instrument from an XLSForm, the loader's problems placed on sheet rows."""
    converter, data = _convert(content, source)
    try:
        return parse_instrument(data, source=source)
    except InstrumentError as error:
        raise InstrumentError([converter.relocate(p) for p in error.problems]) from None
