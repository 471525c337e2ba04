"""The one way into an instrument: read → normalise aliases → validate → typed objects."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .model import Condition, Instrument, Item, Option, OptionGroup, Section, frozen
from .problems import InstrumentError, Problem
from .settings import settings_problems
from .translations import translation_problems
from .types import QUESTION_TYPES, TYPE_ALIASES
from .yaml_text import parse_yaml

LIBRARY = Path(__file__).parent / "library"
KINDS = ("360", "survey")
AUDIENCES = ("self", "rater", "respondent")
TOP_KEYS = {
    "key",
    "version",
    "title",
    "kind",
    "description",
    "self_description",
    "estimated_minutes",
    "settings",
    "sections",
    "scales",
    "crosstabs",
    "language",
    "translations",
}
SECTION_KEYS = {"id", "title", "description", "self_description", "behaviour", "items"}
ITEM_KEYS = {
    "id",
    "type",
    "prompt",
    "help",
    "required",
    "options",
    "levels",
    "max_length",
    "minimum",
    "maximum",
    "show_if",
    "audience",
    "self_prompt",
    "not_observed",
    "groups",
    "scale",
    "rows",
    "columns",
    "fields",
    "units",
    "whole",
    "percent_of",
    "max_rows",
}
# Keys only some types take (the type's `needs` or `allows`): refused elsewhere, since a grid's
# rows given to a single choice would otherwise vanish without a word.
TYPED_KEYS = ("rows", "columns", "fields", "units", "whole", "percent_of", "max_rows")
ITEM_ALIASES = {
    "question": "prompt",
    "text": "prompt",
    "label": "prompt",
    "choices": "options",
    "condition": "show_if",
    "visible_if": "show_if",
    "max_chars": "max_length",
    "maxlength": "max_length",
    "min": "minimum",
    "max": "maximum",
    "hint": "help",
}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def read_yaml(path: Path) -> Any:
    """Parse a YAML file (no aliases, bounded nesting), turning errors into a located problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise InstrumentError(
            [Problem("file-missing", str(path), "file", "no such file", "check the path")]
        ) from None
    except UnicodeDecodeError:
        raise InstrumentError(
            [
                Problem(
                    "not-utf8", str(path), "file", "the file is not UTF-8 text", "save it as UTF-8"
                )
            ]
        ) from None
    return parse_yaml(text, str(path))


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate an instrument file; raises InstrumentError listing every problem."""
    path = Path(path)
    return parse_instrument(read_yaml(path), source=str(path))


def bundled_instruments() -> dict[str, Instrument]:
    """Every instrument shipped in instruments/library, by key."""
    found = {}
    for path in sorted(LIBRARY.glob("*.yaml")):
        instrument = load_instrument(path)
        found[instrument.key] = instrument
    return found


def parse_instrument(data: Any, source: str = "<instrument>") -> Instrument:
    """Validate already-parsed data (a file's contents or a campaign snapshot)."""
    checker = _Checker(source)
    try:
        normalised = checker.normalise(data)
    except (TypeError, AttributeError, KeyError, ValueError):
        # A value of the wrong shape deep inside (a list where text belongs, say) that the
        # located checks did not anticipate: still a problem report, never a crash.
        raise InstrumentError(
            [
                *checker.problems,
                Problem(
                    "bad-structure",
                    source,
                    checker.where,
                    "a value has the wrong shape (for example a "
                    "list where text or a number belongs)",
                    "compare the file with instruments/examples/tiny_feedback.yaml",
                ),
            ]
        ) from None
    if checker.problems:
        raise InstrumentError(checker.problems)
    return _build(normalised)


def slug(text: str) -> str:
    """A stable option code made from a label."""
    code = re.sub(r"[^a-z0-9]+", "_", str(text).casefold()).strip("_")
    return code[:60] or "option"


def nearest(word: object, candidates: Iterable[str]) -> str:
    """'did you mean …' text for the closest candidate, or ''."""
    match = difflib.get_close_matches(str(word), list(candidates), n=1, cutoff=0.5)
    return f"did you mean '{match[0]}'?" if match else ""


class _Checker:
    """Normalises raw data and collects every problem rather than stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        # Where the checks have reached, so even an unforeseen wrong shape is reported in place.
        self.where = "top level"

    def add(self, code: str, location: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(code, self.source, location, message, hint))

    def normalise(self, data: object) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            self.add(
                "not-a-mapping",
                "top level",
                "the file must be a mapping of keys",
                "start with 'key:', 'version:', 'title:', 'kind:' and 'sections:'",
            )
            return {}
        data = dict(data)
        for key in ("key", "version", "title", "kind", "sections"):
            if key not in data:
                self.add(
                    "missing-key",
                    "top level",
                    f"required key '{key}' is missing",
                    f"add '{key}:' at the top of the file",
                )
        self._unknown_keys(data, TOP_KEYS, "top level")
        if "key" in data and not ID_PATTERN.match(str(data["key"])):
            self.add(
                "bad-id",
                "key",
                f"'{data['key']}' is not a valid key",
                "use lower case letters, digits and underscores, starting with a letter",
            )
        if "version" in data and not (isinstance(data["version"], int) and data["version"] > 0):
            self.add(
                "bad-version",
                "version",
                "version must be a whole number above 0",
                "e.g. 'version: 1'",
            )
        minutes = data.get("estimated_minutes", 10)
        if isinstance(minutes, bool) or not (isinstance(minutes, int) and 0 < minutes <= 600):
            self.add(
                "bad-estimated-minutes",
                "estimated_minutes",
                "estimated_minutes must be a whole number of minutes from 1 to 600",
                "e.g. 'estimated_minutes: 10'",
            )
        if "kind" in data and data["kind"] not in KINDS:
            kind = str(data["kind"])
            self.add(
                "bad-kind",
                "kind",
                f"kind '{kind}' is not one of {', '.join(KINDS)}",
                nearest(kind, KINDS),
            )
        scales = data.get("scales") or {}
        sections = data.get("sections")
        if "sections" in data and (not isinstance(sections, list) or not sections):
            self.add(
                "no-sections",
                "sections",
                "sections must be a non-empty list",
                "add at least one section with items",
            )
            sections = []
        data["sections"] = [self._section(s, i, scales) for i, s in enumerate(sections or [])]
        data.pop("scales", None)
        self.where = "settings"
        for code, location, message, hint in settings_problems(data):
            self.add(code, location, message, hint)
        self.where = "translations"
        for code, location, message, hint in translation_problems(data):
            self.add(code, location, message, hint)
        self._cross_checks(data)
        return data

    def _unknown_keys(self, mapping: Iterable[str], allowed: set[str], location: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(
                    "unknown-key",
                    location,
                    f"unknown key '{key}'",
                    nearest(key, allowed) or f"allowed keys: {', '.join(sorted(allowed))}",
                )

    def _section(self, raw: Any, index: int, scales: Mapping[str, Any]) -> dict[str, Any]:
        location = self.where = f"sections[{index}]"
        if not isinstance(raw, Mapping):
            self.add(
                "bad-section",
                location,
                "a section must be a mapping",
                "give it 'id:', 'title:' and 'items:'",
            )
            return {"id": f"section_{index}", "title": "", "items": []}
        section = dict(raw)
        location = self.where = f"section '{section.get('id', index)}'"
        for key in ("id", "title", "items"):
            if key not in section:
                self.add(
                    "missing-key",
                    location,
                    f"required key '{key}' is missing",
                    f"add '{key}:' to the section",
                )
        self._unknown_keys(section, SECTION_KEYS, location)
        items = section.get("items") or []
        if not isinstance(items, list):
            self.add("bad-items", location, "'items' must be a list", "")
            items = []
        section["items"] = [self._item(it, location, j, scales) for j, it in enumerate(items)]
        return section

    def _item(
        self,
        raw: Any,
        section_location: str,
        index: int,
        scales: Mapping[str, Any],
        parent: str = "",
    ) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            self.add(
                "bad-item",
                f"{section_location} items[{index}]",
                "an item must be a mapping",
                "give it 'id:', 'type:' and 'prompt:'",
            )
            return {}
        item: dict[str, Any] = {ITEM_ALIASES.get(k) or k: v for k, v in raw.items()}
        location = f"item '{item['id']}'" if "id" in item else f"{section_location} items[{index}]"
        if parent:  # a field of a repeating item
            location = f"{parent} field '{item.get('id', index)}'"
        self.where = location
        for key in ("id", "type", "prompt"):
            if key not in item:
                self.add(
                    "missing-key",
                    location,
                    f"required key '{key}' is missing",
                    f"add '{key}:' to the item",
                )
        self._unknown_keys(item, ITEM_KEYS, location)
        if "id" in item and not ID_PATTERN.match(str(item["id"])):
            self.add(
                "bad-id",
                location,
                f"item id '{item['id']}' is not valid",
                "use lower case letters, digits and underscores, starting with a letter",
            )
        type_name = TYPE_ALIASES.get(str(item.get("type")), item.get("type"))
        item["type"] = type_name
        if "scale" in item:
            if item["scale"] not in scales:
                self.add(
                    "unknown-scale",
                    location,
                    f"scale '{item['scale']}' is not defined",
                    nearest(item["scale"], scales) or "define it under top-level 'scales:'",
                )
            item["options"] = scales.get(item.pop("scale"), [])
        if "options" in item:
            item["options"] = self._options(item["options"], location)
        for key, what in (("rows", "row"), ("columns", "column")):
            if key in item:
                item[key] = self._options(item[key], location, what)
        if "fields" in item:
            item["fields"] = self._fields(item["fields"], location, scales)
        qtype = QUESTION_TYPES.get(type_name) if type_name else None
        if type_name and qtype is None:
            self.add(
                "unknown-type",
                location,
                f"unknown question type '{type_name}'",
                nearest(type_name, QUESTION_TYPES) or f"use one of {', '.join(QUESTION_TYPES)}",
            )
        elif qtype:
            for key in qtype.needs:
                if not item.get(key):
                    self.add(
                        "missing-key",
                        location,
                        f"a {type_name} item needs '{key}'",
                        f"add '{key}:' to the item",
                    )
            for code, message, hint in qtype.definition_problems(item):
                self.add(code, location, message, hint)
            for key in TYPED_KEYS:
                if key in item and key not in qtype.needs + qtype.allows:
                    self.add(
                        "key-not-for-type",
                        location,
                        f"'{key}' does not apply to a {type_name} item",
                        f"remove it, or use a type that takes it: {_types_taking(key)}",
                    )
        audience = item.get("audience", list(AUDIENCES))
        item["audience"] = [audience] if isinstance(audience, str) else list(audience)
        for who in item["audience"]:
            if who not in AUDIENCES:
                self.add(
                    "bad-audience",
                    location,
                    f"audience '{who}' is unknown",
                    nearest(who, AUDIENCES) or f"use {', '.join(AUDIENCES)}",
                )
        return item

    def _fields(self, raw: Any, location: str, scales: Mapping[str, Any]) -> list[dict[str, Any]]:
        if not isinstance(raw, list) or not raw:
            self.add(
                "bad-fields",
                location,
                "'fields' must be a non-empty list of items",
                "give each field of a row 'id:', 'type:' and 'prompt:'",
            )
            return []
        fields = [
            self._item(field, location, j, scales, parent=location) for j, field in enumerate(raw)
        ]
        self.where = location
        return [field for field in fields if field]

    def _options(self, raw: Any, location: str, what: str = "option") -> list[dict[str, str]]:
        if isinstance(raw, Mapping):
            raw = [{"code": k, "label": v} for k, v in raw.items()]
        if not isinstance(raw, list):
            self.add(f"bad-{what}s", location, f"{what}s must be a list", "")
            return []
        options = []
        for option in raw:
            if isinstance(option, Mapping) and "label" in option:
                options.append(
                    {
                        "code": str(option.get("code", slug(option["label"]))),
                        "label": str(option["label"]),
                    }
                )
            elif isinstance(option, str | int | float):
                options.append({"code": slug(str(option)), "label": str(option)})
            else:
                self.add(
                    f"bad-{what}",
                    location,
                    f"{what} {option!r} has no label",
                    f"write {what}s as text, or as 'code:' and 'label:'",
                )
        codes = [o["code"] for o in options]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            self.add(
                f"duplicate-{what}",
                location,
                f"{what} code '{code}' appears twice",
                f"give each {what} a different code or label",
            )
        return options

    def _cross_checks(self, data: dict[str, Any]) -> None:
        seen: dict[str, dict[str, Any]] = {}
        section_ids = set()
        for section in data["sections"]:
            if section.get("id") in section_ids:
                self.add(
                    "duplicate-id",
                    f"section '{section['id']}'",
                    "section id used twice",
                    "give each section a unique id",
                )
            section_ids.add(section.get("id"))
            for item in section["items"]:
                item_id = item.get("id")
                if item_id is None:
                    continue
                if item_id in seen:
                    self.add(
                        "duplicate-id",
                        f"item '{item_id}'",
                        "item id used more than once",
                        "item ids must be unique: rename one of them",
                    )
                self._condition(item, seen)
                self._groups(item)
                seen[item_id] = item
        self.where = "crosstabs"
        for index, pair in enumerate(data.get("crosstabs") or []):
            if not (isinstance(pair, list) and len(pair) == 2):
                self.add(
                    "bad-crosstab",
                    f"crosstabs[{index}]",
                    "a cross-tab is a pair of item ids",
                    "write it as [row_item, column_item]",
                )
                continue
            for item_id in pair:
                if item_id not in seen:
                    self.add(
                        "unknown-item",
                        f"crosstabs[{index}]",
                        f"no item '{item_id}'",
                        nearest(item_id, seen),
                    )
                elif not seen[item_id].get("options") or _composite(seen[item_id]):
                    self.add(
                        "crosstab-not-choice",
                        f"crosstabs[{index}]",
                        f"item '{item_id}' has no options to tabulate",
                        "",
                    )

    def _condition(self, item: dict[str, Any], earlier: Mapping[str, dict[str, Any]]) -> None:
        condition = item.get("show_if")
        if condition is None:
            return
        location = self.where = f"item '{item['id']}' show_if"
        if not isinstance(condition, Mapping) or "item" not in condition:
            self.add(
                "bad-condition",
                location,
                "show_if needs 'item:' and 'equals:' or 'in:'",
                "e.g. show_if: {item: career_progression, equals: 'yes'}",
            )
            return
        target = condition["item"]
        if target not in earlier:
            self.add(
                "condition-missing-item",
                location,
                f"show_if names item '{target}', which does not appear before this item",
                nearest(target, earlier) or "name an item that comes earlier",
            )
            return
        if _composite(earlier[target]):
            self.add(
                "condition-on-composite",
                location,
                f"show_if names '{target}', whose answer has several parts",
                "make the condition depend on a single or multiple choice item",
            )
            return
        values = condition.get("in", [condition.get("equals")])
        values = [str(v) for v in (values if isinstance(values, list) else [values])]
        codes = [o["code"] for o in earlier[target].get("options", [])]
        for value in values:
            if codes and value not in codes:
                self.add(
                    "condition-bad-value",
                    location,
                    f"'{value}' is not an option of '{target}'",
                    nearest(value, codes) or f"use one of {', '.join(codes)}",
                )
        item["show_if"] = {"item": target, "in": values}

    def _groups(self, item: dict[str, Any]) -> None:
        codes = {o["code"] for o in item.get("options", [])}
        for group in item.get("groups") or []:
            location = self.where = f"item '{item['id']}' groups"
            if not isinstance(group, Mapping) or not {"id", "label", "options"} <= set(group):
                self.add("bad-group", location, "a group needs 'id', 'label' and 'options'", "")
                continue
            for code in group["options"]:
                if str(code) not in codes:
                    self.add(
                        "group-bad-option",
                        location,
                        f"group '{group['id']}' names '{code}', which is not an option",
                        nearest(code, codes),
                    )


def _composite(item: Mapping[str, Any]) -> bool:
    qtype = QUESTION_TYPES.get(str(item.get("type")))
    return qtype is not None and qtype.composite


def _types_taking(key: str) -> str:
    return ", ".join(n for n, t in QUESTION_TYPES.items() if key in t.needs + t.allows)


def _build(data: dict[str, Any]) -> Instrument:
    sections = []
    for section in data["sections"]:
        items = tuple(_build_item(raw, section["id"]) for raw in section["items"])
        sections.append(
            Section(
                section["id"],
                section["title"],
                section.get("description", ""),
                bool(section.get("behaviour", False)),
                items,
                str(section.get("self_description", "")).strip(),
            )
        )
    return Instrument(
        key=data["key"],
        version=data["version"],
        title=data["title"],
        kind=data["kind"],
        description=data.get("description", ""),
        self_description=str(data.get("self_description", "")).strip(),
        estimated_minutes=data.get("estimated_minutes", 10),
        settings=frozen(data.get("settings") or {}),
        sections=tuple(sections),
        crosstabs=tuple(tuple(p) for p in data.get("crosstabs") or []),
        raw=frozen(data),
        language=str(data.get("language") or ""),
        translations=frozen(data.get("translations") or {}),
    )


def _build_item(raw: dict[str, Any], section_id: str) -> Item:
    condition = raw.get("show_if")
    return Item(
        id=raw["id"],
        type=raw["type"],
        prompt=str(raw["prompt"]).strip(),
        section_id=section_id,
        help=str(raw.get("help", "")).strip(),
        required=bool(raw.get("required", False)),
        options=tuple(Option(o["code"], o["label"]) for o in raw.get("options", [])),
        levels=tuple(str(t).strip() for t in raw.get("levels", [])),
        max_length=raw.get("max_length"),
        minimum=raw.get("minimum"),
        maximum=raw.get("maximum"),
        show_if=Condition(condition["item"], tuple(condition["in"])) if condition else None,
        audience=tuple(raw["audience"]),
        self_prompt=str(raw.get("self_prompt", "")).strip(),
        not_observed=bool(raw.get("not_observed", True)),
        groups=tuple(
            OptionGroup(g["id"], g["label"], tuple(str(c) for c in g["options"]))
            for g in raw.get("groups") or []
        ),
        rows=tuple(Option(o["code"], o["label"]) for o in raw.get("rows", [])),
        columns=tuple(Option(o["code"], o["label"]) for o in raw.get("columns", [])),
        fields=tuple(_build_item(field, section_id) for field in raw.get("fields", [])),
        max_rows=raw.get("max_rows"),
        units=str(raw.get("units") or "").strip(),
        whole=bool(raw.get("whole", False)),
        percent_of=str(raw.get("percent_of") or ""),
    )
