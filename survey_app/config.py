"""Configuration read from the environment; see README for the variables."""

from __future__ import annotations

import os
from pathlib import Path

DEV_ENVIRONMENTS = ("development", "testing")


class ConfigError(RuntimeError):
    """Raised when the environment does not give a safe configuration."""


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Settings from the environment, then `overrides` (tests pass theirs here)."""
    env = os.environ.get("SURVEY_APP_ENV", "production")
    config = {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        # A connection is replaced after half an hour instead of pinged before every use (one
        # round trip a request); one the server dropped fails that request once.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Set: report jobs go to RQ on this Redis (`survey-app worker`); unset: in-process.
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "surveys@localhost"),
        "ANSWER_KEY": os.environ.get("ANSWER_KEY"),
    }
    config.update(overrides or {})
    # Derived from the final environment name, so an override of ENV_NAME carries through.
    config.setdefault("TESTING", config["ENV_NAME"] == "testing")
    config.setdefault("SESSION_COOKIE_SECURE", config["ENV_NAME"] not in DEV_ENVIRONMENTS)
    if not config["SECRET_KEY"]:
        if config["ENV_NAME"] not in DEV_ENVIRONMENTS and not config["TESTING"]:
            raise ConfigError(
                "SECRET_KEY must be set outside development and testing "
                "(export SECRET_KEY=<a long random string>)"
            )
        config["SECRET_KEY"] = "dev-only-not-secret"
    return config


def database_url(instance_path: str) -> str:
    """DATABASE_URL, or an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; psycopg 3 is what we ship.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{Path(instance_path) / 'survey.sqlite'}"
