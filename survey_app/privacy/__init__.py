"""Privacy and hardening: who may use each endpoint, retention, erasure, data export, backups."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Mount the privacy pages and rate-limit every link (token) page not limited already."""
    from ..extensions import limiter
    from .audiences import TOKEN_LIMIT, audience_of
    from .routes import bp

    app.register_blueprint(bp)
    for rule in app.url_map.iter_rules():
        if audience_of(rule.endpoint) == "token" and not rule.endpoint.startswith("respond."):
            # respond.* carries a blueprint-wide limit; the others get the same one per client.
            # The ignore: mypy solves the decorator's Callable[P, R] against Flask's union of a
            # sync and an async view as one callable returning either, which it cannot assign back.
            app.view_functions[rule.endpoint] = limiter.limit(TOKEN_LIMIT)(  # type: ignore[assignment]
                app.view_functions[rule.endpoint])
