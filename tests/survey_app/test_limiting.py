"""The memory rate-limit store counts like limits' own, without a timer thread per window."""

from __future__ import annotations

from limits import RateLimitItemPerMinute
from limits.strategies import FixedWindowRateLimiter

from survey_app.limiting import SweptMemoryStorage


def test_the_swept_store_counts_a_limit_and_starts_no_thread_per_request():
    storage = SweptMemoryStorage()
    storage.timer.join()  # the one timer the parent starts when created
    limiter = FixedWindowRateLimiter(storage)
    limit = RateLimitItemPerMinute(3)
    assert [limiter.hit(limit, "10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit(limit, "10.0.0.2")
    assert not storage.timer.is_alive()  # no new timer was started by the hits


def test_expired_keys_are_swept_in_a_later_request():
    storage = SweptMemoryStorage()
    storage.incr("old", expiry=-1)  # already expired, never read again
    assert "old" in storage.storage
    storage._next_sweep = 0.0  # the sweep is due
    storage.incr("new", expiry=60)
    assert "old" not in storage.storage and storage.get("new") == 1
