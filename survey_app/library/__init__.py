"""The instrument library: bundled and uploaded instruments, their versions, diffs and previews."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
