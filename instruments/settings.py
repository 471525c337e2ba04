"""Validation of an instrument's `settings:` block (thresholds, relationships, roles and levels)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

DEFAULTS: Mapping[str, Any] = {
    "anonymity_threshold": 3,
    "blind_spot_threshold": 0.5,
    "open_link": False,
}
KNOWN = {
    "anonymity_threshold",
    "blind_spot_threshold",
    "open_link",
    "relationships",
    "roles",
    "level_labels",
    "privacy_note",
}


def settings_problems(data: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """Problems with the settings block as (code, location, message, hint)."""
    settings = data.get("settings") or {}
    if not isinstance(settings, Mapping):
        return [("bad-settings", "settings", "settings must be a mapping", "")]
    problems = []
    for key in settings:
        if key not in KNOWN:
            match = difflib.get_close_matches(key, KNOWN, n=1)
            problems.append(
                (
                    "unknown-key",
                    "settings",
                    f"unknown setting '{key}'",
                    f"did you mean '{match[0]}'?"
                    if match
                    else f"known settings: {', '.join(sorted(KNOWN))}",
                )
            )
    k = settings.get("anonymity_threshold", 3)
    if not isinstance(k, int) or isinstance(k, bool) or k < 2:
        problems.append(
            (
                "bad-threshold",
                "settings.anonymity_threshold",
                "the anonymity threshold must be a whole number of at least 2",
                "3 is the usual minimum group size",
            )
        )
    gap = settings.get("blind_spot_threshold", 0.5)
    if not isinstance(gap, int | float) or isinstance(gap, bool) or gap <= 0:
        problems.append(
            (
                "bad-threshold",
                "settings.blind_spot_threshold",
                "the blind-spot threshold must be a positive number of levels",
                "e.g. 0.5",
            )
        )
    if data.get("kind") == "360":
        problems += _relationship_problems(settings.get("relationships"))
        problems += _role_problems(settings.get("roles"))
    labels = settings.get("level_labels")
    if labels is not None and (not isinstance(labels, list) or len(labels) != 4):
        problems.append(
            (
                "levels-not-four",
                "settings.level_labels",
                "level_labels must list exactly four labels",
                "one per level, 1 to 4",
            )
        )
    return problems


def _relationship_problems(relationships: object) -> list[tuple[str, str, str, str]]:
    where = "settings.relationships"
    if not isinstance(relationships, list) or not relationships:
        return [
            (
                "missing-key",
                where,
                "a 360 instrument must list its rater relationships",
                "e.g. - {id: peer, label: Peer}",
            )
        ]
    problems = []
    ids = [r.get("id") for r in relationships if isinstance(r, Mapping)]
    if len(ids) != len(relationships) or None in ids:
        problems.append(
            ("bad-relationship", where, "each relationship needs an 'id' and 'label'", "")
        )
    if "self" not in ids:
        problems.append(
            (
                "missing-self",
                where,
                "relationships must include 'self'",
                "add - {id: self, label: Self, individual: true}",
            )
        )
    return problems


def _role_problems(roles: object) -> list[tuple[str, str, str, str]]:
    if roles is None:
        return []
    where = "settings.roles"
    if not isinstance(roles, list):
        return [("bad-roles", where, "roles must be a list of {id, label, level}", "")]
    problems = []
    for role in roles:
        level = role.get("level") if isinstance(role, Mapping) else None
        if not isinstance(role, Mapping) or "id" not in role or level not in (1, 2, 3, 4):
            problems.append(
                (
                    "bad-role",
                    where,
                    f"role {role!r} needs an id and a level 1-4",
                    "e.g. - {id: head_of_service, label: Head of service, level: 2}",
                )
            )
    return problems


def effective_settings(
    instrument_settings: Mapping[str, Any], overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Instrument defaults, then the instrument's settings, then a campaign's overrides."""
    merged = dict(DEFAULTS)
    merged.update(instrument_settings)
    merged.update(overrides or {})
    return merged
