"""Reading one question row of an XLSForm survey sheet: its type, wording, logic and limits."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .loader import ID_PATTERN
from .model import LEVEL_CODES, NOT_OBSERVED
from .types import QUESTION_TYPES, XLSFORM_MARKED, XLSFORM_TYPES, from_xlsform
from .xlsform_logic import (
    parse_length_constraint,
    parse_number_constraint,
    parse_relevant,
    yes_no,
)
from .xlsform_sheets import Row, language_key

if TYPE_CHECKING:
    from .xlsform import Converter
    from .xlsform_survey import Block

Entry = Callable[[str], dict[str, Any]]


MEDIA = "collect files outside the survey, or ask a text question instead"


def ident(name: str) -> str:
    """The id a question name becomes: lower case, hyphens and dots as underscores."""
    return name.strip().casefold().replace("-", "_").replace(".", "_")


class QuestionReader:
    """The row-level half of the survey walk (SurveyWalker holds the stack of blocks)."""

    c: Converter
    choices: dict[str, list[tuple[Row, str]]]
    names: dict[str, Row]
    reported_choices: set[tuple[int, str]]

    def _top(self) -> Block | None:
        raise NotImplementedError

    def _section(self) -> dict[str, Any]:
        raise NotImplementedError

    # -- names and wording ------------------------------------------------------------------

    def _name(self, row: Row, seen: dict[str, Row]) -> str:
        """The row's name as an id ('' after a problem); remembered in `seen`."""
        name = row.get("name")
        if not name:
            self.c.add(
                "missing-name",
                row.where("name"),
                "this row has no name",
                "give it a name: lower case letters, digits and underscores",
            )
            return ""
        item_id = ident(name)
        if not ID_PATTERN.match(item_id):
            self.c.add(
                "bad-name",
                row.where("name"),
                f"name '{name}' cannot be used as an id",
                "use letters, digits and underscores, starting with a letter",
            )
            return ""
        if item_id in seen:
            self.c.add(
                "duplicate-name",
                row.where("name"),
                f"name '{name}' is already used in row {seen[item_id].number}",
                "give each question a different name",
            )
            return ""
        seen[item_id] = row
        return item_id

    def _label(self, row: Row) -> str:
        label = self.c.languages.text(row, "label")
        if not label:
            self.c.add(
                "missing-label",
                row.where(self.c.languages.column("label", self.c.languages.wording)),
                "this row has no label",
                "write the text respondents see",
            )
        return label

    def _translated_label(self, row: Row) -> dict[str, str]:
        """The label in each other language; a missing one is a problem (the default exists)."""
        found = self.c.languages.translated(row, "label")
        for suffix in self.c.languages.others:
            if language_key(suffix) not in found and self.c.languages.text(row, "label"):
                self.c.add(
                    "missing-translation",
                    row.where(f"label::{suffix}"),
                    f"this row has no label in {suffix}",
                    f"write the {suffix} wording, or remove the {suffix} columns",
                )
        return found

    def _words(self, row: Row, entry: Entry) -> None:
        for language, text in self._translated_label(row).items():
            entry(language)["prompt"] = text
        for language, text in self.c.languages.translated(row, "hint").items():
            entry(language)["help"] = text

    # -- items ------------------------------------------------------------------------------

    def _item_start(self, row: Row, type_name: str) -> dict[str, Any] | None:
        """The keys every item has (id, type, prompt, help, required, show_if, extensions)."""
        item_id = self._name(row, self.names)
        if not item_id:
            return None
        self.c.rows[item_id] = row
        item: dict[str, Any] = {"id": item_id, "type": type_name, "prompt": self._label(row)}
        self._words(row, lambda language: self.c.item_translation(language, item_id))
        if self.c.languages.text(row, "hint"):
            item["help"] = self.c.languages.text(row, "hint")
        self._required(row, item)
        self._relevant(row, item)
        for column in ("self_prompt", "units", "percent_of"):
            if row.get(column):
                item[column] = row.get(column)
        if row.get("audience"):
            item["audience"] = row.get("audience").split()
        if row.get("not_observed"):
            item["not_observed"] = yes_no(row.get("not_observed"))
        if row.get("option_groups"):
            try:
                item["groups"] = json.loads(row.get("option_groups"))
            except ValueError:
                self.c.add(
                    "bad-json",
                    row.where("option_groups"),
                    "option_groups is not valid JSON",
                    'e.g. [{"id": "likely", "label": "Likely", "options": ["a", "b"]}]',
                )
        return item

    def _required(self, row: Row, item: dict[str, Any]) -> None:
        text = row.get("required")
        if not text:
            return
        value = yes_no(text)
        if value is None:
            self.c.add(
                "unsupported-required",
                row.where("required"),
                f"required '{text}' is not yes or no; a condition there is not supported",
                "write yes or no",
            )
        else:
            item["required"] = value

    def _relevant(self, row: Row, item: dict[str, Any]) -> None:
        text = row.get("relevant")
        if not text:
            return
        parsed = parse_relevant(text)
        if parsed is None:
            self.c.add(
                "unsupported-relevant",
                row.where("relevant"),
                f"relevant '{text}' is more than one question's answer",
                "use ${q} = 'x' or selected(${q}, 'x'), joined by 'or', naming one "
                "earlier question",
            )
            return
        target = ident(parsed[0])
        if target not in self.names or target == item["id"]:
            match = difflib.get_close_matches(target, list(self.names), n=1)
            self.c.add(
                "unknown-question",
                row.where("relevant"),
                f"relevant names '{parsed[0]}', which is not a question above this row",
                f"did you mean '{match[0]}'?" if match else "name an earlier question",
            )
            return
        item["show_if"] = {"item": target, "in": parsed[1]}

    def _typed(self, row: Row, word: str, rest: str) -> dict[str, Any] | None:
        """The type and the keys that go with it (options, limits), or None after a problem."""
        appearance = set(row.get("appearance").casefold().split())
        constraint = row.get("constraint")
        if word in ("select_one", "select_multiple"):
            typed = self._select(row, word, rest, appearance)
            if typed is not None and constraint:
                self.c.add(
                    "unsupported-constraint",
                    row.where("constraint"),
                    "a constraint on a select question is not supported",
                    "list only the choices that are allowed",
                )
            return typed
        if word == "text":
            typed = {"type": from_xlsform("text", "multiline" if "multiline" in appearance else "")}
            if constraint:
                length = parse_length_constraint(constraint)
                if length is None:
                    self._bad_constraint(row, "string-length(.) <= 500")
                    return None
                typed["max_length"] = length
            return typed
        typed = {"type": from_xlsform("decimal")}
        if word == "integer":
            typed["whole"] = True
        if constraint:
            bounds = parse_number_constraint(constraint)
            if bounds is None:
                self._bad_constraint(row, ". >= 0 and . <= 100")
                return None
            typed.update(bounds)
        return typed

    def _bad_constraint(self, row: Row, example: str) -> None:
        self.c.add(
            "unsupported-constraint",
            row.where("constraint"),
            f"constraint '{row.get('constraint')}' is not a simple limit",
            f"write it like {example}, or remove it",
        )

    def _select(
        self, row: Row, word: str, rest: str, appearance: set[str]
    ) -> dict[str, Any] | None:
        list_name, _, extra = rest.partition(" ")
        if extra.strip():
            self.c.add(
                "unsupported-type",
                row.where("type"),
                f"'{extra.strip()}' after the list name is not supported",
                "add an 'other' choice and a text question shown when it is chosen",
            )
            return None
        if list_name not in self.choices:
            match = difflib.get_close_matches(list_name, list(self.choices), n=1)
            self.c.add(
                "unknown-list",
                row.where("type"),
                f"no choices have list_name '{list_name}'" if list_name else "no list named",
                f"did you mean '{match[0]}'?"
                if match
                else f"write {word} LIST, with LIST's choices in the choices sheet",
            )
            return None
        options = self.list_options(list_name)
        if word == "select_multiple":
            return {"type": from_xlsform(word), "options": options}
        override = row.get("question_type")
        if override:
            return self._levelled(row, override, options)
        codes_numeric = all(o["code"].lstrip("-").isdigit() for o in options)
        likert = "likert" in appearance and codes_numeric
        return {"type": from_xlsform(word, "likert" if likert else ""), "options": options}

    def _levelled(
        self, row: Row, override: str, options: list[dict[str, str]]
    ) -> dict[str, Any] | None:
        if not self.marked(row, "select_one"):
            return None
        codes = [o["code"] for o in options]
        if [c for c in codes if c != NOT_OBSERVED] != list(LEVEL_CODES):
            self.c.add(
                "bad-levels",
                row.where("type"),
                f"a {override} question's choices must be named 1, 2, 3, 4 "
                f"(and optionally {NOT_OBSERVED})",
                "list the four level descriptors as choices 1 to 4",
            )
            return None
        typed: dict[str, Any] = {
            "type": override,
            "levels": [o["label"] for o in options if o["code"] != NOT_OBSERVED],
        }
        if NOT_OBSERVED not in codes:
            typed["not_observed"] = False
        return typed

    def list_options(self, list_name: str) -> list[dict[str, str]]:
        """A choices list as options (code and label)."""
        return [
            {"code": code, "label": self.c.languages.text(r, "label")}
            for r, code in self.choices[list_name]
        ]

    def marked(self, row: Row, word: str) -> bool:
        """Whether question_type names a type XLSForm writes as `word` (else a problem)."""
        name = row.get("question_type")
        if name in XLSFORM_MARKED and name in QUESTION_TYPES and XLSFORM_TYPES[name][0] == word:
            return True
        self.c.add(
            "bad-question-type",
            row.where("question_type"),
            f"question_type '{name}' cannot be given to a {word} row",
            "leave it empty; it marks a 360's levelled facets (select_one) and number tables "
            "(begin_group)",
        )
        return False

    def _option_translations(self, rest: str) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        list_name = rest.partition(" ")[0]
        for row, code in self.choices.get(list_name, []):
            texts = self.c.languages.translated(row, "label")
            for suffix in self.c.languages.others:
                language = language_key(suffix)
                if language in texts:
                    found.setdefault(language, {})[code] = texts[language]
                elif (row.number, suffix) not in self.reported_choices:
                    self.reported_choices.add((row.number, suffix))
                    self.c.add(
                        "missing-translation",
                        row.where(f"label::{suffix}"),
                        f"choice '{code}' has no label in {suffix}",
                        f"write the {suffix} wording, or remove the {suffix} columns",
                    )
        return found
