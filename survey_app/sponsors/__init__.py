"""Sponsors who confirm a participant's nomination by their own link."""

from flask import Blueprint

bp = Blueprint("sponsors", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
