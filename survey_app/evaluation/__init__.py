"""The four-level evaluation of a cohort: reaction, learning, behaviour and results."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
