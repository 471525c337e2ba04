"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..admin.audit import record_event
from ..extensions import db, limiter
from .access import current_user, safe_next, sign_in_user, sign_out_user
from .forms import SignInForm
from .services import SignInError, authenticate

bp = Blueprint("auth", __name__)


@bp.app_context_processor
def inject_user():
    """Let every template know who is signed in (for the header navigation)."""
    return {"current_user": current_user()}


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def sign_in():
    """Email and password; repeated failures lock the account for a while."""
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except SignInError as refusal:
            error = str(refusal)
            record_event("sign_in_failed", detail=(form.email.data or "")[:254], user=None)
            db.session.commit()
        else:
            sign_in_user(user)
            record_event("sign_in", user=user)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("campaigns.dashboard"))
    status = 200 if request.method == "GET" else (401 if error else 400)
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
def sign_out():
    """End the session."""
    user = current_user()
    if user:
        record_event("sign_out", user=user)
        db.session.commit()
    sign_out_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
