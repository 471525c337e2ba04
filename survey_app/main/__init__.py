"""Public pages that need no sign-in or link."""

from flask import Blueprint

bp = Blueprint("main", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
