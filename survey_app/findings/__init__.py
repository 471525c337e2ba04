"""Survey findings: tallies, cross-tabs, audit tables, themed free text, exports and codebooks."""

from flask import Blueprint

bp = Blueprint("findings", __name__)

from . import codebook_routes, routes  # noqa: E402,F401  (attach the views to the blueprint)
