"""The talent pool: a restricted register of people who put themselves forward."""

from flask import Blueprint

bp = Blueprint("talent", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
