"""Regions, their pool of coaches and mentors, matching participants and logging sessions."""

from flask import Blueprint

bp = Blueprint("coaching", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
