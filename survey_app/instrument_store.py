"""The app's view of instruments: bundled files, and parsed campaign snapshots (cached)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from instruments import Instrument, bundled_instruments, parse_instrument


@lru_cache(maxsize=1)
def bundled() -> dict[str, Instrument]:
    """Every bundled instrument by key, loaded once per process."""
    return bundled_instruments()


def snapshot_instrument(snapshot: dict) -> Instrument:
    """The validated instrument a campaign launched with (parsed once per distinct snapshot)."""
    digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()
    return _parse_cached(digest, json.dumps(snapshot))


@lru_cache(maxsize=64)
def _parse_cached(digest: str, snapshot_json: str) -> Instrument:
    return parse_instrument(json.loads(snapshot_json), source="campaign snapshot")
