"""Reading pages without a database transaction: no BEGIN and no ROLLBACK round trip.

Flask-SQLAlchemy ends every request by removing the session; the pool then rolls the
connection back. With psycopg a read opened a transaction (BEGIN) first, so every page that only
reads paid two round trips besides its query. In autocommit mode nothing is begun, and psycopg
skips the rollback of a connection that has no transaction (docs/scaling.md, "PostgreSQL").
"""

from __future__ import annotations

from flask import Blueprint, g, request

from .extensions import db

READING = ("GET", "HEAD")


def read_without_transaction(bp: Blueprint) -> None:
    """GET and HEAD requests of `bp` read in autocommit mode (they must not write)."""
    bp.before_request(_begin_reading)
    bp.teardown_request(_end_reading)


def _begin_reading() -> None:
    # SQLite is in-process: its BEGIN and ROLLBACK cost no round trip and it begins nothing
    # for a read, so it keeps the default. A session already in a transaction (a test holding
    # one open) keeps it too.
    if (
        request.method in READING
        and db.engine.dialect.name != "sqlite"
        and (not db.session().in_transaction())
    ):
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        g.read_only_session = True


def _end_reading(error: BaseException | None = None) -> None:
    # Hand the connection back now, so the session is not left in autocommit for what follows
    # in the same application context (the CLI, tests); nothing is written by this.
    if g.pop("read_only_session", False):
        db.session.commit()
