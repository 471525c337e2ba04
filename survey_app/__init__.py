"""The Flask application factory: configuration, extensions, blueprints, errors and CLI."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config
from .extensions import csrf, db, limiter, migrate

# The repository's migrations/ beside the package; an installed copy (pip install .) carries
# them as data files under its prefix (pyproject.toml, [tool.setuptools.data-files]).
SOURCE_MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
MIGRATIONS = (
    SOURCE_MIGRATIONS
    if SOURCE_MIGRATIONS.is_dir()
    else Path(sys.prefix) / "share" / "survey-app" / "migrations"
)


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides values read from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path, config))
    register_extensions(app)
    register_database_settings(app)
    register_assets(app)
    register_inputs(app)
    register_blueprints(app)
    register_errors(app)
    register_security(app)
    register_proxy(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in extensions.py to this app."""
    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .coaching import models as _coaching  # noqa: F401
    from .evaluation import models as _evaluation  # noqa: F401
    from .sponsors import models as _sponsors  # noqa: F401
    from .talent import models as _talent  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    _use_swept_memory(app)
    limiter.init_app(app)
    from .reports.jobs import register as register_report_jobs

    register_report_jobs(app)  # the cohort report's job after every commit that changed one


def _use_swept_memory(app: Flask) -> None:
    """memory:// means the store without a timer thread (survey_app/limiting.py)."""
    from . import limiting  # noqa: F401  (registers swept-memory:// with `limits`)

    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if uri.startswith("memory://"):
        app.config["RATELIMIT_STORAGE_URI"] = "swept-" + uri


def register_assets(app: Flask) -> None:
    """Compressed responses; static files and plotly.js under versioned, long-cached URLs."""
    from .assets import register_assets as register
    from .charts.routes import register_plotly_urls

    # Registered before the other after-request hooks, so compression runs last, on final bodies.
    register(app)
    register_plotly_urls(app)


def register_inputs(app: Flask) -> None:
    """URL converters that refuse control characters and overflowing ids (before any route)."""
    from .inputs import register_inputs as register

    register(app)


# Every feature package under survey_app/ with pages: its __init__.py makes its blueprint `bp`
# (named as the package: endpoint "campaigns.detail" lives in survey_app/campaigns/) and names
# in VIEWS the modules whose views attach to it. README "Layout" lists them.
FEATURES = (
    "main",
    "charts",
    "respond",
    "auth",
    "campaigns",
    "library",
    "mail",
    "admin",
    "findings",
    "reports",
    "nominations",
    "mixing",
    "coaching",
    "sponsors",
    "talent",
    "evaluation",
    "privacy",
)


def register_blueprints(app: Flask) -> None:
    """Mount each feature package's blueprint."""
    from importlib import import_module

    for feature in FEATURES:
        package = import_module(f"{__name__}.{feature}")
        for module in package.VIEWS:
            import_module(f"{package.__name__}.{module}")
        app.register_blueprint(package.bp)


def register_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from PROXY_COUNT proxies, so limits apply per real client."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        # Flask's documented way to add WSGI middleware; its stubs declare wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )


def register_errors(app: Flask) -> None:
    """Friendly error pages that roll back any half-done work."""
    from .errors import register_error_pages

    register_error_pages(app)


def register_security(app: Flask) -> None:
    """Security headers on every response (CSP with a per-request nonce)."""
    from .security import register_headers

    register_headers(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals the templates share."""
    from .templating import register_filters

    register_filters(app)


# Feature packages with commands: each one's cli.py lists them in COMMANDS (`survey-app --help`).
COMMAND_FEATURES = (
    "library",
    "campaigns",
    "auth",
    "demo",
    "findings",
    "themes",
    "coaching",
    "evaluation",
    "privacy",
    "reports",
)


def register_commands(app: Flask) -> None:
    """Command-line groups available as `survey-app ...`, from each feature's cli.py."""
    from importlib import import_module

    for feature in COMMAND_FEATURES:
        for command in import_module(f"{__name__}.{feature}.cli").COMMANDS:
            app.cli.add_command(command)


def register_database_settings(app: Flask) -> None:
    """Per-connection SQLite settings (PostgreSQL needs none)."""
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _md5(text: str | None) -> str | None:
    return None if text is None else hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # SQLite needs foreign keys switched on per connection; WAL lets readers and a writer coexist.
    # secure_delete zeroes what a delete or update frees, so a mixed batch leaves no old copies
    # in the file (docs/design.md §3.1); builds differ in their default, so it is asked for.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL, NORMAL syncs at checkpoints instead of on every commit: a power cut can lose
        # the last commits but never corrupts the file (docs/scaling.md, "SQLite").
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        # PostgreSQL has md5(); Campaign.config_digest needs it on SQLite too.
        dbapi_connection.create_function("md5", 1, _md5, deterministic=True)
