"""Themed free text for a campaign: which codebook each question uses, and cached theming runs."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from analysis import theming
from analysis.theming.stats import percent
from instruments import Instrument, InstrumentError, type_of
from instruments.codebook import Codebook, bundled_codebooks, parse_codebook

from ..extensions import db
from ..models import Campaign, Invitation, Participant

CACHE_SIZE = 64
# The commissioner's codes live in the campaign's codebooks JSON under this key, per question
# and comment hash: {"barriers": {"3f2a…": ["budgets"]}}. The campaign's model learns from them.
OVERRIDES = "_overrides"
ASK = 10  # comments the coding page offers first: those whose codes would teach the model most
# Only what a reader of findings may see: the full coded list and the redactor's list of
# possible names stay out, since both could carry what redaction is there to remove.
PUBLISHED_KEYS = (
    "commented",
    "no_answer",
    "themes",
    "uncoded",
    "discovered",
    "key_phrases",
    "discovery",
    "learning",
)
_cache: OrderedDict[str, dict] = OrderedDict()


@lru_cache(maxsize=1)
def standard_codebooks() -> dict[str, Codebook]:
    """The bundled codebooks, read once per process (they change only with a release)."""
    return bundled_codebooks()


def themed_items(instrument: Instrument) -> list:
    """Free-text items that get themed: every long-text item and any text item a codebook names."""
    named = {ref for codebook in standard_codebooks().values() for ref in codebook.applies_to}
    return [
        item
        for item in instrument.items
        if type_of(item).always_themed
        or (type_of(item).is_free_text and f"{instrument.key}.{item.id}" in named)
    ]


def campaign_codebooks(campaign: Campaign) -> dict[str, Codebook]:
    """Bundled codebooks with the campaign's own saved versions in their place."""
    found = dict(standard_codebooks())
    for key, raw in (campaign.codebooks or {}).items():
        if key.startswith("_"):
            continue
        try:
            found[key] = parse_codebook(raw, source=f"campaign codebook '{key}'")
        except InstrumentError:
            continue  # saved copies are validated first; a broken one falls back to the bundled
    return found


def codebook_for(campaign: Campaign, instrument: Instrument, item_id: str) -> Codebook | None:
    """The codebook whose applies_to names this question, the campaign's own copy first."""
    reference = f"{instrument.key}.{item_id}"
    for codebook in campaign_codebooks(campaign).values():
        if reference in codebook.applies_to:
            return codebook
    return None


def redaction_names(campaign: Campaign) -> list[str]:
    """Names to take out of comments: participants, invitees and the commissioner's own list."""
    names = set(
        db.session.scalars(select(Participant.name).where(Participant.campaign_id == campaign.id))
    )
    names |= set(
        db.session.scalars(select(Invitation.name).where(Invitation.campaign_id == campaign.id))
    )
    names |= set((campaign.settings or {}).get("redact_terms", []))
    return sorted(name.strip() for name in names if name and name.strip())


def comment_hash(text: str) -> str:
    """A short stable id of a comment (of its original text) for manual re-coding."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def themed_findings(
    campaign: Campaign, instrument: Instrument, responses: list[dict[str, list[str]]], k: int
) -> dict[str, dict]:
    """Per free-text item: the theming result (published parts), codebook used and version."""
    names = redaction_names(campaign)
    overrides = (campaign.codebooks or {}).get(OVERRIDES, {})
    found = {}
    for item in themed_items(instrument):
        comments = [
            " ".join(r.get(item.id, [])) for r in responses if " ".join(r.get(item.id, [])).strip()
        ]
        codebook = codebook_for(campaign, instrument, item.id)
        result = cached_theming(
            comments, codebook, names, k, overrides.get(item.id, {}), question=item.prompt
        )
        entry = {key: result[key] for key in PUBLISHED_KEYS}
        # Which comment sits in which proposed theme stays here, like the per-comment codes.
        entry["discovered"] = [
            {key: value for key, value in theme.items() if key != "rows"}
            for theme in result["discovered"]
        ]
        if result["learning"]:  # the rows to ask about are for the coding page only
            entry["learning"] = {key: result["learning"][key] for key in ("codes", "estimates")}
        entry.update(
            prompt=item.prompt,
            codebook=codebook.key if codebook else None,
            codebook_title=codebook.title if codebook else None,
            codebook_version=codebook.version if codebook else None,
            codebook_hash=result["run"]["codebook_hash"],
            own_codebook=_is_own(campaign, codebook),
            overridden=(result["learning"] or {}).get("codes", 0),
            uncoded_percent=_share(result["uncoded"], result["commented"]),
        )
        found[item.id] = entry
    return found


def cached_theming(
    comments: list[str],
    codebook: Codebook | None,
    names: list[str],
    k: int,
    overrides: dict[str, list[str]] | None = None,
    question: str = "",
    ask: int = 0,
) -> dict:
    """theme_comments with the commissioner's codes, remembered by everything that shapes it."""
    key = hashlib.sha256(
        json.dumps(
            [
                comments,
                theming.codebook_fingerprint(codebook),
                names,
                k,
                overrides or {},
                question,
                ask,
            ],
            sort_keys=True,
            ensure_ascii=False,
        ).encode("utf-8")
    ).hexdigest()
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    known = {theme.id for theme in codebook.themes} if codebook else set()
    coded = {
        row: [theme for theme in (overrides or {})[digest] if theme in known]
        for row, digest in enumerate(comment_hash(comment) for comment in comments)
        if digest in (overrides or {})
    }
    result = theming.theme_comments(
        comments, codebook, names=names, k=k, coded=coded or None, ask=ask, question=question
    )
    _cache[key] = result
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return result


def _is_own(campaign: Campaign, codebook: Codebook | None) -> bool:
    """True when the campaign's saved copy was used (not the bundled one it fell back to)."""
    if codebook is None:
        return False
    saved = (campaign.codebooks or {}).get(codebook.key) or {}
    return bool(saved) and saved.get("version") == codebook.version


def _share(count: int, total: int) -> float | None:
    return percent(count, total) if total else None


def recodable_comments(
    campaign: Campaign,
    instrument: Instrument,
    responses: list[dict[str, list[str]]],
    item_id: str,
    k: int,
) -> dict[str, Any]:
    """One item's redacted comments with their codes and suggestions, the most useful first."""
    comments = [
        " ".join(r.get(item_id, [])) for r in responses if " ".join(r.get(item_id, [])).strip()
    ]
    codebook = codebook_for(campaign, instrument, item_id)
    overrides = (campaign.codebooks or {}).get(OVERRIDES, {}).get(item_id, {})
    result = cached_theming(
        comments,
        codebook,
        redaction_names(campaign),
        k,
        overrides,
        question=instrument.item(item_id).prompt,
        ask=ASK,
    )
    labels = {theme.id: theme.label for theme in codebook.themes} if codebook else {}
    entries = {}
    for comment, entry in zip(comments, result["coded"], strict=True):
        if entry["text"]:
            entries[entry["row"]] = {
                "hash": comment_hash(comment),
                "text": entry["text"],
                "themes": entry["themes"],
                "by_hand": entry.get("by_hand", False),
                "suggested": [
                    {"id": theme, "label": labels.get(theme, theme), "percent": round(100 * p)}
                    for theme, p in entry["suggested"]
                ],
            }
    asked = [entries[row] for row in result["learning"]["ask"] if row in entries]
    rest = [entry for row, entry in entries.items() if row not in result["learning"]["ask"]]
    return {"ask": asked, "rest": rest, "learning": result["learning"], "labels": labels}


def clear_cache() -> None:
    """Forget every cached theming run (tests, and after bulk changes)."""
    _cache.clear()
