"""The reports' command: `survey-app worker`, the RQ worker for the report jobs."""

from __future__ import annotations

import click
from flask import current_app

from .jobs import QUEUE


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker for the report jobs (needs REDIS_URL)."""
    from redis import Redis
    from rq import Worker

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without it "
            "report jobs run inside the web process and need no worker."
        )
    Worker([QUEUE], connection=Redis.from_url(url)).work(burst=burst)


COMMANDS = (worker_command,)
