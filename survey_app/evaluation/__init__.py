"""The four-level evaluation of a cohort: reaction, learning, behaviour and results."""

from flask import Blueprint

bp = Blueprint("evaluation", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
