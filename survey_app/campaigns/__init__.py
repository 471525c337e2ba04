"""Campaigns: creating them from an instrument, their settings and their life cycle."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from . import data_routes, import_routes, people_routes, routes  # noqa: E402,F401  (the views attach to bp)
