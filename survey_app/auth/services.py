"""Account services: creating users and checking passwords."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import User

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
