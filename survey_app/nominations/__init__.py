"""Raters' nominations: proposed by the participant, approved before any link is made."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
