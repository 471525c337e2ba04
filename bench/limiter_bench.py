"""What the rate limiter adds to a request: strategies × storages, in-process, many addresses.

Run: .venv/bin/python -m bench.limiter_bench   (needs Redis on 127.0.0.1:6379 for redis://)

A bare Flask route with the app's blueprint limit ("60 per minute", headers on) served through
the test client from 5,000 addresses, so the store holds as many keys as a busy campaign day.
Each figure is the CPU time per request minus the same route without a limiter, measured
alternately in one process (median of 3). CPU time includes the store's background threads.
"""

from __future__ import annotations

import os
import statistics
import time

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from bench.common import print_table

REQUESTS = int(os.environ.get("BENCH_LIMITER_REQUESTS", "6000"))
ADDRESSES = 5000
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")


def _app(storage: str | None, strategy: str, headers: bool = True) -> Flask:
    app = Flask(__name__)
    app.config.update(
        RATELIMIT_ENABLED=storage is not None,
        RATELIMIT_STORAGE_URI=storage or "memory://",
        RATELIMIT_STRATEGY=strategy,
        RATELIMIT_HEADERS_ENABLED=headers,
    )
    limiter = Limiter(key_func=get_remote_address, app=app)

    @app.get("/r/<token>")
    @limiter.limit("60 per minute")
    def page(token: str) -> str:
        return "ok"

    app.config["BENCH_LIMITER"] = limiter  # the route holds it only weakly
    return app


def _cpu_per_request(app: Flask) -> float:
    client = app.test_client()
    started = time.process_time()
    for n in range(REQUESTS):
        address = f"10.{n % ADDRESSES // 250}.{n % 250}.1"
        response = client.get("/r/x", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200
    return (time.process_time() - started) / REQUESTS * 1000


def main() -> None:
    """Print the added CPU per request for each storage and strategy."""
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    from survey_app.limiting import SweptMemoryStorage  # noqa: F401  (registers swept-memory://)

    subjects = [
        (storage, strategy, headers)
        for storage in ("memory://", "swept-memory://", REDIS)
        for strategy in ("fixed-window", "moving-window")
        for headers in (True, False)
    ]
    rows = []
    for storage, strategy, headers in subjects:
        added = []
        for _ in range(3):
            bare = _cpu_per_request(_app(None, strategy))
            limited = _cpu_per_request(_app(storage, strategy, headers))
            added.append(limited - bare)
            if storage.startswith("redis"):
                redis.Redis.from_url(REDIS).flushdb()
        rows.append(
            [
                storage.split("/")[0] + "//",
                strategy,
                "on" if headers else "off",
                round(bare, 3),
                round(statistics.median(added), 3),
            ]
        )
    print_table(
        f"Rate limiter, {REQUESTS} requests from {ADDRESSES} addresses (load "
        f"{os.getloadavg()[0]:.1f})",
        ["storage", "strategy", "headers", "bare ms CPU", "added ms CPU"],
        rows,
    )


if __name__ == "__main__":
    main()
