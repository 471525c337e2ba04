"""Command-line parity for commissioners: open/close, links, participants, export.

Importing responses is in import_cli.py.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..admin.audit_log import record_event
from ..extensions import db
from ..findings.source_notes import SOURCE_INSTRUMENTS
from ..models import Campaign
from ..statuses import CampaignKind
from ..wording import counted
from . import services
from .cli_common import find_campaign, find_owner, read_file, refuse
from .csvfiles import write_csv
from .import_cli import responses_cli
from .imports import ImportRefused, import_participants, participant_template
from .links import LINK_COLUMNS, make_survey_links, reissue_all_links

campaign_cli = AppGroup("campaign", help="Create and run campaigns.")
participants_cli = AppGroup("participants", help="Load 360 participants.")
EXPORT_CHOICES = {
    "csv": "csv",
    "excel-csv": "excel.csv",
    "xlsx": "xlsx",
    "sav": "sav",
    "dta": "dta",
}


@campaign_cli.command("create")
@click.option("--instrument", "instrument_key", required=True, help="Instrument key.")
@click.option("--title", required=True, help="Campaign title.")
@click.option("--owner", "owner_email", default=None, help="Owner's email (default: first admin).")
@click.option(
    "--source-data",
    type=click.Choice(sorted(SOURCE_INSTRUMENTS)),
    default=None,
    help="The campaign will hold this published data set (its report's notes are shown).",
)
def campaign_create(
    instrument_key: str, title: str, owner_email: str | None, source_data: str | None
) -> None:
    """Create a draft campaign; prints its id as the last line."""
    from .services import CampaignError, create_campaign

    try:
        owner = find_owner(owner_email)
        if source_data and SOURCE_INSTRUMENTS[source_data] != instrument_key:
            raise CampaignError(
                f"The data set {source_data} was gathered with "
                f"{SOURCE_INSTRUMENTS[source_data]}, not {instrument_key}."
            )
        settings = {"source_data": source_data} if source_data else None
        campaign = create_campaign(owner, instrument_key, title, settings)
    except (CampaignError, LookupError) as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(
        f"Created {campaign.kind} campaign '{campaign.title}' from "
        f"{campaign.instrument_key} v{campaign.instrument_version}."
    )
    click.echo(campaign.id)


@campaign_cli.command("open")
@click.argument("campaign_id")
def campaign_open(campaign_id: str) -> None:
    """Open (or reopen) a campaign so its links work."""
    campaign = find_campaign(campaign_id)
    try:
        services.open_campaign(campaign)
    except services.CampaignError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Opened '{campaign.title}'.")


@campaign_cli.command("close")
@click.argument("campaign_id")
def campaign_close(campaign_id: str) -> None:
    """Close a campaign: every link stops working and every feedback window closes."""
    from ..mixing.services import close_due_windows

    campaign = find_campaign(campaign_id)
    services.close_campaign(campaign)
    db.session.commit()
    click.echo(f"Closed '{campaign.title}'. Every link has stopped working.")
    summary = close_due_windows(campaign)
    if summary.windows_closed:
        click.echo(summary.describe())


@campaign_cli.command("close-due")
def campaign_close_due() -> None:
    """Close every feedback window whose date has passed (run it daily, e.g. from cron)."""
    from ..mixing.services import close_due_windows

    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.kind == CampaignKind.THREE_SIXTY)
    ).all()
    closed = 0
    for campaign in campaigns:
        closed += close_due_windows(campaign).windows_closed
    click.echo(f"Closed {closed} feedback window{'s' if closed != 1 else ''}.")


@campaign_cli.command("share")
@click.argument("campaign_id")
@click.argument("email")
@click.option("--names/--no-names", default=False, help="Whether they see participants' names.")
@click.option("--remove", is_flag=True, help="Stop sharing instead.")
def campaign_share(campaign_id: str, email: str, names: bool, remove: bool) -> None:
    """Share a campaign read-only with another commissioner (or stop sharing it)."""
    from .sharing import account_for, share_campaign, unshare_campaign

    campaign = find_campaign(campaign_id)
    try:
        if remove:
            unshare_campaign(campaign, account_for(email).id)
        else:
            share_campaign(campaign, email, names)
    except services.CampaignError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if remove:
        click.echo(f"'{campaign.title}' is no longer shared with {email}.")
    else:
        click.echo(
            f"Shared '{campaign.title}' with {email} "
            f"({'with' if names else 'without'} participants' names)."
        )


@campaign_cli.command("links")
@click.argument("campaign_id")
@click.option(
    "--count",
    type=int,
    default=None,
    help="Make this many new survey links (research surveys) instead.",
)
def campaign_links(campaign_id: str, count: int | None) -> None:
    """Print links as CSV. Without --count, fresh links replace every unfinished link."""
    campaign = find_campaign(campaign_id)
    try:
        rows = (
            make_survey_links(campaign, count) if count is not None else reissue_all_links(campaign)
        )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    record_event(
        "links_made" if count is not None else "links_downloaded",
        campaign,
        f"{len(rows)} links (command line)",
    )
    db.session.commit()
    click.echo(write_csv(LINK_COLUMNS, rows), nl=False)
    if count is None:
        click.echo("Earlier links for these people no longer work.", err=True)


@participants_cli.command("import")
@click.argument("campaign_id")
@click.argument("file", type=click.Path(path_type=Path))
def participants_import(campaign_id: str, file: Path) -> None:
    """Add participants from a CSV or XLSX file: all of them, or none with a row-by-row report."""
    campaign = find_campaign(campaign_id)
    try:
        added = import_participants(campaign, read_file(file), file.name)
    except ImportRefused as refusal:
        refuse(refusal)
    db.session.commit()
    for warning in added.warnings:
        click.echo(warning, err=True)
    click.echo(
        f"Added {counted(len(added.links), 'participant')}. Get their links with "
        f"`survey-app campaign links {campaign.id}`."
    )


@participants_cli.command("template")
@click.argument("campaign_id")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="FILE.xlsx (with the roles to choose from) or FILE.csv.",
)
def participants_template_command(campaign_id: str, output: Path) -> None:
    """Write an empty participants file with the right columns."""
    campaign = find_campaign(campaign_id)
    if not campaign.is_360:
        raise click.ClickException("Only 360 campaigns have participants.")
    fmt = "xlsx" if output.suffix.lower() == ".xlsx" else "csv"
    try:
        output.write_bytes(participant_template(campaign, fmt))
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from None
    click.echo(f"Wrote {output}.")


@click.command("export")
@click.argument("campaign_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_CHOICES)),
    default="csv",
    help="csv (UTF-8), excel-csv (UTF-8 with the BOM Excel needs), xlsx, sav (SPSS) "
    "or dta (Stata).",
)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
def export_command(campaign_id: str, fmt: str, output: Path) -> None:
    """Write every response of a campaign to a file (anonymity rules applied)."""
    from .data_routes import export_body
    from .exports import build_table

    campaign = find_campaign(campaign_id)
    table = build_table(campaign)
    body = export_body(table, EXPORT_CHOICES[fmt], campaign.title)
    try:
        output.write_bytes(body.encode("utf-8") if isinstance(body, str) else body)
    except OSError as error:
        raise click.ClickException(f"Cannot write {output}: {error.strerror}.") from None
    record_event("export", campaign, f"{fmt}, {len(table.rows)} responses (command line)")
    db.session.commit()
    for note in table.notes:
        click.echo(note, err=True)
    click.echo(f"Wrote {counted(len(table.rows), 'response')} to {output}.")


COMMANDS = (campaign_cli, participants_cli, responses_cli, export_command)
