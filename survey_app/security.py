"""Security headers: a strict CSP with a per-request nonce, no framing, no Referer leaks."""

from __future__ import annotations

import secrets

from flask import Flask, request

_NONCE_KEY = "survey_app.csp_nonce"


def csp_nonce() -> str:
    """The nonce for this request's inline-free script tags."""
    # Kept on the request's environ, not `g`: an app context can outlive one request and reuse
    # the nonce.
    if _NONCE_KEY not in request.environ:
        request.environ[_NONCE_KEY] = secrets.token_urlsafe(16)
    nonce: str = request.environ[_NONCE_KEY]
    return nonce


def register_headers(app: Flask) -> None:
    """Add the headers to every response and expose csp_nonce() to templates."""
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def add_headers(response):
        nonce = csp_nonce()
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers.setdefault("Cache-Control", "no-store")
        if app.config.get("ENV_NAME") == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
