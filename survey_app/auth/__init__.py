"""Commissioner and administrator accounts: sign-in, sign-out, roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
