"""`survey-app evaluation export`: a cohort's four-level evaluation as JSON, CSV or PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..models import Campaign
from .export import evaluation_csv, evaluation_json, evaluation_pdf_html
from .services import cohort_evaluation

evaluation_cli = AppGroup("evaluation", help="Export a cohort's four-level evaluation.")


@evaluation_cli.command("export")
@click.argument("campaign_id")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "pdf"]), default="json")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (needed for PDF; default: print).",
)
def evaluation_export(campaign_id: str, fmt: str, output: Path | None) -> None:
    """Every figure of CAMPAIGN_ID's evaluation, with n and interval, withheld below k.

    The command line sees every campaign (as an administrator does), so before/after pairs
    include any confirmed earlier campaign.
    """
    cohort = db.session.get(Campaign, campaign_id) if len(campaign_id) <= 36 else None
    if cohort is None or not cohort.is_360:
        raise click.ClickException(f"no 360 campaign with id {campaign_id}")
    visible = set(db.session.scalars(db.select(Campaign.id)))
    found = cohort_evaluation(cohort, visible)
    if fmt == "pdf":
        if output is None:
            raise click.UsageError("a PDF needs --output FILE")
        from ..reports.pdf import render_pdf

        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            output.write_bytes(render_pdf(evaluation_pdf_html(found)))
        click.echo(f"Wrote {output}.")
        return
    text = evaluation_csv(found) if fmt == "csv" else json.dumps(evaluation_json(found), indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.")


COMMANDS = (evaluation_cli,)
