"""Participants, raters and links for a campaign."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from sqlalchemy import select

from ..admin.audit_log import record_event
from ..auth.access import (
    campaign_access,
    campaign_participant,
    can_see_names,
    can_write,
    login_required,
    signed_in_user,
)
from ..auth.services import AccountError, normalise_email
from ..downloads import XLSX, download
from ..extensions import db
from ..inputs import SelectChoice
from ..models import Invitation, Participant
from ..people.services import add_invitation, add_participant
from ..wording import counted
from . import bp, once
from .forms import MakeLinksForm, ParticipantForm, RaterForm, UploadForm
from .imports import ImportRefused, import_participants, participant_template, role_lookup
from .links import LINK_COLUMNS, link_url, make_survey_links, reissue_all_links
from .services import campaign_settings
from .tracking import individual_relationships, invitation_stage, participant_progress


def _role_choices(campaign):
    roles = campaign_settings(campaign).get("roles") or []
    return [SelectChoice("", "Not known")] + [
        SelectChoice(r["id"], r.get("label", r["id"])) for r in roles
    ]


def _need_360(campaign):
    if not campaign.is_360:
        abort(404)


@bp.route("/<campaign_id>/participants/new", methods=["GET", "POST"])
@login_required
def add_participant_page(campaign_id):
    """Add one 360 participant; their link is shown once."""
    campaign = campaign_access(campaign_id, write=True)
    _need_360(campaign)
    form = ParticipantForm()
    form.aspired_role.choices = _role_choices(campaign)
    if form.validate_on_submit():
        email = _new_participant_email(campaign, form)
        if email:
            link = add_participant(
                campaign,
                form.name.data,
                email,
                form.organisation.data or "",
                form.current_role.data or "",
                form.aspired_role.data or "",
            )
            db.session.commit()
            once.keep_for_one_view(
                campaign.id,
                "links",
                [{"name": link.participant.name, "url": link_url("participant", link.token)}],
            )
            return redirect(url_for(".new_links", campaign_id=campaign.id))
    status = 400 if form.errors else 200
    return render_template("campaigns/participant_new.html", campaign=campaign, form=form), status


def _new_participant_email(campaign, form) -> str | None:
    try:
        email = normalise_email(form.email.data)
    except AccountError as error:
        form.email.errors = [str(error)]
        return None
    if db.session.scalar(
        select(Participant.id).where(
            Participant.campaign_id == campaign.id, Participant.email == email
        )
    ):
        form.email.errors = [f"{email} is already a participant in this campaign"]
        return None
    return email


@bp.route("/<campaign_id>/participants/upload", methods=["GET", "POST"])
@login_required
def upload_participants(campaign_id):
    """Add participants from a CSV: all of them, or none and a line-by-line report."""
    campaign = campaign_access(campaign_id, write=True)
    _need_360(campaign)
    form = UploadForm()
    problems = []
    if form.validate_on_submit():
        try:
            added = import_participants(
                campaign, form.file.data.read(), form.file.data.filename or ""
            )
        except ImportRefused as refusal:
            db.session.rollback()
            problems = refusal.problems
        else:
            db.session.commit()
            for warning in added.warnings:
                flash(warning, "warning")
            flash(
                f"Added {counted(len(added.links), 'participant')}. Download the links or send "
                "invitations when you are ready.",
                "success",
            )
            return redirect(url_for(".detail", campaign_id=campaign.id))
    status = 400 if (problems or form.errors) else 200
    return render_template(
        "campaigns/upload_participants.html",
        campaign=campaign,
        form=form,
        problems=problems,
        roles=role_lookup(campaign)[1],
    ), status


@bp.get("/<campaign_id>/participants/template.<fmt>")
@login_required
def participants_template(campaign_id, fmt):
    """An empty participants file (CSV or XLSX) with the right columns and the roles."""
    campaign = campaign_access(campaign_id, write=True)
    _need_360(campaign)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    return download(
        participant_template(campaign, fmt),
        f"participants-template.{fmt}",
        "text/csv" if fmt == "csv" else XLSX,
    )


@bp.get("/<campaign_id>/participants/<participant_id>")
@login_required
def participant(campaign_id, participant_id):
    """One participant's progress: individual links by name, other groups as counts only."""
    campaign = campaign_access(campaign_id)
    person = campaign_participant(campaign, participant_id)
    form = RaterForm()
    form.relationship.choices = _rater_choices(campaign)
    return _participant_page(campaign, person, form)


def _participant_page(campaign, person, form, status: int = 200):
    """The participant's page; after a failed 'Add a rater', its errors first, values kept."""
    individual = individual_relationships(campaign)
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.participant_id == person.id)
        .order_by(Invitation.created_at)
    )
    named = [(i, invitation_stage(i)) for i in invitations if i.relationship in individual]
    return render_template(
        "campaigns/participant.html",
        campaign=campaign,
        person=person,
        progress=participant_progress(person),
        named=named,
        form=form,
        writable=can_write(signed_in_user(), campaign),
        show_names=can_see_names(signed_in_user(), campaign),
    ), status


def _rater_choices(campaign):
    return [
        SelectChoice(r["id"], r.get("label", r["id"]))
        for r in campaign_settings(campaign).get("relationships") or []
        if r["id"] != "self"
    ]


@bp.post("/<campaign_id>/participants/<participant_id>/raters")
@login_required
def add_rater(campaign_id, participant_id):
    """The commissioner adds a rater for a participant; the link is shown once."""
    campaign = campaign_access(campaign_id, write=True)
    person = campaign_participant(campaign, participant_id)
    form = RaterForm()
    form.relationship.choices = _rater_choices(campaign)
    if not form.validate_on_submit():
        return _participant_page(campaign, person, form, 400)  # shown again, as typed
    try:
        email = normalise_email(form.email.data) if form.email.data else None
    except AccountError as error:
        form.email.errors = [str(error)]
        return _participant_page(campaign, person, form, 400)
    link = add_invitation(
        campaign,
        participant=person,
        relationship=form.relationship.data,
        name=form.name.data,
        email=email,
    )
    db.session.commit()
    once.keep_for_one_view(
        campaign.id,
        "links",
        [{"name": link.invitation.name, "url": link_url("invitation", link.token)}],
        back=url_for(".participant", campaign_id=campaign.id, participant_id=person.id),
    )
    return redirect(url_for(".new_links", campaign_id=campaign.id))


@bp.get("/<campaign_id>/links/new")
@login_required
def new_links(campaign_id):
    """The links just made, shown once; a reload says so rather than making more."""
    campaign = campaign_access(campaign_id, write=True)
    held = once.take(campaign.id, "links")
    return render_template(
        "campaigns/new_links.html",
        campaign=campaign,
        rows=held["rows"] if held else [],
        back=(held or {}).get("back"),
    )


@bp.route("/<campaign_id>/links", methods=["GET", "POST"])
@login_required
def links(campaign_id):
    """Explain links; make new survey links as a CSV download."""
    campaign = campaign_access(campaign_id, write=True)
    form = MakeLinksForm()
    if not campaign.is_360 and form.validate_on_submit():
        rows = make_survey_links(campaign, form.count.data)
        record_event("links_made", campaign, f"{len(rows)} new survey links")
        db.session.commit()
        return _csv_download(campaign, rows, "new-links")
    status = 400 if form.errors else 200
    return render_template("campaigns/links.html", campaign=campaign, form=form), status


@bp.post("/<campaign_id>/links.csv")
@login_required
def download_links(campaign_id):
    """Fresh links for everyone not finished, as CSV (earlier links stop working)."""
    campaign = campaign_access(campaign_id, write=True)
    rows = reissue_all_links(campaign)
    record_event("links_downloaded", campaign, f"{len(rows)} links reissued")
    db.session.commit()
    return _csv_download(campaign, rows, "links")


def _csv_download(campaign, rows, stem) -> Response:
    from .csvfiles import write_csv

    return download(write_csv(LINK_COLUMNS, rows), f"{stem}-{campaign.id[:8]}.csv", "text/csv")
