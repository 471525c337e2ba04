"""Public pages that need no sign-in or link."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
