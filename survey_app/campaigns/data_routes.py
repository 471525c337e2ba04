"""Exporting responses and importing responses collected elsewhere."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for

from ..admin.audit import record_event
from ..auth.access import campaign_access, can_see_names, current_user, login_required
from ..extensions import db
from .exports import build_table, to_csv, to_xlsx
from .forms import ResponseUploadForm
from .imports import ImportRefused, import_responses, read_mapping
from .routes import bp
from .services import campaign_instrument

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<campaign_id>/export.<fmt>")
@login_required
def export(campaign_id, fmt):
    """All responses as CSV or XLSX, with the anonymity rules applied."""
    campaign = campaign_access(campaign_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    table = build_table(campaign, with_names=can_see_names(current_user(), campaign))
    record_event("export", campaign, f"{fmt}, {len(table.rows)} responses")
    db.session.commit()
    filename = f"responses-{campaign.id[:8]}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return Response(to_csv(table), mimetype="text/csv", headers=headers)
    return Response(to_xlsx(table, campaign.title), mimetype=XLSX_TYPE, headers=headers)


@bp.route("/<campaign_id>/responses/import", methods=["GET", "POST"])
@login_required
def import_page(campaign_id):
    """Upload responses collected elsewhere: all rows, or none and a report of each problem."""
    campaign = campaign_access(campaign_id, write=True)
    form = ResponseUploadForm()
    problems = []
    if form.validate_on_submit():
        try:
            mapping = None
            if form.mapping.data and form.mapping.data.filename:
                mapping = read_mapping(form.mapping.data.read(), form.mapping.data.filename)
            count = import_responses(campaign, form.file.data.read(), mapping)
        except ImportRefused as refusal:
            db.session.rollback()
            problems = refusal.problems
        else:
            record_event("responses_imported", campaign, f"{count} responses")
            db.session.commit()
            flash(f"Imported {count} responses.", "success")
            return redirect(url_for(".detail", campaign_id=campaign.id))
    status = 400 if (problems or form.errors) else 200
    return render_template("campaigns/import_responses.html", campaign=campaign, form=form,
                           problems=problems, items=campaign_instrument(campaign).items), status
