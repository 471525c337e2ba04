"""Invitations and reminders by email, or kept in an outbox without their links."""

from .services import deliver, send_invitation

__all__ = ["deliver", "send_invitation"]

from flask import Blueprint

bp = Blueprint("mail", __name__, url_prefix="/campaigns")

# The modules whose views attach to bp; create_app() imports them.
VIEWS = ("routes",)
