"""CLI commands. Each group is thin: it parses arguments and calls a service."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from instruments import InstrumentError

from .extensions import db
from .statuses import Role

instruments_cli = AppGroup("instruments", help="List, check and show instrument files.")
campaign_cli = AppGroup("campaign", help="Create and run campaigns.")
MAX_SHOWN = 100  # problems listed per file: a broken file must not print megabytes


def register_cli(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    from .campaigns.cli import register as register_campaign_cli
    from .coaching.cli import register as register_pool_cli
    from .evaluation.cli import register as register_evaluation_cli
    from .findings.cli import report_command
    from .themes.cli import themes_command

    for command in (instruments_cli, campaign_cli, create_user_command, reset_password_command,
                    demo_command, report_command, themes_command):
        app.cli.add_command(command)
    register_campaign_cli(app)
    register_pool_cli(app)
    register_evaluation_cli(app)
    from .privacy.cli import register as privacy_cli; privacy_cli(app)  # noqa: E702,I001


@instruments_cli.command("list")
def instruments_list() -> None:
    """Print every bundled instrument's key, version and title."""
    from .instrument_store import bundled

    for instrument in bundled().values():
        click.echo(f"{instrument.key}\tv{instrument.version}\t{instrument.title}")


@instruments_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def instruments_check(paths: tuple[Path, ...]) -> None:
    """Validate instrument or codebook files; exit 1 listing every problem."""
    from .instrument_checks import check_file

    failed = False
    for path in paths:
        try:
            summary = check_file(path)
        except InstrumentError as error:
            failed = True
            click.echo(f"{path}: {len(error.problems)} problem(s)", err=True)
            for problem in error.problems[:MAX_SHOWN]:
                click.echo(f"  - {problem.describe()}", err=True)
            if len(error.problems) > MAX_SHOWN:
                click.echo(f"  ... and {len(error.problems) - MAX_SHOWN} more", err=True)
        else:
            click.echo(f"{path}: OK ({summary})")
    sys.exit(1 if failed else 0)


@instruments_cli.command("show")
@click.argument("key")
def instruments_show(key: str) -> None:
    """Print a bundled instrument as a Markdown document."""
    from instruments.render import instrument_markdown

    from .instrument_store import bundled

    instruments = bundled()
    if key not in instruments:
        raise click.UsageError(f"no instrument '{key}'; try one of: {', '.join(instruments)}")
    click.echo(instrument_markdown(instruments[key]))


@campaign_cli.command("create")
@click.option("--instrument", "instrument_key", required=True, help="Instrument key.")
@click.option("--title", required=True, help="Campaign title.")
@click.option("--owner", "owner_email", default=None, help="Owner's email (default: first admin).")
def campaign_create(instrument_key: str, title: str, owner_email: str | None) -> None:
    """Create a draft campaign; prints its id as the last line."""
    from .campaigns.services import CampaignError, create_campaign
    from .users import find_owner

    try:
        owner = find_owner(owner_email)
        campaign = create_campaign(owner, instrument_key, title)
    except (CampaignError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {campaign.kind} campaign '{campaign.title}' from "
               f"{campaign.instrument_key} v{campaign.instrument_version}.")
    click.echo(campaign.id)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]),
              default=Role.COMMISSIONER.value)
@click.option("--name", default="", help="Display name.")
def create_user_command(email: str, role: str, name: str) -> None:
    """Create an account; the password comes from SURVEY_APP_PASSWORD or a prompt."""
    from .auth.services import AccountError, create_user

    password = os.environ.get("SURVEY_APP_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
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
    from .auth.resets import RESET_MINUTES, issue_reset, reset_url
    from .models import User

    user = db.session.scalar(db.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    link = reset_url(issue_reset(user))
    db.session.commit()
    click.echo(f"Give this link to {user.email}; it works once, within {RESET_MINUTES} minutes:")
    click.echo(link)


@click.command("demo")
@click.option("--links/--no-links", default=True, help="Print fresh demo links.")
@click.option("--force", is_flag=True, help="Load it outside development and testing too.")
def demo_command(links: bool, force: bool) -> None:
    """Load demo data when the database is empty, and print sign-in details and links."""
    from .config import DEV_ENVIRONMENTS
    from .demo import load_demo, print_demo_links

    environment = current_app.config["ENV_NAME"]
    if environment not in DEV_ENVIRONMENTS and not force:
        # The demo's administrator has a password printed in the README.
        raise click.ClickException(
            f"the demo creates accounts with published passwords, so it runs only when "
            f"SURVEY_APP_ENV is development or testing (here: {environment}); "
            "add --force to load it anyway")

    created = load_demo(echo=click.echo)
    db.session.commit()
    if links:
        print_demo_links(echo=click.echo, fresh=not created)
        db.session.commit()
