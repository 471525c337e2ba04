"""Who is signed in, and which campaigns they may read or change.

The session is Flask's signed cookie: it holds the user id, a session version (changes with the
password) and the sign-in time; nothing is kept on the server.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, g, has_request_context, redirect, request, session, url_for
from sqlalchemy import Select, or_, select

from ..extensions import db
from ..models import Campaign, CampaignShare, Participant, User
from .services import session_version

SESSION_HOURS = 12
# The signed-in user is looked up once per request and kept in the request's WSGI environ.
_USER_KEY = "survey_app.current_user"


def sign_in_user(user: User) -> None:
    """Start a fresh session for this user (a new cookie, so no fixation)."""
    session.clear()
    # Flask-WTF caches the CSRF token in g; the cleared session no longer holds it.
    g.pop("csrf_token", None)
    session["user_id"] = user.id
    session["version"] = session_version(user)
    session["signed_in_at"] = int(time.time())
    request.environ[_USER_KEY] = user


def sign_out_user() -> None:
    """Forget the signed-in user."""
    session.clear()
    g.pop("csrf_token", None)
    request.environ[_USER_KEY] = None


def current_user() -> User | None:
    """The signed-in, active user whose session is still valid, or None."""
    if not has_request_context():
        return None
    # Cached per request (g can outlive a request when an app context is already pushed).
    if _USER_KEY in request.environ:
        return request.environ[_USER_KEY]
    user = None
    user_id = session.get("user_id")
    signed_in_at = session.get("signed_in_at", 0)
    if user_id is not None and time.time() - signed_in_at < SESSION_HOURS * 3600:
        candidate = db.session.get(User, user_id)
        if candidate and candidate.active and session.get("version") == session_version(candidate):
            user = candidate
    request.environ[_USER_KEY] = user
    return user


def signed_in_user() -> User:
    """The signed-in user, in a view behind login_required (a 404 if there is none)."""
    user = current_user()
    if user is None:
        abort(404)
    return user


def login_required(view):
    """Send people who are not signed in to the sign-in page, then back here."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Only administrators; others get 403 (signed out: the sign-in page)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def visible_campaigns(user: User) -> Select:
    """A query for the campaigns this user may see: all for admins, else owned or shared."""
    query = select(Campaign)
    if user.is_admin:
        return query
    shared = select(CampaignShare.campaign_id).where(CampaignShare.user_id == user.id)
    return query.where(or_(Campaign.owner_id == user.id, Campaign.id.in_(shared)))


def visible_campaign_ids(user: User) -> set[str]:
    """The ids of every campaign this user may see."""
    return set(db.session.scalars(visible_campaigns(user).with_only_columns(Campaign.id)))


def share_of(user: User, campaign: Campaign) -> CampaignShare | None:
    """The user's share of someone else's campaign, if any."""
    return db.session.get(CampaignShare, (campaign.id, user.id))


def can_write(user: User, campaign: Campaign) -> bool:
    """Owners and administrators change a campaign; shares are read-only."""
    return user.is_admin or campaign.owner_id == user.id


def can_see_names(user: User, campaign: Campaign) -> bool:
    """Whether this user may see participants' and raters' names and emails."""
    if can_write(user, campaign):
        return True
    share = share_of(user, campaign)
    return bool(share and share.can_see_names)


def campaign_access(campaign_id: str, write: bool = False) -> Campaign:
    """The campaign if the signed-in user may read it (or change it); otherwise abort.

    A campaign the user cannot see is a 404, exactly like one that does not exist, so guessing
    ids reveals nothing. A read-only share asking to change it gets 403.
    """
    user = current_user()
    if user is None:
        abort(404)
    campaign = db.session.get(Campaign, campaign_id) if len(campaign_id) <= 36 else None
    if campaign is None:
        abort(404)
    if can_write(user, campaign):
        return campaign
    if share_of(user, campaign) is None:
        abort(404)
    if write:
        abort(403)
    return campaign


def campaign_participant(campaign: Campaign, participant_id: str) -> Participant:
    """The campaign's participant with this id (from a URL); any other id is a 404."""
    person = db.session.get(Participant, participant_id) if len(participant_id) <= 36 else None
    if person is None or person.campaign_id != campaign.id:
        abort(404)
    return person


def safe_next(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
