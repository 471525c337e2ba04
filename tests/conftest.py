"""Shared fixtures: the app on each database backend, a client, a CLI runner and data builders.

Every test that asks for `app` (directly or through `client`, `db_session`, ...) runs once on SQLite
and, when TEST_DATABASE_URL names a PostgreSQL database, once more on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from flask import g
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

import survey_app
from survey_app import create_app
from survey_app.demo.loader import SOUTH_EAST
from survey_app.extensions import db
from tests.paths import INSTRUMENTS

if os.environ.get("EXPECT_INSTALLED") and "site-packages" not in survey_app.__file__:
    # `make test-installed` must test the installed copy, not a checkout on the path.
    raise RuntimeError(f"survey_app imported from {survey_app.__file__}, not an installed copy")

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _psycopg_url(url: str) -> str:
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory) -> dict[str, str]:
    """One migrated database per backend for the whole session."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"}
    if POSTGRES_URL:
        urls["postgresql"] = _psycopg_url(POSTGRES_URL)
        _reset_postgres(urls["postgresql"])
    for url in urls.values():
        app = create_app({"TESTING": True, "ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            db.engine.dispose()
    return urls


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend this test runs on."""
    return request.param


@pytest.fixture
def app(backend, database_urls, tmp_path):
    """The app bound to a clean, migrated database of the current backend."""
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_urls[backend],
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "BASE_URL": "http://localhost",
        }
    )
    app.instance_path = str(tmp_path)

    @app.before_request
    def forget_cached_csrf_token():
        # The app context below outlives requests, so `g` would carry one client's CSRF token
        # into another client's request.
        g.pop("csrf_token", None)

    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _empty_tables() -> None:
    # Children before parents; migrations' own bookkeeping table is kept.
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def cli(app):
    """Runs `survey-app` commands inside the app."""
    return app.test_cli_runner()


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(page: str) -> str:
    """The CSRF token in a rendered form."""
    match = CSRF_FIELD.search(page)
    assert match, "the page has no CSRF token field"
    return match.group(1)


@pytest.fixture
def post_form():
    """Post a form the way a browser would: GET the page, take its CSRF token, POST the fields."""

    def post(client, url, data=None, get_url=None, **kwargs):
        page = client.get(get_url or url).get_data(as_text=True)
        fields = {"csrf_token": csrf_from(page), **(data or {})}
        return client.post(url, data=fields, **kwargs)

    return post


PASSWORD = "correct horse battery"


@pytest.fixture
def commissioner(app):
    """A signed-up commissioner account (password: PASSWORD)."""
    from survey_app.auth.services import create_user

    user = create_user("lead@example.org", PASSWORD, name="Regional Lead")
    db.session.commit()
    return user


@pytest.fixture
def other_commissioner(app):
    """A second commissioner with no access to the first one's campaigns."""
    from survey_app.auth.services import create_user

    user = create_user("other@example.org", PASSWORD, name="Other Lead")
    db.session.commit()
    return user


@pytest.fixture
def sign_in(post_form):
    """Sign a client in through the sign-in form (default: the commissioner)."""

    def sign(client, email="lead@example.org", password=PASSWORD):
        response = post_form(client, "/sign-in", {"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign


@pytest.fixture
def lead_client(client, commissioner, sign_in):
    """A client signed in as the commissioner who owns the test campaigns."""
    return sign_in(client)


@pytest.fixture
def make_campaign(app, commissioner):
    """Build a campaign from a bundled (or example) instrument, open by default."""
    from instruments import load_instrument
    from survey_app.campaigns.services import create_campaign, open_campaign
    from survey_app.library.store import bundled

    def make(
        instrument_key="resourceful_leader_360",
        title="Test campaign",
        status="open",
        owner=None,
        settings=None,
    ):
        if instrument_key == "tiny_feedback" and "tiny_feedback" not in bundled():
            bundled()["tiny_feedback"] = load_instrument(TINY_INSTRUMENT)
        if instrument_key == "skills_talent_audit" and "listed_options" not in (settings or {}):
            # The tests' region is the South East: its sub-regions, as a commissioner lists them.
            settings = {**(settings or {}), "listed_options": {"sub_region": SOUTH_EAST_OPTIONS}}
        campaign = create_campaign(owner or commissioner, instrument_key, title, settings)
        if status == "open":
            open_campaign(campaign)
        db.session.commit()
        return campaign

    yield make
    bundled().pop("tiny_feedback", None)


TINY_INSTRUMENT = INSTRUMENTS / "examples" / "tiny_feedback.yaml"


# The sub-regions skills audit version 2 carried in its file, now a campaign's setting (the
# demo's list, as a commissioner types them).
SOUTH_EAST_OPTIONS = [{"code": code, "label": label} for code, label in SOUTH_EAST]


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8")))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A local port nothing listens on."""
    return _free_port()


@pytest.fixture
def inbox(app):
    """A real SMTP server on localhost that the app is configured to send through."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="surveys@region.example"
    )
    yield handler
    controller.stop()
