"""Who sponsors whom (commissioners), and the sponsor's own confirmation page (their link)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, login_required
from ..coaching.forms import select_choices
from ..coaching.models import programme_settings
from ..extensions import db
from ..respond.flow import open_campaign_or_abort
from . import bp
from .forms import AskSponsorForm, DecisionForm
from .services import SponsorError, ask_sponsor, decide, find_sponsor, sponsors_of


@bp.route("/campaigns/<campaign_id>/sponsors", methods=["GET", "POST"])
@login_required
def sponsors(campaign_id: str):
    """Each participant's sponsor and whether they have confirmed; ask a sponsor."""
    campaign = campaign_access(campaign_id, write=True)
    if not campaign.is_360:
        abort(404)
    people = sorted(campaign.participants, key=lambda p: p.name.casefold())
    form = AskSponsorForm()
    form.participant.choices = select_choices(
        [("", "Choose a participant")] + [(p.id, p.name) for p in people]
    )
    error = None
    if form.validate_on_submit():
        participant = next(p for p in people if p.id == form.participant.data)
        try:
            sponsor = ask_sponsor(participant, form.name.data, form.email.data, form.role.data)
        except SponsorError as problem:
            error = str(problem)
        else:
            record_event("sponsor_asked", campaign, f"participant {participant.id}")
            db.session.commit()
            flash(
                f"{sponsor.name} has been asked to confirm {participant.name}'s nomination "
                "(by email, or see Messages to copy it from the outbox).",
                "success",
            )
            return redirect(url_for(".sponsors", campaign_id=campaign.id))
    return render_template(
        "sponsors/sponsors.html",
        layout="auth/layout.html",
        campaign=campaign,
        people=people,
        sponsors=sponsors_of(campaign),
        form=form,
        error=error,
        required=programme_settings(campaign.settings)["sponsor_required"],
    )


@bp.route("/s/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """A sponsor confirms or declines the nomination of the participant they were asked about."""
    sponsor = find_sponsor(token)
    if sponsor is None:
        abort(404)
    participant = sponsor.participant
    open_campaign_or_abort(participant.campaign)  # "not open yet" before, 410 once closed
    form = DecisionForm()
    if form.validate_on_submit():
        decide(sponsor, form.decision.data == "confirm")
        record_event(
            "sponsor_decided",
            participant.campaign,
            f"participant {participant.id} {sponsor.status}",
        )
        db.session.commit()
        return render_template("sponsors/decided.html", sponsor=sponsor, participant=participant)
    return render_template(
        "sponsors/confirm.html", sponsor=sponsor, participant=participant, form=form
    )
