"""Plotly charts in pages: the bundled plotly script and figures passed to it as JSON."""

from flask import Blueprint

bp = Blueprint("charts", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
