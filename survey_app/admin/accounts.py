"""What an administrator can do to an account, and the state each account is in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..auth import resets, throttle
from ..auth.access import signed_in_user
from ..auth.services import end_sessions
from ..extensions import db
from ..mail.services import smtp_configured
from ..models import User
from .audit_log import record_event


@dataclass(frozen=True)
class Outcome:
    """What happened: a message to flash, or a one-time reset link to show."""

    message: str = ""
    refused: bool = False
    link: str = ""


def account_rows() -> list[dict]:
    """Each account with whether it is active and how long any sign-in pause still lasts."""
    users = db.session.scalars(select(User).order_by(User.email)).all()
    return [
        {"user": user, "paused": throttle.locked_for(throttle.address_key(user.email))}
        for user in users
    ]


def apply_action(user: User, action: str) -> Outcome:
    """Disable, enable, lift a pause or reset; audited. Disabling ends every session."""
    if action == "disable":
        if user.id == signed_in_user().id:
            return Outcome("You cannot disable your own account.", refused=True)
        user.active = False
        end_sessions(user)
        record_event("account_disabled", detail=user.email)
        return Outcome(f"Disabled {user.email}: every session of the account has ended.")
    if action == "enable":
        user.active = True
        record_event("account_enabled", detail=user.email)
        return Outcome(f"Enabled {user.email}.")
    if action == "unlock":
        throttle.clear(throttle.address_key(user.email))
        record_event("sign_in_unpaused", detail=user.email)
        return Outcome(f"{user.email} can sign in again now.")
    record_event("password_reset_link", detail=user.email)
    if not smtp_configured():
        return Outcome(link=resets.reset_url(resets.issue_reset(user)))
    error = resets.email_reset(user)
    if error:
        return Outcome(
            f"The reset link could not be emailed to {user.email}: {error}", refused=True
        )
    return Outcome(
        f"Emailed a reset link to {user.email}. It works once, within "
        f"{resets.RESET_MINUTES} minutes."
    )
