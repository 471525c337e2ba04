"""Signing in and out, changing a password, and resetting a forgotten one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ..admin.audit_log import record_event
from ..errors import render_error
from ..extensions import db, limiter
from ..inputs import required
from ..mail.services import smtp_configured
from . import bp, resets, throttle
from .access import current_user, login_required, safe_next, sign_in_user, sign_out_user
from .forms import ChangePasswordForm, ForgotPasswordForm, NewPasswordForm, SignInForm
from .services import (
    SignInError,
    SignInPaused,
    authenticate,
    end_sessions,
    password_matches,
    set_password,
)


@bp.app_context_processor
def inject_user():
    """Let every template know who is signed in (for the header navigation)."""
    return {"current_user": current_user()}


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def sign_in():
    """Email and password; repeated failures pause sign-in for the address or the client."""
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error, status = None, 200 if request.method == "GET" else 400
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr)
        except SignInError as refusal:
            error, status = str(refusal), 429 if isinstance(refusal, SignInPaused) else 401
            record_event("sign_in_failed", detail=(form.email.data or "")[:254], user=None)
            db.session.commit()
        else:
            sign_in_user(user)
            record_event("sign_in", user=user)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("campaigns.dashboard"))
    return render_template("auth/sign_in.html", form=form, error=error), status


@bp.post("/sign-out")
def sign_out():
    """End every session of the account, this one and any copy of its cookie."""
    user = current_user()
    if user:
        end_sessions(user)
        record_event("sign_out", user=user)
        db.session.commit()
    sign_out_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your password; every other session of the account ends."""
    user, form = current_user(), ChangePasswordForm()
    if form.validate_on_submit():
        # A stolen session must not be able to guess its way to the password: the same pause.
        address = throttle.address_key(user.email)
        waiting = throttle.locked_for(address)
        if waiting:
            form.current_password.errors.append(
                f"Too many wrong passwords for this account: try again in {waiting} minutes"
            )
        elif not password_matches(user, form.current_password.data):
            throttle.record_failure(address, throttle.ADDRESS_LIMIT)
            db.session.commit()
            form.current_password.errors.append("Your current password is not correct")
        else:
            set_password(user, form.new_password.data)
            record_event("password_changed", user=user)
            sign_in_user(user)  # this browser carries on with the new session version
            db.session.commit()
            flash(
                "Your password has been changed. Any other sessions of your account have "
                "been signed out.",
                "success",
            )
            return redirect(url_for("campaigns.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/sign-in/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not the address has an account."""
    form, asked = ForgotPasswordForm(), None
    if form.validate_on_submit():
        asked = form.email.data.strip().lower()
        resets.request_reset(asked)
        db.session.commit()
    status = 400 if request.method == "POST" and form.errors else 200
    return render_template(
        "auth/forgot_password.html",
        form=form,
        asked=asked,
        email_works=smtp_configured(),
        minutes=resets.RESET_MINUTES,
    ), status


@bp.route("/sign-in/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from a reset link (single use, expiring)."""
    user = resets.user_for_reset(token)
    if user is None:
        return render_error(
            404,
            "This reset link does not work",
            (
                "It may have been used already, replaced by a newer one, or be more than "
                f"{resets.RESET_MINUTES} minutes old: ask for a new one from the sign-in page, or "
                "ask an administrator."
            ),
        )
    form = NewPasswordForm()
    if form.validate_on_submit():
        resets.complete_reset(user, required(form.new_password.data))
        record_event("password_reset", user=user)
        db.session.commit()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, token=token), status
