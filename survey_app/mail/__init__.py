"""Invitations and reminders: sent by SMTP when configured, otherwise kept in an outbox."""

from .services import deliver, send_link

__all__ = ["deliver", "send_link"]
