"""The app factory, configuration rules, base pages, error pages and security headers."""

import pytest
from sqlalchemy import func, select

from survey_app import create_app
from survey_app.config import ConfigError
from survey_app.extensions import db
from survey_app.models import User


def test_secret_key_is_required_in_production(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEY_APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/x")
    monkeypatch.setenv("SURVEY_APP_ENV", "development")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/x"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SURVEY_APP_ENV", "development")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/survey.sqlite")


def test_home_page_lists_instruments_with_accessible_landmarks(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main-content"' in page
    assert '<main id="main-content"' in page
    assert "<h1" in page and 'lang="en-GB"' in page
    assert "Resourceful Leader 360" in page


def test_unknown_page_gets_a_plain_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_scripts_asking_for_json_get_errors_as_json_and_browsers_a_page(app, client):
    # The answer pages' autosave asks for JSON; an error must not hand it an HTML page.
    @app.get("/boom-json")
    def boom_json():
        raise RuntimeError("database exploded")

    scripted = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert scripted.status_code == 404 and scripted.get_json()["error"] == "Not Found"
    app.config["PROPAGATE_EXCEPTIONS"] = False
    failed = client.get("/boom-json", headers={"Accept": "application/json"})
    assert failed.status_code == 500 and failed.get_json() == {"error": "Internal Server Error"}
    browser = client.get("/no/such/page", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.mimetype == "text/html" and "Page not found" in browser.get_data(as_text=True)


def test_unexpected_error_shows_friendly_page_and_rolls_back(app, client):
    @app.get("/boom")
    def boom():
        db.session.add(User(email="half@example.org", password_hash="x"))
        db.session.flush()
        raise RuntimeError("database exploded")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Your saved answers are safe" in page
    assert "RuntimeError" not in page and "Traceback" not in page
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_security_headers_forbid_framing_inline_scripts_and_referrers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_health_check_reaches_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_behind_a_proxy_the_forwarded_client_address_is_used(app):
    from survey_app import register_proxy

    seen = []

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    app.config["PROXY_COUNT"] = 1
    register_proxy(app)
    app.test_client().get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert seen == ["203.0.113.7"]


def test_without_a_proxy_forwarded_headers_are_ignored(client, app):
    seen = []

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    client.get(
        "/whoami",
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    assert seen == ["10.0.0.2"]


def test_production_environment_given_as_an_override_secures_the_cookie(monkeypatch):
    monkeypatch.setenv("SURVEY_APP_ENV", "development")
    app = create_app({"ENV_NAME": "production", "SECRET_KEY": "s" * 40})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["TESTING"] is False
