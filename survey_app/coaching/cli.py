"""`survey-app pool list|import`: a region's coaches and mentors from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..campaigns.csvfiles import CsvFileError, read_table
from ..campaigns.imports import ImportProblem
from ..extensions import db
from .models import Region
from .regions import (
    SupporterData,
    active_matches,
    behaviour_choices,
    check_supporter,
    save_supporter,
)

pool_cli = AppGroup("pool", help="List a region's coaches and mentors, or import them.")
POOL_COLUMNS = ("name", "email", "authority", "offers", "strengths", "capacity", "training")


def _region(name_or_id: str) -> Region:
    region = db.session.get(Region, name_or_id) if len(name_or_id) <= 36 else None
    region = region or db.session.scalar(
        select(Region).where(func.lower(Region.name) == name_or_id.strip().lower())
    )
    if region is None:
        names = ", ".join(db.session.scalars(select(Region.name))) or "none yet"
        raise click.ClickException(f"no region '{name_or_id}' (regions: {names})")
    return region


@pool_cli.command("list")
@click.argument("region")
def pool_list(region: str) -> None:
    """Print REGION's pool (name or id): authority, offers, capacity, strengths."""
    found = _region(region)
    titles = dict(behaviour_choices())
    click.echo("name\tauthority\toffers\tsupporting/capacity\tstrengths\tavailable")
    for s in found.supporters:
        click.echo(
            f"{s.name}\t{s.authority}\t{'+'.join(s.roles)}\t{active_matches(s)}/"
            f"{s.capacity}\t{'; '.join(titles.get(b, b) for b in s.strengths)}\t"
            f"{'yes' if s.active else 'no'}"
        )


@pool_cli.command("import")
@click.argument("region")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def pool_import(region: str, file: Path) -> None:
    """Add coaches and mentors from a CSV (name, email, authority, offers, strengths, capacity,
    training); nothing is added unless every row is right."""
    found = _region(region)
    try:
        header, records = read_table(file.read_bytes())
    except CsvFileError as error:
        raise click.ClickException(str(error)) from None
    problems = [
        ImportProblem(1, h, f"unknown column; use {', '.join(POOL_COLUMNS)}")
        for h in header
        if h.strip().lower() not in POOL_COLUMNS
    ]
    problems += [
        ImportProblem(1, c, "required column is missing")
        for c in ("name", "authority", "offers")
        if c not in {h.strip().lower() for h in header}
    ]
    rows = [] if problems else [(line, _data(line, record, problems)) for line, record in records]
    for line, data in rows:
        problems += [
            ImportProblem(line, "", message) for message in check_supporter(found, data)[0]
        ]
    if problems:
        for problem in problems:
            click.echo(problem.describe(), err=True)
        raise click.ClickException(f"{len(problems)} problem(s); nothing was imported")
    for _, data in rows:
        save_supporter(found, data)
    db.session.commit()
    click.echo(f"Added {len(rows)} to {found.name}'s pool.")


def _data(line: int, record: dict[str, str], problems: list[ImportProblem]):
    row = {k.strip().lower(): (v or "").strip() for k, v in record.items()}
    offers = {
        o.strip().lower() for o in row.get("offers", "").replace("+", ";").split(";") if o.strip()
    }
    if not offers or offers - {"coach", "mentor"}:
        problems.append(ImportProblem(line, "offers", "write coach, mentor or coach;mentor"))
    by_title = {title.casefold(): bid for bid, title in behaviour_choices()}
    strengths = []
    for part in (p.strip() for p in row.get("strengths", "").split(";") if p.strip()):
        bid = part if part in by_title.values() else by_title.get(part.casefold())
        if bid is None:
            problems.append(
                ImportProblem(
                    line,
                    "strengths",
                    f"'{part}' is not one of the behaviours (use their titles, separated by ';')",
                )
            )
        else:
            strengths.append(bid)
    try:
        capacity = int(row.get("capacity") or 2)
    except ValueError:
        capacity = 0
    if not 1 <= capacity <= 20:
        problems.append(ImportProblem(line, "capacity", "a whole number from 1 to 20"))
    if not row.get("name"):
        problems.append(ImportProblem(line, "name", "a name is needed"))
    return SupporterData(
        row.get("name", ""),
        row.get("email", ""),
        row.get("authority", ""),
        "coach" in offers,
        "mentor" in offers,
        strengths,
        capacity,
        row.get("training", ""),
    )


COMMANDS = (pool_cli,)
