"""`survey-app run`: links on the address it serves, demo links once it answers, a fast start."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import flask.cli
import pytest
from click.testing import CliRunner

from survey_app.campaigns.links import link_url
from survey_app.cli import make_cli
from survey_app.serve import served_base_url

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "sklearn",
    "plotly",
    "weasyprint",
    "pandas",
    "pyreadstat",
    "nltk",
    "scipy",
    "openpyxl",
    "vaderSentiment",
)


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Runs `survey-app run ARGS` with the server replaced by a recorder of the app it got."""
    got = {}
    monkeypatch.setattr(
        flask.cli,
        "run_simple",
        lambda host, port, app, **kw: got.update(host=host, port=port, app=app),
    )
    monkeypatch.setenv("SURVEY_APP_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite'}")

    def run(*args):
        result = CliRunner().invoke(make_cli(), ["run", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return got["app"]

    return run


def _rater_link(app) -> str:
    with app.test_request_context():
        return link_url("invitation", "TOKEN")


def test_links_follow_the_port_the_server_runs_on(served, monkeypatch):
    monkeypatch.setenv("BASE_URL", "")  # unset (restored afterwards)
    app = served("--port", "5101")
    assert app.config["BASE_URL"] == "http://127.0.0.1:5101"
    assert _rater_link(app) == "http://127.0.0.1:5101/r/TOKEN"


def test_links_follow_the_host_too(served, monkeypatch):
    monkeypatch.setenv("BASE_URL", "")
    app = served("--host", "192.0.2.7", "--port", "8080")
    assert _rater_link(app).startswith("http://192.0.2.7:8080/")


def test_base_url_set_explicitly_wins(served, monkeypatch):
    monkeypatch.setenv("BASE_URL", "https://surveys.example.org")
    app = served("--port", "5101")
    assert _rater_link(app) == "https://surveys.example.org/r/TOKEN"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("0.0.0.0", "http://127.0.0.1:5000"),
        ("::", "http://127.0.0.1:5000"),
        ("::1", "http://[::1]:5000"),
        ("localhost", "http://localhost:5000"),
    ],
)
def test_a_wildcard_host_links_to_this_machine(host, expected):
    assert served_base_url(host, 5000) == expected


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_links_are_printed_once_the_server_answers(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SURVEY_APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite'}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("BASE_URL", None)
    command = [sys.executable, "-c", "from survey_app.cli import main; main()"]
    subprocess.run([*command, "db", "upgrade"], env=env, check=True, capture_output=True)
    with subprocess.Popen(
        [*command, "run", "--port", str(port), "--demo-links"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as server:
        try:
            deadline = time.monotonic() + 60
            line = ""
            while "Commissioner sign-in" not in line and time.monotonic() < deadline:
                line = server.stdout.readline()
            assert f"http://127.0.0.1:{port}/sign-in" in line
            # The link works the moment it is shown.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5) as page:
                assert page.status == 200
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.mark.parametrize(
    "code",
    [
        "from survey_app import create_app; create_app()",
        "import sys; from survey_app.cli import main; sys.argv = ['survey-app', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass",
    ],
)
def test_starting_the_app_or_the_cli_loads_no_heavy_library(code):
    script = f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SURVEY_APP_ENV": "development"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    loaded = {name.split(".")[0] for name in json.loads(result.stdout.splitlines()[-1])}
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))
