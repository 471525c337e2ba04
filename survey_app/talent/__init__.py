"""The talent pool: a restricted register of people who put themselves forward."""

from flask import Blueprint

bp = Blueprint("talent", __name__)

from . import routes  # noqa: E402,F401  (the views attach to bp)
