"""Rate-limit storage for a single process without a timer thread (docs/scaling.md).

`limits`' MemoryStorage starts a `threading.Timer` whenever the last one has fired (every
10 ms under load) to sweep expired keys; under load that thread start and the sweep of every key
cost about a millisecond a request. This store sweeps in line, at most once a SWEEP_SECONDS,
and otherwise expires a key when it is next read, as MemoryStorage.get already does.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 30.0


class SweptMemoryStorage(MemoryStorage):
    """MemoryStorage that sweeps expired keys in the request, twice a minute at most."""

    STORAGE_SCHEME = ["swept-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802  (replaces the parent's timer)
        now = time.monotonic()
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]
        finally:
            self._sweeping.release()
