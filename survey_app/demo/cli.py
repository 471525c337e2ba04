"""`survey-app demo`: load the demo into an empty development database."""

from __future__ import annotations

import click
from flask import current_app

from ..extensions import db


@click.command("demo")
@click.option("--links/--no-links", default=True, help="Print fresh demo links.")
@click.option("--force", is_flag=True, help="Load it outside development and testing too.")
def demo_command(links: bool, force: bool) -> None:
    """Load demo data when the database is empty, and print sign-in details and links."""
    from ..config import DEV_ENVIRONMENTS
    from .loader import load_demo, print_demo_links

    environment = current_app.config["ENV_NAME"]
    if environment not in DEV_ENVIRONMENTS and not force:
        # The demo's administrator has a password printed in the README.
        raise click.ClickException(
            f"the demo creates accounts with published passwords, so it runs only when "
            f"SURVEY_APP_ENV is development or testing (here: {environment}); "
            "add --force to load it anyway"
        )

    created = load_demo(echo=click.echo)
    db.session.commit()
    if links:
        print_demo_links(echo=click.echo, fresh=not created)
        db.session.commit()


COMMANDS = (demo_command,)
