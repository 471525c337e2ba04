"""A 360 participant's personal link: task list and nominating raters (never their links)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ..campaigns.services import campaign_settings
from ..extensions import db
from ..inputs import SelectChoice, error_list, required
from ..nominations.services import (
    SUGGESTED_PER_GROUP,
    NominationError,
    approver,
    nominate,
    rater_relationships,
    raters_of,
)
from ..people.services import self_invitation
from ..statuses import WindowStatus
from . import bp
from .flow import not_open_yet, opening_sentence, participant_or_abort
from .forms import NominationForm
from .participants import progress


@bp.get("/p/<token>")
def p_tasks(token: str):
    """The participant's task list."""
    participant = participant_or_abort(token, closed_ok=True)
    settings = campaign_settings(participant.campaign)
    return render_template(
        "respond/tasks.html",
        participant=participant,
        token=token,
        self_status=self_invitation(participant).status,
        raters=raters_of(participant),
        progress=progress(participant, settings),
        window_open=participant.window_status == WindowStatus.OPEN and participant.campaign.is_open,
        report_url=(f"/p/{token}/report" if participant.report_released else None),
        not_open=opening_sentence(participant.campaign)
        if not_open_yet(participant.campaign)
        else "",
    )


@bp.route("/p/<token>/raters", methods=["GET", "POST"])
def p_raters(token: str):
    """Propose raters and see how many in each group have answered (never who)."""
    participant = participant_or_abort(token)
    settings = campaign_settings(participant.campaign)
    form = NominationForm()
    form.relationship.choices = [SelectChoice("", "Choose one")] + [
        SelectChoice(r["id"], str(r.get("label", r["id"]))) for r in rater_relationships(settings)
    ]
    if request.method == "POST" and form.validate():
        try:
            invitation = nominate(
                participant, required(form.name.data), form.email.data, form.relationship.data
            )
        except NominationError as problem:
            target = form.email if "address" in str(problem) else form.relationship
            error_list(target).append(str(problem))
        else:
            db.session.commit()
            flash(
                f"{invitation.name} is on your list. Once your nomination is approved they "
                "will be emailed their own link.",
                "success",
            )
            return redirect(url_for("respond.p_raters", token=token))
    labels = {choice.value: choice.label for choice in form.relationship.choices}
    return render_template(
        "respond/raters.html",
        participant=participant,
        token=token,
        form=form,
        raters=raters_of(participant),
        labels=labels,
        progress=progress(participant, settings),
        suggested=SUGGESTED_PER_GROUP,
        approver=approver(participant.campaign),
        threshold=int(settings.get("anonymity_threshold", 3)),
    ), (400 if form.errors else 200)
