"""Raters' nominations: proposed by the participant, approved before any link is made."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
