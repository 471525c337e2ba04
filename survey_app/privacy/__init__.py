"""Privacy and hardening: who may use each endpoint, retention, erasure, data export, backups."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
