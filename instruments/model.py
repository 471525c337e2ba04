"""Typed, read-only objects an instrument file becomes once it has been validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

NOT_OBSERVED = "not_observed"
LEVEL_CODES = ("1", "2", "3", "4")
# The relationship id of the participant's line manager in a 360's `relationships`: shown
# individually unless the instrument names others (docs/design.md §3.2), and in a column of its
# own in every report.
LINE_MANAGER = "line_manager"


@dataclass(frozen=True)
class Option:
    """One choice of a single/multiple choice item, or one labelled point of a rating scale."""

    code: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Show an item only when another item's answer is one of `values`."""

    item_id: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, list[str]]) -> bool:
        """True when the controlling item's answer includes one of the values."""
        return any(v in self.values for v in answers.get(self.item_id, []))


@dataclass(frozen=True)
class OptionGroup:
    """A named summary of several options, e.g. 'likely or planning to apply'."""

    id: str
    label: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One question. `type` names an entry of the question-type registry."""

    id: str
    type: str
    prompt: str
    section_id: str
    help: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    levels: tuple[str, ...] = ()
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    show_if: Condition | None = None
    audience: tuple[str, ...] = ("self", "rater", "respondent")
    self_prompt: str = ""
    not_observed: bool = True
    groups: tuple[OptionGroup, ...] = ()
    # Composite types (instruments/composite_types/): a grid's or number table's rows, a
    # number table's columns, a repeating item's fields and its most rows.
    rows: tuple[Option, ...] = ()
    columns: tuple[Option, ...] = ()
    fields: tuple[Item, ...] = ()
    max_rows: int | None = None
    # Numbers: what is counted (shown after the box and in export labels), whole numbers only,
    # and a number table's denominator row.
    units: str = ""
    whole: bool = False
    percent_of: str = ""

    @property
    def field_name(self) -> str:
        """The HTML form field name for this item."""
        return f"q_{self.id}"

    def row_label(self, code: str) -> str:
        """The label of a row code (the code itself when unknown)."""
        return next((row.label for row in self.rows if row.code == code), code)

    def column_label(self, code: str) -> str:
        """The label of a column code (the code itself when unknown)."""
        return next((column.label for column in self.columns if column.code == code), code)

    def option_label(self, code: str) -> str:
        """The label of an option code (the code itself when unknown)."""
        for option in self.options:
            if option.code == code:
                return option.label
        return code

    def prompt_for(self, audience: str, name: str = "") -> str:
        """The wording shown to `audience`, naming the person being rated where it says {name}."""
        text = self.self_prompt if audience == "self" and self.self_prompt else self.prompt
        return text.replace("{name}", name or "this person")


@dataclass(frozen=True)
class Section:
    """A page of the form; in a 360 a section with `behaviour: true` is a scored behaviour."""

    id: str
    title: str
    description: str = ""
    behaviour: bool = False
    items: tuple[Item, ...] = ()
    self_description: str = ""

    def description_for(self, audience: str) -> str:
        """The section's introduction for `audience` (the self form has its own wording)."""
        return (
            self.self_description
            if audience == "self" and self.self_description
            else self.description
        )


@dataclass(frozen=True)
class Instrument:
    """A validated instrument. `raw` is the normalised data a campaign snapshots."""

    key: str
    version: int
    title: str
    kind: str
    description: str
    estimated_minutes: int
    settings: Mapping[str, Any]
    sections: tuple[Section, ...]
    crosstabs: tuple[tuple[str, str], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    self_description: str = ""
    # The wording's language, and the other languages' wording (instruments/translations.py).
    language: str = ""
    translations: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """The wording's language (when named) and then each translation's."""
        return ((self.language,) if self.language else ()) + tuple(self.translations)

    def in_language(self, language: str) -> Instrument:
        """This instrument worded in `language` (KeyError when it has no such translation)."""
        from .translations import translate  # translations builds these objects

        return translate(self, language)

    def item_in(self, item_id: str, language: str) -> Item:
        """The item with this id, worded in `language`."""
        return self.in_language(language).item(item_id)

    def description_for(self, audience: str) -> str:
        """The start page's introduction for `audience` (the self form has its own wording)."""
        return (
            self.self_description
            if audience == "self" and self.self_description
            else self.description
        )

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item in form order."""
        return tuple(item for section in self.sections for item in section.items)

    def item(self, item_id: str) -> Item:
        """The item with this id (KeyError if there is none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def behaviours(self) -> tuple[Section, ...]:
        """Sections that are scored behaviours (360 instruments)."""
        return tuple(s for s in self.sections if s.behaviour)

    @property
    def relationships(self) -> tuple[Mapping[str, Any], ...]:
        """Rater relationships declared in settings (360 instruments)."""
        return tuple(self.settings.get("relationships", ()))

    def sections_for(self, audience: str) -> tuple[Section, ...]:
        """Sections with at least one item for this audience, keeping only those items."""
        kept = []
        for section in self.sections:
            items = tuple(i for i in section.items if audience in i.audience)
            if items:
                kept.append(replace(section, items=items))
        return tuple(kept)


def frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only view of a mapping."""
    return MappingProxyType(dict(mapping))
