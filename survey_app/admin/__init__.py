"""Administration: the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
