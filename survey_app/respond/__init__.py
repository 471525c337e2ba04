"""What people who answer by link see: surveys, 360 participants' task lists and raters."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

from . import link_routes, participant_routes, routes  # noqa: E402,F401  (the views attach to bp)
