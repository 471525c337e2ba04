"""What people who answer by link see: surveys, 360 participants' task lists and raters."""

from flask import Blueprint

bp = Blueprint("respond", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes", "link_routes", "participant_routes")
