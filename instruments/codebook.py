"""Codebooks for theming free text: one editable YAML file per family of open questions."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .loader import LIBRARY, load_instrument, nearest, read_yaml
from .model import Instrument, frozen
from .patterns import pattern_problem
from .problems import InstrumentError, Problem, clip

CODEBOOKS = Path(__file__).parent / "codebooks"
TOP_KEYS = ("key", "version", "title", "applies_to", "themes")
THEME_KEYS = ("id", "label", "definition", "include", "patterns", "exclude", "examples")
TERM_LISTS = ("include", "patterns", "exclude", "examples")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MIN_EXAMPLES = 2


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook: what it means and the words that signal it."""

    id: str
    label: str
    definition: str
    include: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; `applies_to` names questions as 'instrument_key.item_id'."""

    key: str
    version: int
    title: str
    applies_to: tuple[str, ...]
    themes: tuple[Theme, ...]
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id (KeyError if there is none)."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)


def is_codebook_data(data: Any) -> bool:
    """True when parsed YAML looks like a codebook (a mapping with `themes`)."""
    return isinstance(data, Mapping) and "themes" in data


def load_codebook(
    path: str | Path, instruments: Mapping[str, Instrument] | None = None
) -> Codebook:
    """Load and validate a codebook file; raises InstrumentError listing every problem."""
    path = Path(path)
    return parse_codebook(read_yaml(path), source=str(path), instruments=instruments)


def parse_codebook(
    data: Any, source: str = "<codebook>", instruments: Mapping[str, Instrument] | None = None
) -> Codebook:
    """Validate already-parsed codebook data; `instruments` defaults to the bundled library."""
    checker = _Checker(source)
    normalised = checker.normalise(data)
    if normalised:
        known = _library_instruments() if instruments is None else instruments
        checker.check_references(normalised["applies_to"], known)
    if checker.problems:
        raise InstrumentError(checker.problems)
    return _build(normalised)


def bundled_codebooks() -> dict[str, Codebook]:
    """Every codebook shipped in instruments/codebooks, by key."""
    instruments = _library_instruments()
    found = {}
    for path in sorted(CODEBOOKS.glob("*.yaml")):
        codebook = load_codebook(path, instruments=instruments)
        found[codebook.key] = codebook
    return found


def codebook_hash(codebook: Codebook) -> str:
    """sha256 of the codebook's canonical JSON, recorded with every theming run."""
    canonical = json.dumps(
        dict(codebook.raw), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _library_instruments() -> dict[str, Instrument]:
    # A broken instrument file is reported by its own loader; here it just cannot vouch for ids.
    found = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        try:
            instrument = load_instrument(path)
        except InstrumentError:
            continue
        found[instrument.key] = instrument
    return found


class _Checker:
    """Normalises raw codebook data and collects every problem rather than stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, code: str, location: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, self.source, location, message, hint))

    def normalise(self, data: object) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            self.add(
                "not-a-mapping",
                "top level",
                "a codebook must be a mapping of keys",
                "start with 'key:', 'version:', 'title:', 'applies_to:' and 'themes:'",
            )
            return {}
        data = copy.deepcopy(dict(data))
        self._required(data, TOP_KEYS, "top level", "at the top of the file")
        self._unknown_keys(data, TOP_KEYS, "top level")
        if "key" in data and not ID_PATTERN.match(str(data["key"])):
            self.add(
                "bad-id",
                "key",
                f"'{data['key']}' is not a valid codebook key",
                "use lower case letters, digits and underscores, starting with a letter",
            )
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.add(
                "bad-version",
                "version",
                "version must be a whole number above 0",
                "e.g. 'version: 1'",
            )
        applies_to = data.get("applies_to", [])
        data["applies_to"] = self._strings(
            [applies_to] if isinstance(applies_to, str) else applies_to, "applies_to"
        )
        themes = data.get("themes")
        if "themes" in data and (not isinstance(themes, list) or not themes):
            self.add(
                "no-themes",
                "themes",
                "themes must be a non-empty list",
                "add at least one theme with 'id:', 'label:' and 'include:'",
            )
            themes = []
        data["themes"] = [self._theme(raw, index) for index, raw in enumerate(themes or [])]
        self._duplicates(data["themes"])
        return data

    def _required(
        self, mapping: Mapping[str, Any], keys: Iterable[str], location: str, where: str
    ) -> None:
        for key in keys:
            if key not in mapping:
                self.add(
                    "missing-key",
                    location,
                    f"required key '{key}' is missing",
                    f"add '{key}:' {where}",
                )

    def _unknown_keys(self, mapping: Iterable[str], allowed: Sequence[str], location: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(
                    "unknown-key",
                    location,
                    f"unknown key '{key}'",
                    nearest(key, allowed) or f"allowed keys: {', '.join(allowed)}",
                )

    def _strings(self, value: object, location: str) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(
                "bad-list",
                location,
                "expected a list of non-empty pieces of text",
                'write it as ["first", "second"] or as lines starting with \'- \'',
            )
            return []
        return [v.strip() for v in value]

    def _theme(self, raw: object, index: int) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            self.add(
                "bad-theme",
                f"themes[{index}]",
                "a theme must be a mapping",
                "give it 'id:', 'label:', 'definition:', 'include:' and 'examples:'",
            )
            return {}
        theme = dict(raw)
        location = f"theme '{theme['id']}'" if "id" in theme else f"themes[{index}]"
        self._required(theme, ("id", "label", "definition"), location, "to the theme")
        self._unknown_keys(theme, THEME_KEYS, location)
        if "id" in theme and not ID_PATTERN.match(str(theme["id"])):
            self.add(
                "bad-id",
                location,
                f"theme id '{theme['id']}' is not valid",
                "use lower case letters, digits and underscores, starting with a letter",
            )
        for key in ("label", "definition"):
            theme[key] = str(theme.get(key) or "").strip()
        for key in TERM_LISTS:
            theme[key] = self._strings(theme.get(key), f"{location} {key}")
        for pattern in theme["patterns"]:
            problem = pattern_problem(pattern)
            if problem:
                self.add(
                    "bad-pattern",
                    f"{location} patterns",
                    f"pattern '{clip(pattern, 60)}' {problem}",
                    "check brackets and escapes; in YAML use single quotes around regexes",
                )
        if not theme["include"] and not theme["patterns"]:
            self.add(
                "empty-include",
                location,
                "the theme has no include terms or patterns, so nothing can ever be coded to it",
                "add words or phrases under 'include:'",
            )
        if len(theme["examples"]) < MIN_EXAMPLES:
            self.add(
                "too-few-examples",
                f"{location} examples",
                f"a theme needs at least {MIN_EXAMPLES} example comments, "
                f"found {len(theme['examples'])}",
                "add two or three realistic comments that belong to this theme",
            )
        return theme

    def _duplicates(self, themes: list[dict[str, Any]]) -> None:
        seen: set[object] = set()
        for theme in themes:
            theme_id = theme.get("id")
            if theme_id in seen:
                self.add(
                    "duplicate-id",
                    f"theme '{theme_id}'",
                    "theme id used more than once",
                    "theme ids must be unique: rename or merge one of them",
                )
            seen.add(theme_id)

    def check_references(
        self, references: Iterable[str], instruments: Mapping[str, Instrument]
    ) -> None:
        for reference in references:
            instrument_key, dot, item_id = reference.partition(".")
            if not dot or not instrument_key or not item_id:
                self.add(
                    "bad-reference",
                    "applies_to",
                    f"'{reference}' is not 'instrument_key.item_id'",
                    "e.g. seslip_aspiration_survey.barriers",
                )
                continue
            instrument = instruments.get(instrument_key)
            if instrument is None:
                continue  # written ahead of its instrument: nothing to check against yet
            item_ids = [item.id for item in instrument.items]
            if item_id not in item_ids:
                self.add(
                    "unknown-item",
                    "applies_to",
                    f"instrument '{instrument_key}' has no item '{item_id}'",
                    nearest(item_id, item_ids),
                )


def _build(data: dict[str, Any]) -> Codebook:
    themes = tuple(
        Theme(
            id=t["id"],
            label=t["label"],
            definition=t["definition"],
            include=tuple(t["include"]),
            patterns=tuple(t["patterns"]),
            exclude=tuple(t["exclude"]),
            examples=tuple(t["examples"]),
        )
        for t in data["themes"]
    )
    return Codebook(
        key=data["key"],
        version=data["version"],
        title=str(data["title"]).strip(),
        applies_to=tuple(data["applies_to"]),
        themes=themes,
        raw=frozen(data),
    )
