"""A campaign's own codebook versions: rename, merge, add terms, accept a proposed theme."""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from instruments import InstrumentError
from instruments.codebook import Codebook, parse_codebook

from ..extensions import db
from ..library.store import plain
from ..models import Campaign
from .themes import OVERRIDES, standard_codebooks

MAX_ID_LENGTH = 40


class CodebookEditError(ValueError):
    """An edit that cannot be made, with a message for the commissioner."""


def editable_codebook(campaign: Campaign, key: str) -> dict[str, Any]:
    """The campaign's own version of a codebook as plain data, else the bundled one's."""
    own = (campaign.codebooks or {}).get(key)
    if own is not None and not key.startswith("_"):
        return copy.deepcopy(own)
    bundled = standard_codebooks()
    if key not in bundled:
        raise KeyError(key)
    return plain(bundled[key].raw)


def _theme(raw: dict, theme_id: str) -> dict:
    for theme in raw["themes"]:
        if theme["id"] == theme_id:
            return theme
    raise CodebookEditError(f"The codebook has no theme '{theme_id}'.")


def rename_theme(raw: dict, theme_id: str, label: str) -> None:
    """Give a theme a new label (its id, and so past overrides, stay)."""
    _theme(raw, theme_id)["label"] = " ".join(label.split())


def merge_themes(raw: dict, keep_id: str, merge_id: str) -> None:
    """Fold one theme's terms, patterns, exclusions and examples into another, then drop it."""
    if keep_id == merge_id:
        raise CodebookEditError("Choose two different themes to merge.")
    keep, merged = _theme(raw, keep_id), _theme(raw, merge_id)
    for field in ("include", "patterns", "exclude", "examples"):
        combined = list(keep.get(field) or [])
        combined += [v for v in merged.get(field) or [] if v not in combined]
        keep[field] = combined
    raw["themes"] = [theme for theme in raw["themes"] if theme["id"] != merge_id]


def add_terms(raw: dict, theme_id: str, include: list[str], patterns: list[str]) -> None:
    """Add include terms and patterns to a theme (duplicates ignored)."""
    theme = _theme(raw, theme_id)
    for field, new in (("include", include), ("patterns", patterns)):
        values = list(theme.get(field) or [])
        values += [v for v in new if v not in values]
        theme[field] = values


def theme_id_for(raw: dict, label: str) -> str:
    """A new, unused theme id made from a label."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:MAX_ID_LENGTH] or "theme"
    if not base[0].isalpha():
        base = f"theme_{base}"
    taken = {theme["id"] for theme in raw["themes"]}
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def accept_theme(
    raw: dict, label: str, terms: list[str], examples: list[str], definition: str = ""
) -> str:
    """Add a proposed theme with its signal terms and examples; returns its id."""
    theme_id = theme_id_for(raw, label)
    raw["themes"].append(
        {
            "id": theme_id,
            "label": " ".join(label.split()),
            "definition": definition.strip() or f"Proposed from comments: {', '.join(terms)}.",
            "include": terms,
            "examples": examples,
        }
    )
    return theme_id


def save_codebook(campaign: Campaign, key: str, raw: dict) -> Codebook:
    """Validate and store as the campaign's next version; InstrumentError lists the problems."""
    current = editable_codebook(campaign, key)
    raw = copy.deepcopy(raw)
    raw["key"] = key
    raw["version"] = int(current.get("version", 1)) + 1
    codebook = parse_codebook(raw, source=f"campaign codebook '{key}'")
    campaign.codebooks = {**(campaign.codebooks or {}), key: raw}
    db.session.flush()
    return codebook


def save_override(campaign: Campaign, item_id: str, comment: str, theme_ids: list[str]) -> None:
    """Record a manual re-coding of one comment (by its hash) for one question."""
    stored = copy.deepcopy((campaign.codebooks or {}).get(OVERRIDES, {}))
    stored.setdefault(item_id, {})[comment] = sorted(set(theme_ids))
    campaign.codebooks = {**(campaign.codebooks or {}), OVERRIDES: stored}
    db.session.flush()


# The file loader's hints speak of YAML files; people editing in the browser never see one.
BROWSER_HINTS = {
    "bad-pattern": "check its brackets and backslashes, or write the words out instead",
    "empty-include": "add words or phrases that signal the theme",
}


def problems_of(error: InstrumentError) -> list[str]:
    """Located, human-readable descriptions of a validation failure, worded for the browser."""
    return [
        replace(problem, hint=BROWSER_HINTS.get(problem.code, problem.hint)).describe()
        for problem in error.problems
    ]


__all__ = [
    "CodebookEditError",
    "accept_theme",
    "add_terms",
    "editable_codebook",
    "merge_themes",
    "problems_of",
    "rename_theme",
    "save_codebook",
    "save_override",
]
