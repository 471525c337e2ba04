"""The Flask application factory: configuration, extensions, blueprints, errors and CLI."""

from __future__ import annotations

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
MIGRATIONS = (SOURCE_MIGRATIONS if SOURCE_MIGRATIONS.is_dir()
              else Path(sys.prefix) / "share" / "survey-app" / "migrations")


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides values read from the environment."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(app.instance_path, config))
    register_extensions(app)
    register_inputs(app)
    register_blueprints(app)
    register_privacy(app)
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
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)


def register_inputs(app: Flask) -> None:
    """URL converters that refuse control characters and overflowing ids (before any route)."""
    from .inputs import register_inputs as register

    register(app)


def register_blueprints(app: Flask) -> None:
    """Mount each feature package."""
    from .admin.routes import bp as admin_bp
    from .auth.routes import bp as auth_bp
    from .campaigns import data_routes, import_routes, people_routes  # noqa: F401  (on campaigns_bp)
    from .campaigns.routes import bp as campaigns_bp
    from .charts import bp as charts_bp
    from .coaching.routes import bp as coaching_bp
    from .evaluation.routes import bp as evaluation_bp
    from .findings import bp as findings_bp
    from .mail.routes import bp as mail_bp
    from .main.routes import bp as main_bp
    from .mixing.routes import bp as windows_bp
    from .nominations.routes import bp as nominations_bp
    from .reports.routes import bp as reports_bp
    from .respond.routes import bp as respond_bp
    from .sponsors.routes import bp as sponsors_bp
    from .talent.routes import bp as talent_bp

    for blueprint in (main_bp, charts_bp, respond_bp, auth_bp, campaigns_bp, mail_bp, admin_bp,
                      findings_bp, reports_bp, nominations_bp, windows_bp, coaching_bp,
                      sponsors_bp, talent_bp, evaluation_bp):
        app.register_blueprint(blueprint)


def register_privacy(app: Flask) -> None:
    """Privacy pages, and a per-client rate limit on every link (token) page."""
    from .privacy import register

    register(app)


def register_proxy(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto from PROXY_COUNT proxies, so limits apply per real client."""
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        # Flask's documented way to add WSGI middleware; its stubs declare wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count)


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


def register_commands(app: Flask) -> None:
    """Command-line groups available as `survey-app ...`."""
    from .commands import register_cli

    register_cli(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    # SQLite needs foreign keys switched on per connection; WAL lets readers and a writer coexist.
    # secure_delete zeroes what a delete or update frees, so a mixed batch leaves no old copies
    # in the file (docs/design.md §3.1); builds differ in their default, so it is asked for.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
