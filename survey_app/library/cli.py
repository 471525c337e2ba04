"""`survey-app instruments ...`: list, check, show, add and export instruments."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from instruments import InstrumentError

instruments_cli = AppGroup("instruments", help="List, check, show, add and export instruments.")
MAX_SHOWN = 100  # problems listed per file: a broken file must not print megabytes


@instruments_cli.command("list")
def instruments_list() -> None:
    """Print every instrument in the library: key, latest version, title, and whether uploaded."""
    from .services import launchable

    for key, latest in launchable().items():
        source = "" if latest.bundled else "\tuploaded"
        click.echo(f"{key}\tv{latest.version}\t{latest.title}{source}")


@instruments_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def instruments_check(paths: tuple[Path, ...]) -> None:
    """Validate instrument or codebook files; exit 1 listing every problem."""
    from .checks import check_file

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

    from .store import bundled

    instruments = bundled()
    if key not in instruments:
        raise click.UsageError(f"no instrument '{key}'; try one of: {', '.join(instruments)}")
    click.echo(instrument_markdown(instruments[key]))


@instruments_cli.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--as", "email", default="", help="The account the version is recorded as uploaded by."
)
def instruments_add(path: Path, email: str) -> None:
    """Store an instrument file (YAML or XLSForm) as its key's next version in the library."""
    from ..extensions import db
    from . import services

    user = _user(email) if email else None
    try:
        content = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read the file ({error.strerror})") from None
    try:
        added = services.add_version(user, content, path.name, command_line=user is None)
    except InstrumentError as error:
        click.echo(f"{path}: {len(error.problems)} problem(s); nothing stored", err=True)
        for problem in error.problems[:MAX_SHOWN]:
            click.echo(f"  - {problem.describe()}", err=True)
        if len(error.problems) > MAX_SHOWN:
            click.echo(f"  ... and {len(error.problems) - MAX_SHOWN} more", err=True)
        sys.exit(1)
    except services.LibraryError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(added.describe())


@instruments_cli.command("export")
@click.argument("key")
@click.option("--version", "wanted", type=int, default=None, help="A version (default: latest).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "xlsform"]), required=True)
@click.option("--output", type=click.Path(path_type=Path), default=None, help="Default: stdout.")
def instruments_export(key: str, wanted: int | None, fmt: str, output: Path | None) -> None:
    """Write a bundled or uploaded instrument version as YAML or an XLSForm workbook."""
    from . import services

    found = services.latest(key) if wanted is None else services.find_version(key, wanted)
    if found is None:
        known = services.versions_of(key)
        if not known:
            raise click.ClickException(f"no instrument '{key}' in the library")
        numbers = ", ".join(str(v.version) for v in known)
        raise click.ClickException(f"'{key}' has no version {wanted}; it has {numbers}")
    try:
        content = services.export_bytes(found.data, fmt)
    except InstrumentError as error:
        click.echo(f"{key} v{found.version} cannot be written as {fmt}:", err=True)
        for problem in error.problems[:MAX_SHOWN]:
            click.echo(f"  - {problem.describe()}", err=True)
        sys.exit(1)
    if output is None:
        if fmt == "xlsform":
            raise click.ClickException("an XLSForm workbook is binary: give --output FILE.xlsx")
        click.echo(content.decode("utf-8"), nl=False)
    else:
        output.write_bytes(content)
        click.echo(f"{key} v{found.version} written to {output}")


def _user(email: str):
    from sqlalchemy import func, select

    from ..extensions import db
    from ..models import User

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"no active account '{email}'")
    return user


COMMANDS = (instruments_cli,)
