"""`survey-app run`: Flask's development server, with links on the address it serves.

Links in pages, emails and exports are built from BASE_URL. Left unset, it follows the host and
port this command serves on (so `make run PORT=5101` links to :5101); set, it wins (production,
or a server behind a proxy). With --demo-links the demo sign-in and links are printed once the
server answers, not before.
"""

from __future__ import annotations

import os
import ssl
import threading
import time
import urllib.error
import urllib.request

import click
from flask.cli import ScriptInfo, get_debug_flag
from flask.cli import run_command as flask_run

WILDCARD_HOSTS = ("", "0.0.0.0", "::")  # noqa: S104  (names, not a bind)
READY_SECONDS = 60


def served_base_url(host: str, port: int, https: bool = False) -> str:
    """The address a browser on this machine uses to reach the server bound to host:port."""
    if host in WILDCARD_HOSTS:
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"{'https' if https else 'http'}://{host}:{port}"


def wait_until_answering(url: str, seconds: float = READY_SECONDS) -> bool:
    """True once GET url answers (any HTTP status), False after `seconds` without an answer."""
    # A development certificate (--cert adhoc) is not one to verify; the server is our own.
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.2)
    return False


def _print_demo_links_when_up(info: ScriptInfo, local_url: str) -> None:
    from .demo.loader import print_demo_links
    from .extensions import db

    if not wait_until_answering(f"{local_url}/healthz"):
        click.echo(
            f"The server did not answer on {local_url} within {READY_SECONDS} s; "
            "no demo links printed.",
            err=True,
        )
        return
    with info.load_app().app_context():
        click.echo("\nThe server is up. Demo links (each run replaces the previous ones):")
        print_demo_links(echo=click.echo, fresh=True)
        db.session.commit()


@click.pass_context
def _run(ctx: click.Context, demo_links: bool, **options) -> None:
    https = options.get("cert") is not None
    if not os.environ.get("BASE_URL"):
        os.environ["BASE_URL"] = served_base_url(options["host"], options["port"], https)
    reloading = options["reload"] if options["reload"] is not None else get_debug_flag()
    # With the reloader, the outer process only watches files; the inner one serves and prints.
    serving = not reloading or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    if demo_links and serving:
        local = served_base_url(options["host"], options["port"], https)
        threading.Thread(
            target=_print_demo_links_when_up,
            daemon=True,
            args=(ctx.ensure_object(ScriptInfo), local),
        ).start()
    ctx.invoke(flask_run, **options)


run_command = click.Command(
    "run",
    callback=_run,
    short_help="Run the development server.",
    help="Run the development server. Links use BASE_URL, or this host and port when it is "
    "not set.",
    params=[
        *flask_run.params,
        click.Option(
            ["--demo-links/--no-demo-links"],
            default=False,
            help="Print the demo sign-in and links once the server answers.",
        ),
    ],
)
