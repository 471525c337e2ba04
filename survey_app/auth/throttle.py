"""Counting failed sign-ins per email address and per client, with short locks.

Counted per *address typed*, whether or not it has an account, so the answers ("n tries left",
"paused") never reveal which accounts exist. The per-client limit stops one stranger from keeping
an address locked: after a few locks of anyone's address they are the ones who wait. The owner
can always get in with a reset link, and an administrator can lift a lock.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import SignInThrottle, utcnow

FORGET_AFTER = timedelta(days=1)
TABLE = SignInThrottle.__table__


@dataclass(frozen=True)
class Limit:
    """At most `failures` within `window_minutes`; reaching it locks for `lock_minutes`."""

    failures: int
    window_minutes: int
    lock_minutes: int


ADDRESS_LIMIT = Limit(failures=5, window_minutes=15, lock_minutes=5)
CLIENT_LIMIT = Limit(failures=20, window_minutes=60, lock_minutes=60)
RESET_EMAIL_LIMIT = Limit(failures=3, window_minutes=60, lock_minutes=60)


def _key(kind: str, value: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def address_key(email: str) -> str:
    """The counter for an email address as typed (trimmed, lower case)."""
    return _key("address", (email or "").strip().lower())


def client_key(remote_address: str | None) -> str:
    """The counter for one client (its IP address, as the proxy settings give it)."""
    return _key("client", remote_address or "unknown")


def reset_key(email: str) -> str:
    """The counter of reset emails asked for one address."""
    return _key("reset", (email or "").strip().lower())


def locked_for(key: str) -> int | None:
    """Whole minutes (rounded up) until the lock on `key` lifts, or None when it is not locked."""
    # Core statements throughout: the counters change under the ORM's feet.
    until = db.session.scalar(select(TABLE.c.locked_until).where(TABLE.c.key == key))
    now = utcnow()
    if until is None or until <= now:
        return None
    return max(1, math.ceil((until - now).total_seconds() / 60))


def record_failure(key: str, limit: Limit) -> int:
    """Count one failure against `key`; returns the tries left (0: now locked)."""
    now, table = utcnow(), TABLE
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    # Each step is one statement, so concurrent failures are all counted.
    db.session.execute(
        insert(table)
        .values(key=key, failures=0, window_started=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    db.session.execute(
        update(table)
        .where(
            table.c.key == key,
            or_(
                table.c.window_started <= now - timedelta(minutes=limit.window_minutes),
                table.c.locked_until <= now,
            ),
        )
        .values(failures=0, window_started=now, locked_until=None)
    )
    db.session.execute(
        update(table).where(table.c.key == key).values(failures=table.c.failures + 1)
    )
    db.session.execute(
        update(table)
        .where(
            table.c.key == key, table.c.failures >= limit.failures, table.c.locked_until.is_(None)
        )
        .values(locked_until=now + timedelta(minutes=limit.lock_minutes))
    )
    db.session.execute(delete(table).where(table.c.window_started < now - FORGET_AFTER))
    failures = db.session.scalars(select(table.c.failures).where(table.c.key == key)).one()
    return max(limit.failures - failures, 0)


def clear(key: str) -> None:
    """Forget the failures and any lock on `key` (a correct sign-in, a reset, an admin)."""
    db.session.execute(delete(TABLE).where(TABLE.c.key == key))
