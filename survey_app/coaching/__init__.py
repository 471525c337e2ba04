"""Regions, their pool of coaches and mentors, matching participants and logging sessions."""

from flask import Blueprint

bp = Blueprint("coaching", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
