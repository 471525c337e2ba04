"""Campaigns: creating them from an instrument, their settings and their life cycle."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes", "data_routes", "import_routes", "people_routes")
