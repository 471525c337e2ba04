"""An instrument's other languages: checking its `translations:` block and applying one.

    language: en                      # the language of the wording (optional)
    translations:
      cy:
        title: ...                    # optional: the default wording stands in
        description: ...              # optional
        sections: {about_you: {title: ..., description: ...}}   # every section's title
        items:
          gender: {prompt: ..., help: ..., options: {male: Gwryw, female: Benyw}}
          behaviour_1: {prompt: ..., levels: [..., ..., ..., ...]}
          practices: {prompt: ..., rows: {planning: ...}, options: {...}}
          pi_first_tier: {prompt: ..., rows: {posts: ...}, columns: {q1: ...}}
          senior_posts: {prompt: ..., fields: {post: {prompt: ...}}}

What respondents read must be complete in every language (section titles, prompts, option, level,
row and column labels); introductions and help fall back to the default wording.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .model import Item, Option, Section

if TYPE_CHECKING:
    from .model import Instrument

LANGUAGE = re.compile(r"^[A-Za-z][A-Za-z0-9 ()_-]{0,39}$")
TOP = {"title", "description", "sections", "items"}
SECTION = {"title", "description"}
ITEM = {"prompt", "help", "options", "levels", "rows", "columns", "fields"}
Found = list[tuple[str, str, str, str]]


def _nearest(word: str, words: Mapping[str, Any]) -> str:
    match = difflib.get_close_matches(word, list(words), n=1)
    return f"did you mean '{match[0]}'?" if match else ""


def translation_problems(data: Mapping[str, Any]) -> Found:
    """Problems with `language:` and `translations:` as (code, location, message, hint)."""
    language = data.get("language")
    found: Found = []
    if "language" in data and not (isinstance(language, str) and LANGUAGE.match(language)):
        found.append(("bad-language", "language", "language must be a short name", "e.g. en"))
    translations = data.get("translations")
    if translations is None:
        return found
    if not isinstance(translations, Mapping):
        return [*found, ("bad-translations", "translations", "translations must be a mapping", "")]
    sections = {str(s.get("id")): s for s in data.get("sections", []) if isinstance(s, Mapping)}
    items = {str(i.get("id")): i for s in sections.values() for i in s.get("items", [])}
    for name, entry in translations.items():
        where = f"translations.{name}"
        if name == language:
            found.append(("bad-language", where, f"'{name}' is the default language", ""))
        elif not (isinstance(name, str) and LANGUAGE.match(name)):
            found.append(("bad-language", where, f"'{name}' is not a language name", "e.g. cy"))
        elif not isinstance(entry, Mapping):
            found.append(("bad-translations", where, "a translation must be a mapping", ""))
        else:
            found += _unknown(entry, TOP, where)
            found += _sections(entry.get("sections") or {}, sections, where)
            found += _items(entry.get("items") or {}, items, where)
    return found


def _unknown(entry: Mapping[str, Any], allowed: set[str], where: str) -> Found:
    return [
        ("unknown-key", where, f"unknown key '{key}'", f"allowed: {', '.join(sorted(allowed))}")
        for key in entry
        if key not in allowed
    ]


def _sections(entry: Any, sections: Mapping[str, Any], where: str) -> Found:
    if not isinstance(entry, Mapping):
        return [("bad-translations", f"{where}.sections", "sections must be a mapping", "")]
    found: Found = []
    for section_id in entry:
        if section_id not in sections:
            message = f"no section '{section_id}'"
            found.append(
                ("unknown-section", f"{where}.sections", message, _nearest(section_id, sections))
            )
    for section_id in sections:
        words = entry.get(section_id)
        place = f"{where} section '{section_id}'"
        if not isinstance(words, Mapping) or not words.get("title"):
            found.append(
                ("missing-translation", place, "the section's title is missing", "add title:")
            )
        else:
            found += _unknown(words, SECTION, place)
    return found


def _items(entry: Any, items: Mapping[str, Any], where: str) -> Found:
    if not isinstance(entry, Mapping):
        return [("bad-translations", f"{where}.items", "items must be a mapping", "")]
    found: Found = []
    for item_id in entry:
        if item_id not in items:
            found.append(
                ("unknown-item", f"{where}.items", f"no item '{item_id}'", _nearest(item_id, items))
            )
    for item_id, item in items.items():
        found += _item(entry.get(item_id), item, f"{where} item '{item_id}'")
    return found


def _item(words: Any, item: Mapping[str, Any], place: str) -> Found:
    if not isinstance(words, Mapping) or not words.get("prompt"):
        return [("missing-translation", place, "the item's prompt is missing", "add prompt:")]
    found = _unknown(words, ITEM, place)
    for key in ("options", "rows", "columns"):
        codes = [str(o["code"]) for o in item.get(key) or []]
        given = words.get(key) or {}
        if not isinstance(given, Mapping):
            found.append(("bad-translations", place, f"{key} must map codes to labels", ""))
            continue
        missing = [c for c in codes if not given.get(c)]
        extra = [str(c) for c in given if str(c) not in codes]
        if missing:
            found.append(
                ("missing-translation", place, f"{key} {', '.join(missing)} have no label", "")
            )
        if extra:
            found.append(
                ("unknown-code", place, f"{key} {', '.join(extra)} are not the item's", "")
            )
    levels = item.get("levels")
    if levels and (
        not isinstance(words.get("levels"), list) or len(words["levels"]) != len(levels)
    ):
        found.append(
            ("missing-translation", place, f"levels must list {len(levels)} descriptors", "")
        )
    fields = {f.get("id"): f for f in item.get("fields") or [] if isinstance(f, Mapping)}
    if fields:
        given_fields = words.get("fields") or {}
        if not isinstance(given_fields, Mapping):
            return [*found, ("bad-translations", place, "fields must be a mapping", "")]
        for field_id, field in fields.items():
            found += _item(given_fields.get(field_id), field, f"{place} field '{field_id}'")
    return found


def _labels(options: tuple[Option, ...], words: Mapping[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(o.code, str(words.get(o.code, o.label))) for o in options)


def translate_item(item: Item, words: Mapping[str, Any]) -> Item:
    """`item` with the wording of one language (what it lacks stays as it was)."""
    return replace(
        item,
        prompt=str(words.get("prompt", item.prompt)).strip(),
        help=str(words.get("help", item.help)).strip(),
        options=_labels(item.options, words.get("options") or {}),
        rows=_labels(item.rows, words.get("rows") or {}),
        columns=_labels(item.columns, words.get("columns") or {}),
        levels=tuple(str(t).strip() for t in words.get("levels") or item.levels),
        fields=tuple(
            translate_item(f, (words.get("fields") or {}).get(f.id) or {}) for f in item.fields
        ),
    )


def translate(instrument: Instrument, language: str) -> Instrument:
    """The instrument in `language` (KeyError when it has no such translation)."""
    if language == instrument.language:
        return instrument
    words = instrument.translations[language]
    items = words.get("items") or {}
    sections = []
    for section in instrument.sections:
        own = (words.get("sections") or {}).get(section.id) or {}
        sections.append(
            Section(
                section.id,
                str(own.get("title", section.title)),
                str(own.get("description", section.description)),
                section.behaviour,
                tuple(translate_item(i, items.get(i.id) or {}) for i in section.items),
                section.self_description,
            )
        )
    return replace(
        instrument,
        title=str(words.get("title", instrument.title)),
        description=str(words.get("description", instrument.description)),
        sections=tuple(sections),
    )
