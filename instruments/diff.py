"""What changed between two versions of an instrument, in words a commissioner can read.

Pure: both arguments are instruments' normalised data (`Instrument.raw`, or a stored version's
JSON). Sections and items are matched by id; options by code.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from .problems import clip

QUOTE_LIMIT = 80  # longer prompts are cut in the sentence; the version page shows them whole
TOP_FIELDS = ("title", "kind", "description", "self_description", "estimated_minutes")
SECTION_FIELDS = ("title", "description", "self_description", "behaviour")
# Item fields compared as a whole, in the order the sentences come; options are compared per code.
ITEM_FIELDS = (
    "type",
    "prompt",
    "self_prompt",
    "help",
    "required",
    "levels",
    "max_length",
    "minimum",
    "maximum",
    "show_if",
    "audience",
    "not_observed",
    "groups",
)
WORDS = {
    "self_prompt": "self-assessment prompt",
    "max_length": "maximum length",
    "show_if": "condition",
    "not_observed": "'not observed' choice",
}
# What an absent field means, so adding `required: false` to a file is no change.
DEFAULTS: dict[str, Any] = {"required": False, "not_observed": True, "behaviour": False}
# Lists of {code, label} compared entry by entry: options, and a grid's or table's rows and columns.
CODED_LISTS = (("options", "option"), ("rows", "row"), ("columns", "column"))
Data = Mapping[str, Any]


def instrument_diff(old: Data, new: Data) -> list[str]:
    """Every difference from `old` to `new` as one sentence each; [] when they are the same."""
    changes = [
        f"the {_word(name)} changed from {_shown(old.get(name))} to {_shown(new.get(name))}"
        for name in TOP_FIELDS
        if old.get(name) != new.get(name)
    ]
    changes += _settings(old.get("settings") or {}, new.get("settings") or {})
    changes += _sections(list(old.get("sections") or []), list(new.get("sections") or []))
    changes += _items(_items_by_id(old), _items_by_id(new))
    if old.get("crosstabs") != new.get("crosstabs"):
        changes.append("the cross-tabulations changed")
    return changes


def _get(data: Data, name: str) -> Any:
    value = data.get(name, DEFAULTS.get(name))
    return DEFAULTS.get(name) if value in (None, "") and name in DEFAULTS else value


def _word(name: str) -> str:
    return WORDS.get(name, name.replace("_", " "))


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping) and "item" in value:
        values = value.get("in") or [value.get("equals")]
        return f"'shown when {value['item']} is {' or '.join(str(v) for v in values)}'"
    if isinstance(value, list):
        return "'" + ", ".join(clip(_label(v), QUOTE_LIMIT) for v in value) + "'"
    return "'" + clip(" ".join(str(value).split()), QUOTE_LIMIT) + "'"


def _label(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("label") or value.get("id") or value.get("code") or value)
    return str(value)


def _settings(old: Data, new: Data) -> list[str]:
    changes = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            changes.append(f"setting '{name}' removed")
        elif name not in old:
            changes.append(f"setting '{name}' added")
        elif old[name] != new[name]:
            changes.append(f"setting '{name}' changed")
    return changes


def _sections(old: Sequence[Data], new: Sequence[Data]) -> list[str]:
    before = {str(s.get("id")): s for s in old}
    after = {str(s.get("id")): s for s in new}
    changes = [f"section '{sid}' added" for sid in after if sid not in before]
    changes += [f"section '{sid}' removed" for sid in before if sid not in after]
    kept_before = [sid for sid in before if sid in after]
    kept_after = [sid for sid in after if sid in before]
    changes += [f"section '{sid}' moved" for sid in _moved(kept_before, kept_after)]
    for sid in kept_after:
        for name in SECTION_FIELDS:
            was, now = _get(before[sid], name), _get(after[sid], name)
            if was != now:
                changes.append(
                    f"section '{sid}''s {_word(name)} changed from {_shown(was)} to {_shown(now)}"
                )
    return changes


def _items_by_id(data: Data) -> dict[str, tuple[str, Data]]:
    return {
        str(item.get("id")): (str(section.get("id")), item)
        for section in data.get("sections") or []
        for item in section.get("items") or []
    }


def _items(old: dict[str, tuple[str, Data]], new: dict[str, tuple[str, Data]]) -> list[str]:
    changes = [f"item {iid} added to section '{new[iid][0]}'" for iid in new if iid not in old]
    changes += [f"item {iid} removed" for iid in old if iid not in new]
    for iid in new:
        if iid in old and old[iid][0] != new[iid][0]:
            changes.append(f"item {iid} moved from section '{old[iid][0]}' to '{new[iid][0]}'")
    for section in dict.fromkeys(s for s, _ in new.values()):
        stayed = {i for i, (s, _) in new.items() if s == section and i in old and old[i][0] == s}
        before = [i for i in old if i in stayed]
        after = [i for i in new if i in stayed]
        changes += [f"item {iid} moved within section '{section}'" for iid in _moved(before, after)]
    for iid, (_, item) in new.items():
        if iid in old:
            changes += _item_changes(iid, old[iid][1], item)
    return changes


def _moved(before: list[str], after: list[str]) -> list[str]:
    """Ids outside the longest run of unchanged order: the ones a person moved."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    still = {
        before[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)
    }
    return [i for i in after if i not in still]


def _item_changes(iid: str, old: Data, new: Data) -> list[str]:
    changes = []
    for name in ITEM_FIELDS:
        was, now = _get(old, name), _get(new, name)
        if was != now:
            changes.append(
                f"item {iid}'s {_word(name)} changed from {_shown(was)} to {_shown(now)}"
            )
    for name, noun in CODED_LISTS:
        changes += _coded(iid, noun, list(old.get(name) or []), list(new.get(name) or []))
    known = set(ITEM_FIELDS) | {"id", "section_id"} | {name for name, _ in CODED_LISTS}
    for name in sorted((set(old) | set(new)) - known):
        if old.get(name) != new.get(name):
            changes.append(f"item {iid}'s {_word(name)} changed")
    return changes


def _coded(iid: str, noun: str, old: list[Data], new: list[Data]) -> list[str]:
    before = {str(o.get("code")): str(o.get("label")) for o in old}
    after = {str(o.get("code")): str(o.get("label")) for o in new}
    changes = [f"{noun} '{after[c]}' added to {iid}" for c in after if c not in before]
    changes += [f"{noun} '{before[c]}' removed from {iid}" for c in before if c not in after]
    for code in after:
        if code in before and before[code] != after[code]:
            changes.append(
                f"{noun} '{code}' of {iid} relabelled from {_shown(before[code])} "
                f"to {_shown(after[code])}"
            )
    kept_before = [c for c in before if c in after]
    kept_after = [c for c in after if c in before]
    if kept_before != kept_after:
        changes.append(f"the {noun}s of {iid} were reordered")
    return changes
