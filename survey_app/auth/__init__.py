"""Commissioner and administrator accounts: sign-in, sign-out, roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
