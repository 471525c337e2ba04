"""The `survey-app` console script: the Flask CLI bound to this app's factory."""

from __future__ import annotations

import os

from flask.cli import FlaskGroup

from .serve import run_command


def _create_app():
    from . import create_app

    return create_app()


def make_cli() -> FlaskGroup:
    """The `survey-app` command group (Flask's, with this app's `run`)."""
    cli = FlaskGroup(
        create_app=_create_app,
        add_version_option=False,
        help="Survey and feedback platform: run `survey-app COMMAND --help`.",
    )
    cli.add_command(run_command)  # Flask's, with links on the served address and --demo-links
    return cli


def main() -> None:
    """Entry point for `survey-app`."""
    # The CLI works on local data; serving in production goes through gunicorn with SECRET_KEY set.
    os.environ.setdefault("SURVEY_APP_ENV", "development")
    make_cli().main(prog_name="survey-app")
