"""Validation of an instrument's `settings:` block (thresholds, relationships, roles and levels)."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import Any

from .types import QUESTION_TYPES

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
    # Instrument: items whose options each campaign lists (e.g. its sub-regions), and other
    # rating scales a campaign may choose instead of the file's own.
    "campaign_options",
    "rating_variants",
    # Campaign: the options it lists per item, the rating variant it chose, the data set it holds.
    "listed_options",
    "rating_variant",
    "source_data",
    # Instrument: how its facets map onto another framework (shown in the instrument document).
    "crosswalk",
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
    problems += _campaign_option_problems(settings)
    problems += _crosswalk_problems(settings.get("crosswalk"), data.get("sections") or [])
    return problems


def _crosswalk_problems(crosswalk: object, sections: list[Any]) -> list[tuple[str, str, str, str]]:
    if crosswalk is None:
        return []
    where = "settings.crosswalk"
    facets = crosswalk.get("facets") if isinstance(crosswalk, Mapping) else None
    if not isinstance(crosswalk, Mapping) or not isinstance(facets, Mapping):
        return [
            (
                "bad-crosswalk",
                where,
                "a crosswalk needs 'framework:' (its name) and 'facets:' (item id: elements)",
                "e.g. facets: {openness_new_ideas: [Deal with ambiguity and change]}",
            )
        ]
    levelled = {
        item.get("id")
        for section in sections
        if isinstance(section, Mapping)
        for item in section.get("items") or []
        if isinstance(item, Mapping) and _is_facet(item.get("type"))
    }
    problems = []
    for facet, elements in facets.items():
        if facet not in levelled:
            match = difflib.get_close_matches(str(facet), sorted(map(str, levelled)), n=1)
            problems.append(
                (
                    "unknown-item",
                    f"{where}.facets.{facet}",
                    f"'{facet}' is not a levelled item of this instrument",
                    f"did you mean '{match[0]}'?" if match else "name a levelled item's id",
                )
            )
        elif not isinstance(elements, list) or not all(
            isinstance(e, str) and e.strip() for e in elements
        ):
            problems.append(
                (
                    "bad-crosswalk",
                    f"{where}.facets.{facet}",
                    "each facet maps to a list of the framework's elements, as text",
                    "e.g. - Develop self and others",
                )
            )
    return problems


def _campaign_option_problems(settings: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    problems = []
    listed = settings.get("campaign_options")
    if listed is not None and not (
        isinstance(listed, list) and all(isinstance(i, str) for i in listed)
    ):
        problems.append(
            (
                "bad-campaign-options",
                "settings.campaign_options",
                "campaign_options must list item ids",
                "e.g. campaign_options: [sub_region]",
            )
        )
    variants = settings.get("rating_variants") or {}
    if not isinstance(variants, Mapping):
        variants = {"": None}
    for name, variant in variants.items():
        ok = (
            isinstance(variant, Mapping)
            and isinstance(variant.get("label"), str)
            and isinstance(variant.get("items"), list)
            and isinstance(variant.get("options"), list)
            and all(isinstance(o, Mapping) and "code" in o for o in variant["options"])
        )
        if not ok:
            problems.append(
                (
                    "bad-rating-variant",
                    f"settings.rating_variants.{name}",
                    "a rating variant needs a label, the items it applies to and its options",
                    "e.g. five_point: {label: ..., items: [...], options: [{code: 1, label: ...}]}",
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


def _is_facet(type_name: object) -> bool:
    kind = QUESTION_TYPES.get(str(type_name))
    return bool(kind and kind.behaviour_facet)


def option_code(label: str) -> str:
    """A stable option code made from a label a commissioner typed ('Kent and Medway')."""
    code = re.sub(r"[^a-z0-9]+", "_", label.casefold()).strip("_")[:60]
    return code if code[:1].isalpha() else f"o_{code}"


def campaign_raw(raw: Mapping[str, Any], settings: Mapping[str, Any]) -> dict[str, Any]:
    """The instrument data a campaign answers: its listed options and rating variant applied.

    An item named in `campaign_options` gets the campaign's `listed_options` for it, before the
    file's own options (e.g. "Outside the region"); a campaign that lists none is not asked it.
    The chosen `rating_variant` replaces the options of the items it names. A snapshot without
    these settings (campaigns launched before they existed) comes back unchanged.
    """
    data = copy.deepcopy(dict(raw))
    own = data.get("settings") or {}
    listed = settings.get("listed_options") or {}
    variant = (own.get("rating_variants") or {}).get(settings.get("rating_variant") or "")
    dropped = set()
    for section in data.get("sections") or []:
        kept = []
        for item in section.get("items") or []:
            if item.get("id") in (own.get("campaign_options") or ()):
                given = [dict(o) for o in listed.get(item["id"]) or ()]
                if not given:
                    dropped.add(item["id"])
                    continue
                codes = {str(o["code"]) for o in given}
                item["options"] = given + [
                    o for o in item.get("options") or () if str(o["code"]) not in codes
                ]
            if variant and item.get("id") in variant["items"]:
                item["options"] = [
                    {"code": str(o["code"]), "label": str(o["label"])} for o in variant["options"]
                ]
            kept.append(item)
        section["items"] = kept
    if dropped:
        data["crosstabs"] = [p for p in data.get("crosstabs") or () if not set(p) & dropped]
    return data
