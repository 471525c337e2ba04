"""Links replaced by newer ones: remembered by hash only, so an old link can say what happened.

A mail-merge file or an earlier email keeps working links only until the commissioner sends or
downloads fresh ones; afterwards the old link says it was replaced and whom to ask, instead of
"Page not found". Only the SHA-256 of the dead token is kept (docs/design.md §3.1).
"""

from __future__ import annotations

from ..extensions import db
from ..models import ReplacedLink, today
from ..tokens import hash_token, looks_like_token


def remember_replaced(token_hash: str | None, campaign_id: str, kind: str) -> None:
    """Note that the link with this hash was replaced today (flushes with the caller)."""
    if not token_hash:
        return
    known = db.session.get(ReplacedLink, token_hash)
    if known is None:
        db.session.add(
            ReplacedLink(
                token_hash=token_hash, campaign_id=campaign_id, kind=kind, replaced_on=today()
            )
        )


def find_replaced(token: str) -> ReplacedLink | None:
    """The record of a replaced link, or None when this token was never a link."""
    if not looks_like_token(token):
        return None
    return db.session.get(ReplacedLink, hash_token(token))
