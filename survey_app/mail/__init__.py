"""Invitations and reminders by email, or kept in an outbox without their links."""

from .services import deliver, send_invitation

__all__ = ["deliver", "send_invitation"]
