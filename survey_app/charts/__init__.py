"""Plotly charts in pages: the bundled plotly script and figures passed to it as JSON."""

from flask import Blueprint

bp = Blueprint("charts", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
