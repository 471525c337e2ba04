"""Account services: creating users, checking passwords, signing in with lock-out."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import User, utcnow

ROLES = ("admin", "commissioner")
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A request about an account that cannot be met, with a reason for the person."""


def normalise_email(email: str) -> str:
    """A validated, normalised email address; raises AccountError with the reason."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"'{email}' is not a valid email address: {exc}") from None


def create_user(email: str, password: str, role: str = "commissioner", name: str = "") -> User:
    """A new account with a scrypt-hashed password."""
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}, not '{role}'.")
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"There is already an account for {email}.")
    user = User(email=email, name=name.strip(), role=role,
                password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user


def password_matches(user: User, password: str) -> bool:
    """True when the password is the user's."""
    return check_password_hash(user.password_hash, password)


MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
# Checked when the email is unknown so a wrong email costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class SignInError(AccountError):
    """Sign-in refused: unknown email, wrong password, locked or inactive account."""


def authenticate(email: str, password: str) -> User:
    """The account these credentials open; counts failures and locks after too many."""
    wanted = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == wanted)) if wanted else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        raise SignInError("Enter a correct email address and password.")
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        raise SignInError(f"Too many failed attempts: this account is locked for "
                          f"{LOCK_MINUTES} minutes. Try again later.")
    if not password_matches(user, password or "") or not user.active:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_SIGN_INS:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        db.session.flush()
        raise SignInError("Enter a correct email address and password.")
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()
    return user


def session_version(user: User) -> str:
    """A fingerprint that changes with the password, so old sessions stop when it changes."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]
