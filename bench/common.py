"""Shared bench plumbing: throw-away databases, the app, seeded campaigns and the results table."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_NAME = os.environ.get("BENCH_PG_DB", "bench")  # a name of its own when benches share a server
SECRET = "bench-only-secret-key-not-for-production"
INSTRUMENT_360 = "resourceful_leader_360"
os.environ.setdefault("SECRET_KEY", SECRET)
os.environ.setdefault("SURVEY_APP_ENV", "development")


def backends() -> list[str]:
    """Backends to run: BENCH_BACKENDS=sqlite,postgresql (default both when PostgreSQL answers)."""
    wanted = os.environ.get("BENCH_BACKENDS")
    if wanted:
        return [b.strip() for b in wanted.split(",") if b.strip()]
    return ["sqlite", "postgresql"] if _postgres_answers() else ["sqlite"]


def _postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:  # noqa: BLE001  (any failure means: skip PostgreSQL)
        return False


@contextlib.contextmanager
def fresh_database(backend: str) -> Iterator[str]:
    """A migrated, empty database URL, dropped afterwards (SQLite file or PostgreSQL `bench`)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-") as folder:
            url = f"sqlite:///{folder}/bench.sqlite"
            migrate(url)
            yield url
        return
    import psycopg

    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {PG_NAME}")
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + (
        f"/{PG_NAME}"
    )
    try:
        migrate(url)
        yield url
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        admin.close()


def make_app(url: str, **overrides):
    """The real app on `url` in its production configuration, rate limiter on.

    The limiter's store is RATELIMIT_STORAGE_URI (memory:// unless set); with PROXY_COUNT=1
    the load generator names each rater's address in X-Forwarded-For, as a proxy would.
    """
    from survey_app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SESSION_COOKIE_SECURE": False,
            "SECRET_KEY": SECRET,
            **overrides,
        }
    )


def migrate(url: str) -> None:
    """Bring a new database to the current schema with the project's migrations."""
    from flask_migrate import upgrade

    from survey_app.extensions import db

    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def commissioner():
    """The bench's campaign owner (inside an app context)."""
    from survey_app.auth.services import create_user

    return create_user("bench@example.org", "correct horse battery staple", name="Bench Lead")


def open_360_campaign(owner, title: str = "Bench cohort"):
    """An open campaign of the bundled levelled 360 instrument."""
    from survey_app.campaigns.services import create_campaign, open_campaign

    campaign = create_campaign(owner, INSTRUMENT_360, title)
    open_campaign(campaign)
    return campaign


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    """Print aligned columns under a title."""
    cells = [[_fmt(value) for value in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(header)
    ]
    print(f"\n## {title}")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in cells:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    sys.stdout.flush()


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)
