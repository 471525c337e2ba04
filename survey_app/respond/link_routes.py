"""Start pages, claiming a forwarded link, resume codes, declining, and the campaign open link."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for

from ..campaigns.services import campaign_instrument, campaign_settings
from ..extensions import db, limiter
from ..inputs import error_list
from ..nominations.services import can_approve
from ..people.services import add_invitation, find_invitation, find_open_link_campaign
from ..statuses import FINISHED, InvitationStatus
from ..tokens import looks_like_token
from . import bp, claims
from .flow import (
    Answering,
    link_answering,
    not_found_or_replaced,
    open_campaign_or_abort,
    self_answering,
    who_sees_what,
)
from .forms import ActionForm, ResumeCodeForm
from .services import decline, who_runs

OPEN_COOKIE = "open_link_personal"


def _start_page(answering: Answering, resume_code: str = "", status: int = 200):
    return render_template(
        "respond/start.html",
        a=answering,
        resume_code=resume_code,
        runner=who_runs(answering.campaign),
        seen=who_sees_what(answering),
        form=ActionForm(),
        can_approve=can_approve(answering.invitation),
        has_draft=answering.invitation.sealed is not None,
    ), status


@bp.get("/r/<token>")
def r_start(token: str):
    """A personal link: start page, or straight back to where this browser left off."""
    answering = link_answering(token)
    state = claims.claim_state(answering.invitation)
    if answering.invitation.status in FINISHED:
        return redirect(answering.url("done"))
    if state == "other":
        return render_template("respond/claimed.html", a=answering, form=ResumeCodeForm())
    if state == "mine" and answering.invitation.draft_page is not None:
        return redirect(answering.url("page", number=answering.invitation.draft_page + 1))
    return _start_page(answering)


@bp.post("/r/<token>")
def r_begin(token: str):
    """'Start now': this browser claims the link and is shown its resume code."""
    answering = link_answering(token)
    state = claims.claim_state(answering.invitation)
    if not ActionForm().validate() or state == "other" or answering.invitation.status in FINISHED:
        return redirect(answering.url("start"))
    if state == "mine":
        return redirect(answering.url("page", number=1))
    secret, code = claims.claim(answering.invitation)
    db.session.commit()
    response = render_template(
        "respond/resume_code.html", a=answering, resume_code=code, personal_link=""
    )
    return claims.set_claim_cookie(_as_response(response), secret, answering.link_path)


@bp.post("/r/<token>/resume")
@limiter.limit("10 per minute")
def r_resume(token: str):
    """Another device takes over the link with the resume code."""
    answering = link_answering(token)
    form = ResumeCodeForm()
    if form.validate():
        secret = claims.reclaim(answering.invitation, form.code.data)
        if secret:
            db.session.commit()
            return claims.set_claim_cookie(
                redirect(answering.url("start")), secret, answering.link_path
            )
        error_list(form.code).append(
            "That resume code does not match this link. Check it and try "
            "again, or ask for a fresh link"
        )
    return render_template("respond/claimed.html", a=answering, form=form), 400


@bp.post("/r/<token>/resume-code")
def r_new_code(token: str):
    """A fresh resume code for the browser holding the link."""
    answering = link_answering(token)
    if (
        not ActionForm().validate()
        or claims.claim_state(answering.invitation) != "mine"
        or answering.invitation.status in FINISHED
    ):
        return redirect(answering.url("start"))
    code = claims.renew_resume_code(answering.invitation)
    db.session.commit()
    return render_template(
        "respond/resume_code.html", a=answering, resume_code=code, personal_link=""
    )


@bp.route("/r/<token>/decline", methods=["GET", "POST"])
def r_decline(token: str):
    """A rater says they will not give feedback; any draft is deleted."""
    answering = link_answering(token)
    if answering.audience != "rater" or answering.invitation.status in FINISHED:
        return redirect(answering.url("start"))
    if claims.claim_state(answering.invitation) == "other":
        return redirect(answering.url("start"))
    form = ActionForm()
    if request.method == "POST" and form.validate():
        secret = None
        if claims.claim_state(answering.invitation) == "unclaimed":
            secret, _ = claims.claim(answering.invitation)  # so this browser sees the outcome
        decline(answering.invitation)
        db.session.commit()
        response = redirect(answering.url("done"))
        return (
            claims.set_claim_cookie(response, secret, answering.link_path) if secret else response
        )
    return render_template("respond/decline.html", a=answering, form=form)


@bp.get("/p/<token>/self")
def p_start(token: str):
    """The participant's self-assessment start page."""
    answering = self_answering(token)
    if answering.invitation.status == InvitationStatus.COMPLETED:
        return redirect(answering.url("done"))
    return _start_page(answering)


@bp.route("/o/<token>", methods=["GET", "POST"])
def o_start(token: str):
    """A campaign's open link: each person who starts gets a fresh personal link."""
    campaign = find_open_link_campaign(token)
    if campaign is None:
        not_found_or_replaced(token)
    campaign = open_campaign_or_abort(campaign)
    returning = _returning_invitation(campaign.id)
    if returning:
        return redirect(url_for("respond.r_start", token=returning))
    form = ActionForm()
    if request.method == "POST" and form.validate():
        link = add_invitation(campaign, source="open_link")
        secret, code = claims.claim(link.invitation)
        db.session.commit()
        answering = link_answering(link.token)
        personal_link = url_for("respond.r_start", token=link.token, _external=True)
        response = _as_response(
            render_template(
                "respond/resume_code.html",
                a=answering,
                resume_code=code,
                personal_link=personal_link,
            )
        )
        claims.set_claim_cookie(response, secret, answering.link_path)
        response.set_cookie(
            OPEN_COOKIE,
            link.token,
            max_age=claims.CLAIM_MAX_AGE,
            path=url_for("respond.o_start", token=token),
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
        return response
    return render_template(
        "respond/open_start.html",
        campaign=campaign,
        instrument=campaign_instrument(campaign),
        settings=campaign_settings(campaign),
        runner=who_runs(campaign),
        form=form,
    )


def _returning_invitation(campaign_id: str) -> str | None:
    # The open link remembers, in this browser only, the personal link it issued.
    personal = request.cookies.get(OPEN_COOKIE, "")
    if not looks_like_token(personal):
        return None
    invitation = find_invitation(personal)
    if invitation is None or invitation.campaign_id != campaign_id:
        return None
    return personal


def _as_response(body):
    return make_response(body)
