"""Links shown once, after a redirect: post/redirect/get without a second post on reload.

A new link exists only at the moment it is made (only its hash is stored), so the view that
makes it keeps it in the session for exactly one page view and redirects there. Reloading that
page, or coming back to it, says the links were shown once instead of making more.
"""

from __future__ import annotations

from flask import session

KEY = "shown_once"


def keep_for_one_view(campaign_id: str, page: str, rows: list[dict], back: str = "") -> None:
    """Hold new links (name, url) for the next view of `page` ('links' or 'open_link')."""
    session[KEY] = {"campaign": campaign_id, "page": page, "rows": rows, "back": back}


def take(campaign_id: str, page: str) -> dict | None:
    """The links held for this campaign's page, forgotten as they are read."""
    held = session.get(KEY)
    if not held or held.get("campaign") != campaign_id or held.get("page") != page:
        return None
    session.pop(KEY, None)
    return held
