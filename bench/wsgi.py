"""The real app for load tests (gunicorn bench.wsgi:app): DATABASE_URL names the database."""

from __future__ import annotations

import os

from bench.common import make_app

app = make_app(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
