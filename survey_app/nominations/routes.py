"""Approving nominations: the commissioner's list, and a line manager's from their own link."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, login_required
from ..extensions import db
from ..models import Participant
from ..respond.flow import link_answering
from ..respond.forms import ActionForm
from . import bp
from .services import approver, can_approve, decide, pending, suspicious


def _decisions(ids: set[str]) -> tuple[set[str], set[str]]:
    chosen = {i: request.form.get(f"decision-{i}", "") for i in ids}
    return (
        {i for i, d in chosen.items() if d == "approve"},
        {i for i, d in chosen.items() if d == "reject"},
    )


def _flash(decision) -> None:
    sent = []
    if decision.emailed:
        sent.append(f"{decision.emailed} emailed their link")
    if decision.outbox:
        sent.append(f"{decision.outbox} waiting in the outbox (no mail server is set up)")
    if decision.failed:
        sent.append(f"{decision.failed} could not be emailed (see Messages)")
    flash(
        f"Approved {decision.approved}, rejected {decision.rejected}."
        + (f" Links: {'; '.join(sent)}." if sent else ""),
        "success",
    )


@bp.route("/campaigns/<campaign_id>/nominations", methods=["GET", "POST"])
@login_required
def review(campaign_id: str):
    """Every nomination waiting for approval, with addresses so invented raters stand out."""
    campaign = campaign_access(campaign_id, write=True)
    if not campaign.is_360:
        abort(404)
    waiting = pending(campaign)
    form = ActionForm()
    if request.method == "POST" and form.validate():
        approve, reject = _decisions({i.id for i in waiting})
        decision = decide(waiting, approve, reject)
        record_event(
            "nominations_decided",
            campaign,
            f"{decision.approved} approved, {decision.rejected} rejected",
        )
        db.session.commit()
        _flash(decision)
        return redirect(url_for(".review", campaign_id=campaign.id))
    people: dict[str | None, Participant] = {p.id: p for p in campaign.participants}
    rows = [(i, people[i.participant_id], suspicious(i, people[i.participant_id])) for i in waiting]
    return render_template(
        "nominations/review.html",
        campaign=campaign,
        rows=rows,
        form=form,
        approver=approver(campaign),
    )


@bp.route("/r/<token>/approvals", methods=["GET", "POST"])
def line_manager_review(token: str):
    """A line manager the commissioner added approves the raters their report nominated."""
    answering = link_answering(token)
    manager = answering.invitation
    if manager.participant is None or not can_approve(manager):
        abort(404)
    participant: Participant = manager.participant
    waiting = pending(answering.campaign, participant)
    form = ActionForm()
    if request.method == "POST" and form.validate():
        approve, reject = _decisions({i.id for i in waiting})
        decision = decide(waiting, approve, reject)
        record_event(
            "nominations_decided",
            answering.campaign,
            f"by line manager: {decision.approved} approved, {decision.rejected} rejected",
        )
        db.session.commit()
        _flash(decision)
        return redirect(url_for(".line_manager_review", token=token))
    rows = [(i, participant, suspicious(i, participant)) for i in waiting]
    return render_template(
        "nominations/line_manager.html", a=answering, rows=rows, form=form, participant=participant
    )
