"""Error pages: plain explanations with the right status, and never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from werkzeug.exceptions import HTTPException

from .extensions import db

MESSAGES = {
    400: ("Something was wrong with that request", "Please go back and try again."),
    403: (
        "You do not have access to this page",
        "If you think you should, ask the person who runs this campaign.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you followed "
        "a link, it may be incomplete: ask for a fresh link.",
    ),
    405: ("That action is not allowed here", "Please go back and use the page's own buttons."),
    410: (
        "This link has expired",
        "The campaign this link belongs to has closed. Nothing you "
        "had already submitted has been lost.",
    ),
    413: ("That upload is too large", "Please upload a smaller file."),
    429: ("Too many attempts", "Please wait a minute and try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Your saved answers are safe. Please try again in a few minutes.",
    ),
    503: (
        "Sorry, the service is busy",
        "Nothing was changed. Your saved answers are safe. Please try again in a few minutes.",
    ),
}


def render_error(status: int, title: str | None = None, detail: str | None = None):
    """Render the shared error page with a status code."""
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html",
        status=status,
        title=title or default_title,
        detail=detail or default_detail,
    ), status


def register_error_pages(app: Flask) -> None:
    """Attach handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return render_error(
            400,
            "Your session timed out or the form was out of date",
            "Nothing was saved from that submission. Go back, reload the page and try again.",
        )

    @app.errorhandler(RedisError)
    def rate_limit_storage_down(error):
        # The rate limiter fails closed: with its store unreachable nothing passes unchecked.
        db.session.rollback()
        app.logger.error("Rate-limit storage unavailable: %s", type(error).__name__)
        if _wants_json():
            return {"error": "Service Unavailable"}, 503
        return render_error(503)

    @app.errorhandler(HTTPException)
    def http_error(error):
        db.session.rollback()
        if _wants_json():
            return {"error": error.name, "detail": error.description}, error.code
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.endpoint)
        if _wants_json():
            return {"error": "Internal Server Error"}, 500
        return render_error(500)


def _wants_json() -> bool:
    """True for scripts asking for JSON (the answer pages' autosave), false for browsers."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )
