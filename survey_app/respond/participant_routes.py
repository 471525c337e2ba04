"""A 360 participant's personal link: task list, nominating raters and their links."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from wtforms.fields.choices import SelectChoice

from ..campaigns.services import campaign_settings
from ..extensions import db
from ..people.services import self_invitation
from .flow import participant_or_abort
from .forms import ActionForm, NominationForm
from .participants import (
    SUGGESTED_PER_GROUP,
    NominationError,
    nominate,
    progress,
    rater_link_issued,
    rater_relationships,
    raters_of,
    relink,
)
from .routes import bp
from .services import invitation_by_id

NEW_LINK_KEY = "new_rater_link"


@bp.get("/p/<token>")
def p_tasks(token: str):
    """The participant's task list."""
    participant = participant_or_abort(token)
    settings = campaign_settings(participant.campaign)
    return render_template(
        "respond/tasks.html", participant=participant, token=token,
        self_status=self_invitation(participant).status, raters=raters_of(participant),
        progress=progress(participant, settings),
        report_url=(f"/p/{token}/report" if participant.report_released else None))


@bp.route("/p/<token>/raters", methods=["GET", "POST"])
def p_raters(token: str):
    """Nominate raters, copy their links and see how many have answered."""
    participant = participant_or_abort(token)
    settings = campaign_settings(participant.campaign)
    form = NominationForm()
    form.relationship.choices = [SelectChoice("", "Choose one")] + [
        SelectChoice(r["id"], str(r.get("label", r["id"]))) for r in rater_relationships(settings)]
    if request.method == "POST" and form.validate():
        try:
            link = nominate(participant, settings, form.name.data, form.email.data,
                            form.relationship.data)
        except NominationError as problem:
            form.relationship.errors.append(str(problem))
        else:
            db.session.commit()
            return _show_new_link(token, link.invitation, link.token)
    new_link = session.pop(NEW_LINK_KEY, None)
    labels = {choice.value: choice.label for choice in form.relationship.choices}
    return render_template(
        "respond/raters.html", participant=participant, token=token, form=form,
        raters=raters_of(participant), labels=labels,
        progress=progress(participant, settings), new_link=new_link,
        suggested=SUGGESTED_PER_GROUP,
        threshold=int(settings.get("anonymity_threshold", 3)),
        action_form=ActionForm()), (400 if form.errors else 200)


@bp.post("/p/<token>/raters/<invitation_id>/link")
def p_relink(token: str, invitation_id: str):
    """A fresh link for a rater whose link has not been opened yet."""
    participant = participant_or_abort(token)
    invitation = invitation_by_id(invitation_id)
    if invitation is None or invitation.participant_id != participant.id or \
            invitation.relationship == "self" or not ActionForm().validate():
        return redirect(url_for("respond.p_raters", token=token))
    rater_token = relink(invitation)
    db.session.commit()
    return _show_new_link(token, invitation, rater_token)


def _show_new_link(token: str, invitation, rater_token: str):
    url = url_for("respond.r_start", token=rater_token, _external=True)
    rater_link_issued.send(current_app._get_current_object(), invitation=invitation, url=url)
    # Shown once on the next page, in the participant's own browser only.
    session[NEW_LINK_KEY] = {"name": invitation.name, "url": url}
    return redirect(url_for("respond.p_raters", token=token, _anchor="new-link"))
