"""Privacy and hardening: who may use each endpoint, retention, erasure, data export, backups."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
