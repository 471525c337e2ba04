"""Invitations and reminders: sent by SMTP when configured, otherwise kept in an outbox."""

from . import rater_links  # noqa: F401  (connects the nomination signal)
from .services import deliver, send_link

__all__ = ["deliver", "send_link"]
