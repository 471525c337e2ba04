"""What the campaign commands share: finding the campaign, file or account they name."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from ..extensions import db
from ..models import Campaign, User
from ..statuses import Role
from .imports import ImportRefused


def find_campaign(campaign_id: str) -> Campaign:
    """The campaign with this id, or a clear error."""
    campaign = db.session.get(Campaign, campaign_id) if len(campaign_id) <= 36 else None
    if campaign is None:
        raise click.ClickException(f"No campaign with id '{campaign_id}'.")
    return campaign


def read_file(path: Path) -> bytes:
    """The bytes of a file named on the command line, or a clear error."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"Cannot read {path}: {error.strerror}.") from None


def refuse(refusal: ImportRefused) -> None:
    """Print every problem, undo the session's changes and stop with exit status 1."""
    db.session.rollback()
    for problem in refusal.problems:
        click.echo(problem.describe(), err=True)
    raise click.ClickException(f"{len(refusal.problems)} problem(s) found; nothing was imported.")


def find_owner(email: str | None) -> User:
    """The named user, or the first administrator; LookupError when there is none."""
    if email:
        user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            raise LookupError(f"No account for {email}. Create it with `survey-app create-user`.")
        return user
    user = db.session.scalar(select(User).where(User.role == Role.ADMIN).order_by(User.id))
    if user is None:
        raise LookupError(
            "No administrator yet: create one with "
            "`survey-app create-user EMAIL --role admin`, or pass --owner."
        )
    return user
