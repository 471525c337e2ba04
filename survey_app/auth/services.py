"""Account services: creating users, checking passwords, signing in with lock-out."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from instruments.problems import clip

from ..extensions import db
from ..models import User
from ..statuses import Role
from . import throttle
from .throttle import ADDRESS_LIMIT, CLIENT_LIMIT

ROLES = tuple(Role)
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A request about an account that cannot be met, with a reason for the person."""


def normalise_email(email: str) -> str:
    """A validated, normalised email address; raises AccountError with the reason."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"'{clip(email, 100)}' is not a valid email address: {exc}") from None


def create_user(email: str, password: str, role: str = Role.COMMISSIONER, name: str = "") -> User:
    """A new account with a scrypt-hashed password."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}, not '{role}'.")
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"There is already an account for {email}.")
    user = User(
        email=email, name=name.strip(), role=role, password_hash=generate_password_hash(password)
    )
    db.session.add(user)
    db.session.flush()
    return user


def password_matches(user: User, password: str) -> bool:
    """True when the password is the user's."""
    return check_password_hash(user.password_hash, password)


# Checked when the email is unknown so a wrong email costs as long as a wrong password.
@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Made on the first sign-in, not at import: scrypt takes a noticeable moment on every command.
    return generate_password_hash("not-a-real-password")


class SignInError(AccountError):
    """Sign-in refused: wrong email or password, or an inactive account (the same answer)."""


class SignInPaused(SignInError):
    """Refused before the password is checked: too many failures for the address or client."""


def _tries(left: int, minutes: int) -> str:
    return (
        f"You have {left} more {'try' if left == 1 else 'tries'} before sign-in is paused "
        f"for {minutes} minutes."
    )


def _paused(minutes: int, by_client: bool) -> SignInPaused:
    if by_client:
        return SignInPaused(
            "Too many failed sign-in attempts from this device or network: "
            f"try again in {minutes} minutes."
        )
    return SignInPaused(
        f"Too many failed attempts for this email address: sign-in for it is "
        f"paused for {minutes} minutes. If you have forgotten your password, "
        "use 'Forgotten your password?' to reset your password, or ask an "
        "administrator."
    )


def authenticate(email: str, password: str, client: str | None = None) -> User:
    """The account these credentials open; counts failures per address and client, then pauses.

    Known and unknown addresses take the same path and get the same answers, so neither the
    words nor the time taken tell anyone whether an account exists.
    """
    wanted = (email or "").strip().lower()
    address, device = throttle.address_key(wanted), throttle.client_key(client)
    waiting = throttle.locked_for(device)
    if waiting:
        raise _paused(waiting, by_client=True)
    waiting = throttle.locked_for(address)
    if waiting:
        throttle.record_failure(device, CLIENT_LIMIT)
        raise _paused(waiting, by_client=False)
    user = db.session.scalar(select(User).where(User.email == wanted)) if wanted else None
    matches = check_password_hash(user.password_hash if user else _dummy_hash(), password or "")
    if user is not None and matches and user.active:
        throttle.clear(address)
        return user
    for_address = throttle.record_failure(address, ADDRESS_LIMIT)
    for_client = throttle.record_failure(device, CLIENT_LIMIT)
    if not for_client:
        raise _paused(CLIENT_LIMIT.lock_minutes, by_client=True)
    if not for_address:
        raise _paused(ADDRESS_LIMIT.lock_minutes, by_client=False)
    tries = (
        _tries(for_address, ADDRESS_LIMIT.lock_minutes)
        if for_address <= for_client
        else _tries(for_client, CLIENT_LIMIT.lock_minutes)
    )
    raise SignInError(f"Enter a correct email address and password. {tries}")


def session_version(user: User) -> str:
    """A fingerprint of the account's sessions: it changes with the password and whenever the
    account's sessions are ended, so every older cookie (a copied one too) stops working."""
    text = f"{user.id}:{user.password_hash}:{user.session_generation or 0}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def end_sessions(user: User) -> None:
    """Sign the account out everywhere, at each session's next request."""
    user.session_generation = (user.session_generation or 0) + 1
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """A new password; every existing session of the account ends."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
