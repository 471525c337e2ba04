"""Privacy pages: the notice behind every link, a participant's data download, erasure."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, url_for
from wtforms import BooleanField
from wtforms.validators import DataRequired

from ..auth.access import campaign_access, campaign_participant, login_required
from ..downloads import download
from ..extensions import db
from ..inputs import FlaskForm
from ..models import Participant
from ..people.services import find_participant
from ..respond.flow import link_answering
from . import bp
from .services import erase_participant, participant_data, privacy_notice


class EraseForm(FlaskForm):
    """Erasure needs a deliberate tick as well as the button."""

    confirm = BooleanField(
        "I understand this deletes this person's data and cannot be undone",
        validators=[DataRequired("Tick the box to confirm the erasure")],
    )


@bp.get("/r/<token>/privacy")
def r_notice(token: str):
    """The privacy notice for a rater's or respondent's link."""
    answering = link_answering(token)
    return render_template(
        "privacy/notice.html",
        notice=privacy_notice(answering.campaign),
        back=answering.url("start"),
        audience=answering.audience,
    )


def _participant(token: str) -> Participant:
    # Like the report, this outlives the answering window: it ends when the data is purged.
    participant = find_participant(token)
    if participant is None:
        abort(404)
    return participant


@bp.get("/p/<token>/privacy")
def p_notice(token: str):
    """The privacy notice for a participant's link."""
    participant = _participant(token)
    return render_template(
        "privacy/notice.html",
        notice=privacy_notice(participant.campaign),
        back=url_for("respond.p_tasks", token=token),
        audience="self",
        export_url=url_for("privacy.p_export", token=token),
    )


@bp.get("/p/<token>/my-data.json")
def p_export(token: str):
    """Download everything held about the participant (never a rater's answers)."""
    participant = _participant(token)
    body = json.dumps(participant_data(participant), indent=2, ensure_ascii=False)
    return download(body, "my-360-data.json", "application/json")


@bp.route("/campaigns/<campaign_id>/participants/<participant_id>/erase", methods=["GET", "POST"])
@login_required
def erase_participant_page(campaign_id: str, participant_id: str):
    """Confirm, then erase a participant and everything about them (owners and admins)."""
    campaign = campaign_access(campaign_id, write=True)
    person = campaign_participant(campaign, participant_id)
    form = EraseForm()
    if form.validate_on_submit():
        removed = erase_participant(person)
        db.session.commit()
        flash(f"The participant and everything about them were erased ({removed.describe()}).")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    return render_template("privacy/erase.html", campaign=campaign, person=person, form=form), (
        400 if form.errors else 200
    )
