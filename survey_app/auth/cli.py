"""`survey-app create-user` and `reset-password`: accounts from the command line."""

from __future__ import annotations

import os

import click

from ..extensions import db
from ..statuses import Role


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.COMMISSIONER.value)
@click.option("--name", default="", help="Display name.")
def create_user_command(email: str, role: str, name: str) -> None:
    """Create an account; the password comes from SURVEY_APP_PASSWORD or a prompt."""
    from .services import AccountError, create_user

    password = os.environ.get("SURVEY_APP_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = create_user(email, password, role=role, name=name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@click.command("reset-password")
@click.argument("email")
def reset_password_command(email: str) -> None:
    """Print a one-time link with which the account's owner chooses a new password."""
    from ..models import User
    from .resets import RESET_MINUTES, issue_reset, reset_url

    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    link = reset_url(issue_reset(user))
    db.session.commit()
    click.echo(f"Give this link to {user.email}; it works once, within {RESET_MINUTES} minutes:")
    click.echo(link)


COMMANDS = (create_user_command, reset_password_command)
