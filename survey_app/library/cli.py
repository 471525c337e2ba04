"""`survey-app instruments ...`: list, check and show instrument files."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from instruments import InstrumentError

instruments_cli = AppGroup("instruments", help="List, check and show instrument files.")
MAX_SHOWN = 100  # problems listed per file: a broken file must not print megabytes


@instruments_cli.command("list")
def instruments_list() -> None:
    """Print every bundled instrument's key, version and title."""
    from .store import bundled

    for instrument in bundled().values():
        click.echo(f"{instrument.key}\tv{instrument.version}\t{instrument.title}")


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


COMMANDS = (instruments_cli,)
