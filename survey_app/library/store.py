"""The app's view of instruments: bundled files, and parsed campaign snapshots (cached)."""

from __future__ import annotations

import copy
import threading
from functools import lru_cache
from typing import Any

from instruments import Instrument, bundled_instruments, parse_instrument

SNAPSHOTS_KEPT = 64
_parsed: list[tuple[dict, Instrument]] = []  # most recently parsed first
_parsing = threading.Lock()


def plain(value: Any) -> Any:
    """Instrument.raw's read-only mappings and tuples as the dicts and lists JSON columns store."""
    if hasattr(value, "items"):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@lru_cache(maxsize=1)
def bundled() -> dict[str, Instrument]:
    """Every bundled instrument by key, loaded once per process."""
    return bundled_instruments()


def snapshot_instrument(snapshot: dict) -> Instrument:
    """The validated instrument a campaign launched with (parsed once per distinct snapshot)."""
    global _parsed
    # Every request reloads the snapshot as a new dict; comparing it with the few kept ones is a
    # tenth of the cost of serialising it to hash, which showed in every answering request.
    for known, instrument in _parsed:
        if known == snapshot:
            return instrument
    with _parsing:
        kept = copy.deepcopy(snapshot)
        instrument = parse_instrument(copy.deepcopy(snapshot), source="campaign snapshot")
        _parsed = [(kept, instrument), *_parsed[: SNAPSHOTS_KEPT - 1]]
    return instrument
