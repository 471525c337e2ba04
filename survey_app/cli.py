"""The `survey-app` console script: the Flask CLI bound to this app's factory."""

from __future__ import annotations

import os

from flask.cli import FlaskGroup


def _create_app():
    from . import create_app

    return create_app()


def main() -> None:
    """Entry point for `survey-app`."""
    # The CLI works on local data; serving in production goes through gunicorn with SECRET_KEY set.
    os.environ.setdefault("SURVEY_APP_ENV", "development")
    cli = FlaskGroup(create_app=_create_app, add_version_option=False,
                     help="Survey and feedback platform: run `survey-app COMMAND --help`.")
    cli.main(prog_name="survey-app")
