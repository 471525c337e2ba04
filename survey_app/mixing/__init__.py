"""Seal, then mix: answers stay encrypted with their invitation until a batch is mixed into
anonymous responses and its report is frozen (docs/design.md §3.1, §3.3)."""

from flask import Blueprint

bp = Blueprint("mixing", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
