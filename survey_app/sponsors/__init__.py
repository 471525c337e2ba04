"""Sponsors who confirm a participant's nomination by their own link."""

from flask import Blueprint

bp = Blueprint("sponsors", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
