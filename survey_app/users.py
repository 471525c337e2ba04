"""Finding accounts for CLI commands that act on someone's behalf."""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import User
from .statuses import Role


def find_owner(email: str | None) -> User:
    """The named user, or the first administrator; LookupError when there is none."""
    if email:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise LookupError(f"No account for {email}. Create it with `survey-app create-user`.")
        return user
    user = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if user is None:
        raise LookupError("No administrator yet: create one with "
                          "`survey-app create-user EMAIL --role admin`, or pass --owner.")
    return user
