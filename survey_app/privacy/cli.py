"""`survey-app purge`, `erase-participant`, `backup` and `restore`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from ..extensions import db
from ..models import Participant
from .services import erase_participant, purge_campaign, purge_due, retention_days

PG_ADVICE = (
    "This database is PostgreSQL: back it up with `pg_dump --format=custom "
    "--file=FILE DBNAME` and restore with `pg_restore --clean --dbname=DBNAME FILE` "
    "(see docs/security.md)."
)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def purge_command(dry_run: bool) -> None:
    """Delete personal data of closed campaigns past their retention_days setting, and
    talent-pool entries past their retention date."""
    from ..talent.services import expired_entries, purge_expired

    expired = len(expired_entries())
    if expired and not dry_run:
        purge_expired()
        db.session.commit()
    if expired:
        click.echo(
            f"{'Would erase' if dry_run else 'Erased'} {expired} talent-pool "
            f"entr{'ies' if expired != 1 else 'y'} past their retention date."
        )
    due = purge_due()
    if not due:
        click.echo("No campaign is past its retention period.")
        return
    for campaign in due:
        days = retention_days(campaign)
        if dry_run:
            click.echo(
                f"Would purge {campaign.id} '{campaign.title}' (closed "
                f"{campaign.closed_at:%Y-%m-%d}, kept {days} days)."
            )
            continue
        removed = purge_campaign(campaign)
        db.session.commit()
        click.echo(f"Purged {campaign.id} '{campaign.title}': {removed.describe()}.")


@click.command("erase-participant")
@click.argument("participant_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(participant_id: str, yes: bool) -> None:
    """Erase a participant and everything about them (UK GDPR erasure request)."""
    participant = db.session.get(Participant, participant_id) if len(participant_id) <= 36 else None
    if participant is None:
        raise click.ClickException(f"no participant with id {participant_id}")
    if not yes:
        click.confirm(f"Erase participant {participant_id} and everything about them?", abort=True)
    removed = erase_participant(participant)
    db.session.commit()
    click.echo(f"Erased participant {participant_id}: {removed.describe()}.")


def _sqlite_path() -> Path:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(PG_ADVICE)
    if not url.database or url.database == ":memory:":
        raise click.ClickException("the database is in memory: there is nothing to back up")
    return Path(url.database)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Copy the SQLite database to FILE while the app keeps running (online backup)."""
    source_path = _sqlite_path()
    if file.exists():
        raise click.ClickException(f"{file} exists already: choose a new file name")
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(file)) as target:
        source.backup(target)
    click.echo(f"Backed up {source_path} to {file}.")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup in FILE (stop the app first)."""
    target_path = _sqlite_path()
    _check_backup(file)
    if not yes:
        click.confirm(
            f"Replace {target_path} with {file}? Everything since the backup is lost", abort=True
        )
    db.session.remove()
    db.engine.dispose()
    with closing(sqlite3.connect(file)) as source, closing(sqlite3.connect(target_path)) as target:
        source.backup(target)
    click.echo(f"Restored {target_path} from {file}.")


def _check_backup(file: Path) -> None:
    try:
        with closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as backup:
            tables = {
                row[0]
                for row in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.DatabaseError:
        raise click.ClickException(f"{file} is not an SQLite database") from None
    if not {"alembic_version", "campaigns", "responses"} <= tables:
        raise click.ClickException(f"{file} is not a backup of this app's database")


COMMANDS = (purge_command, erase_command, backup_command, restore_command)
