"""Real headless Chromium against the app served from a thread, on a migrated SQLite file.

Without /usr/bin/chromium the suite is skipped with a message; with REQUIRE_BROWSER=1 (CI) the
missing browser is a failure instead. Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from survey_app import create_app
from survey_app.extensions import db
from tests.browser import screenshots

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"Browser tests need Chromium at {CHROMIUM} (install the distribution's chromium "
        "package); skipping tests/browser."
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def screenshot_folder():
    """This run's screenshots of every checked page type (tests/browser/screenshots.py)."""
    screenshots.clear()
    yield screenshots.screenshot_dir()


@pytest.fixture
def screenshot():
    """Save screenshots of a page type at 1280 and 360 px: screenshot(page, "label")."""
    return screenshots.save_screenshots


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def serve(app):
    """Serve the app on a free loopback port in a thread; returns the server.

    Each response is read fully before it is written: when Chromium drops a request mid-way (it
    does on navigation), werkzeug's development server would otherwise leave a static file open,
    and the ResourceWarning would surface later in an unrelated test.
    """

    def buffered(environ, start_response):
        body = app.wsgi_app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    server = make_server("127.0.0.1", 0, buffered, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def migrated_app(folder):
    """An app on a fresh, migrated SQLite file in `folder`, as the browser suites serve it."""
    app = create_app(
        {
            "TESTING": True,
            "ENV_NAME": "testing",
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'browser.sqlite'}",
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
        }
    )
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
    return app


@contextmanager
def demo_site(browser, folder, seed, **context):
    """The demo data plus `seed()`'s extras, served from `folder`, with a signed-in commissioner.

    Yields base URL, the staff browser context and a page in it, the browser, and what `seed`
    returned; `context` goes to the staff context (e.g. a viewport).
    """
    from survey_app.demo.loader import DEMO_EMAIL, DEMO_PASSWORD
    from tests.browser.commissioner_checks import follow

    app = migrated_app(folder)
    with app.app_context():
        seeded = seed()
        db.session.commit()
    server = serve(app)
    base = f"http://127.0.0.1:{server.server_port}"
    staff = browser.new_context(base_url=base, **context)
    page = staff.new_page()
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    try:
        yield {"base": base, "staff": staff, "page": page, "browser": browser, **seeded}
    finally:
        staff.close()
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app on a fresh, migrated SQLite file."""
    return migrated_app(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def live_server(live_app, browser):
    """The base URL of the app served from a background thread."""
    server = serve(live_app)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with live_app.app_context():
        db.engine.dispose()


@pytest.fixture
def data(live_app):
    """Run a builder inside the app (commits), returning what it returns."""

    def run(builder):
        with live_app.app_context():
            result = builder()
            db.session.commit()
            return result

    return run


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (each context is a separate 'device')."""
    contexts = []

    def make(width: int = 1024, height: int = 800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def assert_accessible():
    """Run axe-core on the current page and fail with its report if anything is violated."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str) -> None:
        results = axe.run(page)
        assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"
        screenshots.save_screenshots(page, label)

    return check
