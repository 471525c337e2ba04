"""Password reset links: random, stored only as a hash, single-use and expiring.

They reach the person by email when SMTP is configured; otherwise an administrator makes one and
hands it over (or runs `survey-app reset-password EMAIL` on the server).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import select

from ..extensions import db
from ..mail.services import send_email, smtp_configured
from ..models import User, utcnow
from ..tokens import hash_token, looks_like_token, new_token
from . import throttle
from .services import set_password

RESET_MINUTES = 60
EMAILS_PER_HOUR = throttle.RESET_EMAIL_LIMIT.failures


def issue_reset(user: User) -> str:
    """A fresh reset link's token for `user` (any earlier link stops working)."""
    token = new_token()
    user.reset_token_hash = hash_token(token)
    user.reset_expires_at = utcnow() + timedelta(minutes=RESET_MINUTES)
    db.session.flush()
    return token


def reset_url(token: str) -> str:
    """The full address of a reset link (built from BASE_URL, so the CLI can make one too)."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/sign-in/reset/{token}"


def user_for_reset(token: str) -> User | None:
    """The active account a live reset link belongs to, or None."""
    if not looks_like_token(token):
        return None
    user = db.session.scalar(select(User).where(User.reset_token_hash == hash_token(token)))
    if user is None or not user.active or user.reset_expires_at is None:
        return None
    return user if user.reset_expires_at > utcnow() else None


def complete_reset(user: User, password: str) -> None:
    """Set the new password, use up the link, lift any sign-in pause and end every session."""
    set_password(user, password)
    user.reset_token_hash = None
    user.reset_expires_at = None
    throttle.clear(throttle.address_key(user.email))
    db.session.flush()


def email_reset(user: User) -> str | None:
    """Email `user` a fresh reset link; the delivery error, if any."""
    body = render_template(
        "mail/password_reset.txt",
        user=user,
        minutes=RESET_MINUTES,
        url=reset_url(issue_reset(user)),
    )
    return send_email(user.email, "Reset your password", body)


def request_reset(email: str) -> None:
    """Email a link if the address has an active account and has not asked too often.

    Says nothing either way: the page answers the same for every address.
    """
    if not smtp_configured():
        return
    key = throttle.reset_key(email)
    if throttle.locked_for(key):
        return
    throttle.record_failure(key, throttle.RESET_EMAIL_LIMIT)
    wanted = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == wanted))
    if user is not None and user.active and email_reset(user):
        # The error text can name the address; the log must not.
        current_app.logger.warning("A password reset email could not be sent.")
