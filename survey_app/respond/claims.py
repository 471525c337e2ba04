"""Claiming a forwarded link: the first browser to open it keeps it; a resume code moves it.

The claim secret lives only in a cookie scoped to the link's path; the database keeps hashes of
the secret and of the short resume code, so neither can be read back from storage.
"""

from __future__ import annotations

import secrets

from flask import request
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Invitation
from ..tokens import hash_token, same_secret

CLAIM_COOKIE = "link_claim"
CLAIM_MAX_AGE = 60 * 60 * 24 * 365
RESUME_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
RESUME_LENGTH = 10


def claim_state(invitation: Invitation) -> str:
    """'mine' if this browser holds the claim, 'unclaimed', or 'other'."""
    if invitation.claim_hash is None:
        return "unclaimed"
    secret = request.cookies.get(CLAIM_COOKIE, "")
    if secret and same_secret(hash_token(secret), invitation.claim_hash):
        return "mine"
    return "other"


def claim(invitation: Invitation) -> tuple[str, str]:
    """Claim the link for this browser: returns (cookie secret, resume code to show once)."""
    secret = secrets.token_urlsafe(24)
    code = new_resume_code()
    invitation.claim_hash = hash_token(secret)
    invitation.resume_code_hash = hash_token(normalise_code(code))
    db.session.flush()
    return secret, code


def new_resume_code() -> str:
    """A short code people can copy by hand, shown as two groups of five."""
    raw = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    """The code as typed, without spaces, dashes or case differences."""
    return "".join(c for c in code.upper() if c.isalnum())


def reclaim(invitation: Invitation, code: str | None) -> str | None:
    """Move the claim to this browser if the resume code matches; returns the new secret."""
    if not invitation.resume_code_hash or not code:
        return None
    if not same_secret(hash_token(normalise_code(code)), invitation.resume_code_hash):
        return None
    secret = secrets.token_urlsafe(24)
    invitation.claim_hash = hash_token(secret)
    db.session.flush()
    return secret


def renew_resume_code(invitation: Invitation) -> str:
    """A fresh resume code for the browser holding the claim (the old code stops working)."""
    code = new_resume_code()
    invitation.resume_code_hash = hash_token(normalise_code(code))
    db.session.flush()
    return code


def set_claim_cookie(response: Response, secret: str, link_path: str) -> Response:
    """Store the claim secret in a cookie that only this link's pages receive."""
    response.set_cookie(
        CLAIM_COOKIE,
        secret,
        max_age=CLAIM_MAX_AGE,
        path=link_path,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response
