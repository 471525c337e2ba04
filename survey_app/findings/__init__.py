"""Survey findings: tallies, cross-tabs, audit tables, themed free text, exports and codebooks."""

from flask import Blueprint

bp = Blueprint("findings", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes", "codebook_routes")
