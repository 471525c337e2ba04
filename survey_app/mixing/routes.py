"""Closing a participant's feedback window (the report is then computed, once), or its date."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, campaign_participant, login_required
from ..extensions import db
from ..inputs import DATE_EXAMPLE, typed_date
from ..models import today
from ..respond.forms import ActionForm
from ..statuses import WindowStatus
from . import bp
from .services import close_windows, scrub_storage


def _participant(campaign_id: str, participant_id: str):
    campaign = campaign_access(campaign_id, write=True)
    if not campaign.is_360:
        abort(404)
    person = campaign_participant(campaign, participant_id)
    if not ActionForm().validate():
        abort(400)
    return campaign, person


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/window/close")
@login_required
def close(campaign_id: str, participant_id: str):
    """Close the window now: answers are mixed and the report is computed and frozen."""
    campaign, person = _participant(campaign_id, participant_id)
    summary = close_windows([person])
    record_event("window_closed", campaign, f"participant {person.id}")
    db.session.commit()
    scrub_storage()
    flash(
        "Feedback has closed and the report is ready to read and release. " + summary.describe(),
        "success",
    )
    return redirect(
        url_for("reports.staff_report", campaign_id=campaign.id, participant_id=person.id)
    )


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/window/date")
@login_required
def set_date(campaign_id: str, participant_id: str):
    """Set (or clear) the day after which this participant's window closes by itself."""
    campaign, person = _participant(campaign_id, participant_id)
    # A problem goes back to the top of the page, where the error summary is.
    back = redirect(
        url_for("campaigns.participant", campaign_id=campaign.id, participant_id=person.id)
    )
    raw = (request.form.get("closes_on") or "").strip()
    chosen = typed_date(raw) if raw else None
    if raw and chosen is None:
        flash(f"Closes on: enter a real date as day, month and year, like {DATE_EXAMPLE}.", "error")
        return back
    if person.window_status != WindowStatus.OPEN:
        flash("This participant's feedback has already closed.", "error")
        return back
    if chosen is not None and chosen < today():
        flash("Closes on: choose today or a later date.", "error")
        return back
    person.window_closes_on = chosen
    db.session.commit()
    flash(
        "Saved the closing date." if chosen else "The window now closes with the campaign.",
        "success",
    )
    return redirect(
        url_for(
            "campaigns.participant",
            campaign_id=campaign.id,
            participant_id=person.id,
            _anchor="window",
        )
    )
