"""Themed free text for a campaign: which codebook each question uses, and cached theming runs."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from analysis.theming import codebook_fingerprint, theme_comments, wilson
from analysis.theming.stats import percent
from instruments import Instrument, InstrumentError
from instruments.codebook import Codebook, bundled_codebooks, parse_codebook

from ..extensions import db
from ..models import Campaign, Invitation, Participant

CACHE_SIZE = 64
OVERRIDES = "_overrides"
# Only what a reader of findings may see: the full coded list and the redactor's list of
# possible names stay out, since both could carry what redaction is there to remove.
PUBLISHED_KEYS = ("commented", "no_answer", "themes", "uncoded", "discovered", "key_phrases",
                  "discovery")
_cache: OrderedDict[str, dict] = OrderedDict()


@lru_cache(maxsize=1)
def standard_codebooks() -> dict[str, Codebook]:
    """The bundled codebooks, read once per process (they change only with a release)."""
    return bundled_codebooks()


def themed_items(instrument: Instrument) -> list:
    """Free-text items that get themed: every long-text item and any text item a codebook names."""
    named = {ref for codebook in standard_codebooks().values() for ref in codebook.applies_to}
    return [item for item in instrument.items
            if item.type == "long_text"
            or (item.type == "short_text" and f"{instrument.key}.{item.id}" in named)]


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
    names = set(db.session.scalars(select(Participant.name).where(
        Participant.campaign_id == campaign.id)))
    names |= set(db.session.scalars(select(Invitation.name).where(
        Invitation.campaign_id == campaign.id)))
    names |= set((campaign.settings or {}).get("redact_terms", []))
    return sorted(name.strip() for name in names if name and name.strip())


def comment_hash(text: str) -> str:
    """A short stable id of a comment (of its original text) for manual re-coding."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def themed_findings(campaign: Campaign, instrument: Instrument,
                    responses: list[dict[str, list[str]]], k: int) -> dict[str, dict]:
    """Per free-text item: the theming result (published parts), codebook used and version."""
    names = redaction_names(campaign)
    overrides = (campaign.codebooks or {}).get(OVERRIDES, {})
    found = {}
    for item in themed_items(instrument):
        comments = [" ".join(r.get(item.id, [])) for r in responses
                    if " ".join(r.get(item.id, [])).strip()]
        codebook = codebook_for(campaign, instrument, item.id)
        result = cached_theming(comments, codebook, names, k, overrides.get(item.id, {}))
        entry = {key: result[key] for key in PUBLISHED_KEYS}
        entry.update(prompt=item.prompt, codebook=codebook.key if codebook else None,
                     codebook_title=codebook.title if codebook else None,
                     codebook_version=codebook.version if codebook else None,
                     codebook_hash=result["run"]["codebook_hash"],
                     own_codebook=_is_own(campaign, codebook),
                     overridden=result.get("overridden", 0),
                     uncoded_percent=_share(result["uncoded"], result["commented"]))
        found[item.id] = entry
    return found


def cached_theming(comments: list[str], codebook: Codebook | None, names: list[str], k: int,
                   overrides: dict[str, list[str]] | None = None) -> dict:
    """theme_comments, remembered by the comments, codebook, names, threshold and overrides."""
    key = hashlib.sha256(json.dumps(
        [comments, codebook_fingerprint(codebook), names, k, overrides or {}],
        sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    result = theme_comments(comments, codebook, names=names, k=k)
    if overrides and codebook is not None:
        _apply_overrides(result, comments, overrides, codebook, k)
    _cache[key] = result
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return result


def _apply_overrides(result: dict, comments: list[str], overrides: dict[str, list[str]],
                     codebook: Codebook, k: int) -> None:
    """Replace the codes of re-coded comments and recount each theme (quotes are kept as run)."""
    known = {theme.id for theme in codebook.themes}
    changed = 0
    for row, comment in enumerate(comments):
        chosen = overrides.get(comment_hash(comment))
        if chosen is not None and row < len(result["coded"]):
            result["coded"][row]["themes"] = [t for t in chosen if t in known]
            changed += 1
    answered = [entry for entry in result["coded"] if entry["text"]]
    total = len(answered)
    for theme in result["themes"]:
        count = sum(1 for entry in answered if theme["id"] in entry["themes"])
        low, high = wilson(count, total)
        theme.update(count=count, percent=_share(count, total),
                     ci=[round(100 * low, 1), round(100 * high, 1)])
        if count < k:
            theme["quotes"] = []
    result["uncoded"] = sum(1 for entry in answered if not entry["themes"])
    result["overridden"] = changed


def _is_own(campaign: Campaign, codebook: Codebook | None) -> bool:
    """True when the campaign's saved copy was used (not the bundled one it fell back to)."""
    saved = (campaign.codebooks or {}).get(codebook.key) if codebook else None
    return bool(saved) and saved.get("version") == codebook.version


def _share(count: int, total: int) -> float | None:
    return percent(count, total) if total else None


def recodable_comments(campaign: Campaign, instrument: Instrument,
                       responses: list[dict[str, list[str]]], item_id: str,
                       k: int) -> list[dict[str, Any]]:
    """Redacted comments of one item with their codes and hash, for manual re-coding."""
    comments = [" ".join(r.get(item_id, [])) for r in responses
                if " ".join(r.get(item_id, [])).strip()]
    codebook = codebook_for(campaign, instrument, item_id)
    overrides = (campaign.codebooks or {}).get(OVERRIDES, {}).get(item_id, {})
    result = cached_theming(comments, codebook, redaction_names(campaign), k, overrides)
    return [{"hash": comment_hash(comment), "text": entry["text"], "themes": entry["themes"]}
            for comment, entry in zip(comments, result["coded"], strict=True) if entry["text"]]


def clear_cache() -> None:
    """Forget every cached theming run (tests, and after bulk changes)."""
    _cache.clear()
