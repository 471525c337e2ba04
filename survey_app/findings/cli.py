"""`survey-app report CAMPAIGN_ID --format json`: a campaign's findings on standard output."""

from __future__ import annotations

import json
import sys

import click

from ..extensions import db
from ..models import Campaign
from ..statuses import CampaignKind


@click.command("report")
@click.argument("campaign_id")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json"]),
    default="json",
    show_default=True,
    help="Output format.",
)
def report_command(campaign_id: str, output_format: str) -> None:
    """Print a campaign's findings (survey) or cohort report (360), suppressed as on the pages."""
    campaign = db.session.get(Campaign, campaign_id) if len(campaign_id) <= 36 else None
    if campaign is None:
        click.echo(
            f"No campaign with id '{campaign_id}'. `survey-app campaign` lists how to "
            "create one; the id is printed when it is created.",
            err=True,
        )
        sys.exit(1)
    if campaign.kind == CampaignKind.SURVEY:
        from .services import report_json, survey_findings

        data = report_json(survey_findings(campaign))
    else:
        from ..reports.services import report_360_json

        data = report_360_json(campaign)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


COMMANDS = (report_command,)
