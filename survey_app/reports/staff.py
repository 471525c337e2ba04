"""Commissioners' report routes: participant reports, the cohort report, PDFs, exports and JSON.

Every route goes through `campaign_access`, so a campaign someone cannot see is a 404. Individual
reports name the participant, so a read-only share needs `can_see_names` to open them; the cohort
report shows pseudonyms instead of names to such shares. Views and exports are audited.
"""

from __future__ import annotations

from typing import cast

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from analysis.print_charts import cohort_svg
from analysis.results import CohortSummary

from ..auth.access import (
    campaign_access,
    campaign_participant,
    can_see_names,
    can_write,
    login_required,
    signed_in_user,
    visible_campaigns,
)
from ..campaigns.tracking import participant_progress
from ..downloads import XLSX, download
from ..errors import render_error
from ..extensions import db
from ..mixing.services import close_due_windows
from ..models import Campaign, FrozenReport
from ..respond.forms import ActionForm
from . import bp
from .cohort import PER_PAGE, CohortReport, cohort_report, heat_map_charts
from .exports import table_csv, tables_xlsx
from .pdf import pdf_response
from .routes import report_context
from .services import earlier_candidates, participant_report, report_360_json, result_json

STAFF_LAYOUT = "auth/layout.html"  # the signed-in layout, with the commissioner's navigation
NOT_YET = (
    "There is no report yet",
    "A report is computed once, when the participant's feedback window closes. Close the "
    "window from the participant's report page, or wait for its closing date.",
)
NAMES_NEEDED = (
    "You cannot open individual reports",
    "This campaign was shared with you without participants' names, so you can read "
    "the cohort report but not individual reports. Ask the campaign owner if you "
    "need them.",
)


def _audit(action: str, campaign: Campaign, detail: str) -> None:
    from ..admin.audit_log import record_event

    record_event(action, campaign, detail)
    db.session.commit()


def _campaign_360(campaign_id: str) -> Campaign:
    campaign = campaign_access(campaign_id)
    if not campaign.is_360:
        abort(404)
    return campaign


def _named_participant(campaign_id: str, participant_id: str):
    """Campaign and participant for a viewer allowed to see names (403 page otherwise)."""
    campaign = _campaign_360(campaign_id)
    if not can_see_names(signed_in_user(), campaign):
        abort(make_response(render_error(403, *NAMES_NEEDED)))
    return campaign, campaign_participant(campaign, participant_id)


def _named_report(campaign_id: str, participant_id: str, action: str, what: str):
    """Campaign, participant and frozen report (404 page while the window is open); audited."""
    campaign, participant = _named_participant(campaign_id, participant_id)
    report = participant_report(participant, _visible_ids())
    if report is None:
        abort(make_response(render_error(404, *NOT_YET)))
    _audit(action, campaign, f"{what} {participant.id}")
    return campaign, participant, report


def _visible_ids() -> set[str]:
    query = visible_campaigns(signed_in_user()).with_only_columns(Campaign.id)
    return set(db.session.scalars(query))


@bp.get("/campaigns/<campaign_id>/participants/<participant_id>/report")
@login_required
def staff_report(campaign_id: str, participant_id: str):
    """A participant's report as the commissioner sees it, or its window while still open."""
    campaign, participant = _named_participant(campaign_id, participant_id)
    close_due_windows(campaign)
    report = participant_report(participant, _visible_ids())
    writable = can_write(signed_in_user(), campaign)
    if report is None:
        return render_template(
            "reports/window_open.html",
            campaign=campaign,
            participant=participant,
            writable=writable,
            progress=participant_progress(participant),
            form=ActionForm(),
        )
    _audit("report_view", campaign, f"participant report {participant.id}")
    return render_template(
        "reports/participant.html",
        layout=STAFF_LAYOUT,
        plan_url=None,
        can_release=writable,
        action_form=ActionForm(),
        release_url=url_for(
            ".release_report", campaign_id=campaign.id, participant_id=participant.id
        ),
        pdf_url=url_for(
            ".staff_report_pdf", campaign_id=campaign.id, participant_id=participant.id
        ),
        earlier_choices=(
            earlier_candidates(participant, _visible_ids())
            if writable and participant.earlier_participant_id is None
            else []
        ),
        **report_context(report, "commissioner"),
    )


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/earlier")
@login_required
def confirm_earlier(campaign_id: str, participant_id: str):
    """Confirm (or undo) that an earlier campaign's participant is the same person."""
    campaign = campaign_access(campaign_id, write=True)
    participant = campaign_participant(campaign, participant_id)
    if not ActionForm().validate():
        abort(400)
    chosen = request.form.get("earlier", "")
    if chosen == "":
        participant.earlier_participant_id = None
        flash("No earlier campaign is compared any more.", "success")
    else:
        allowed = {p.id: p for p in earlier_candidates(participant, _visible_ids())}
        if chosen not in allowed:
            abort(404)
        participant.earlier_participant_id = chosen
        flash(f"Change since '{allowed[chosen].campaign.title}' is now shown.", "success")
    _audit("earlier_confirmed", campaign, f"participant {participant.id}")
    return redirect(
        url_for(
            ".staff_report",
            campaign_id=campaign.id,
            participant_id=participant.id,
            _anchor="change",
        )
    )


@bp.get("/campaigns/<campaign_id>/participants/<participant_id>/report.pdf")
@login_required
def staff_report_pdf(campaign_id: str, participant_id: str):
    """A participant's report as a PDF."""
    _, participant, report = _named_report(
        campaign_id, participant_id, "export", "participant report PDF"
    )
    html = render_template(
        "reports/participant_pdf.html", **report_context(report, "commissioner", pdf=True)
    )
    return pdf_response(html, f"360-report-{participant.name}")


@bp.get("/campaigns/<campaign_id>/participants/<participant_id>/report.json")
@login_required
def staff_report_json(campaign_id: str, participant_id: str):
    """A participant's published numbers as JSON (the same the page shows)."""
    _, participant, report = _named_report(
        campaign_id, participant_id, "export", "participant report JSON"
    )
    return jsonify(
        {"name": participant.name, "email": participant.email, **result_json(report.result)}
    )


def _report_url(campaign, participant) -> str:
    return url_for(".staff_report", campaign_id=campaign.id, participant_id=participant.id)


@bp.get("/campaigns/<campaign_id>/participants/<participant_id>/release")
@login_required
def confirm_release(campaign_id: str, participant_id: str):
    """Ask before releasing: who will read the report, and that it is final."""
    campaign = campaign_access(campaign_id, write=True)
    participant = campaign_participant(campaign, participant_id)
    if db.session.get(FrozenReport, participant.id) is None or participant.report_released:
        return redirect(_report_url(campaign, participant))
    return render_template(
        "campaigns/confirm.html",
        campaign=campaign,
        confirm={
            "title": f"Release the report to {participant.name}?",
            "paragraphs": [
                f"{participant.name} will be able to read their 360 report through "
                "their own link at once, and download it. The report is final: it was "
                "prepared when their feedback window closed and does not change."
            ],
            "warning": "You can withdraw it later, but they may already have read or saved it.",
            "button": "Release the report",
            "fields": {"release": "1"},
            "action": url_for(
                ".release_report", campaign_id=campaign.id, participant_id=participant.id
            ),
            "back": _report_url(campaign, participant),
        },
    )


@bp.post("/campaigns/<campaign_id>/participants/<participant_id>/release")
@login_required
def release_report(campaign_id: str, participant_id: str):
    """Release a report to its participant (once confirmed), or withdraw it."""
    campaign = campaign_access(campaign_id, write=True)
    participant = campaign_participant(campaign, participant_id)
    if db.session.get(FrozenReport, participant.id) is None:
        flash(
            "There is no report to release until the participant's feedback window closes.", "error"
        )
        return redirect(_report_url(campaign, participant))
    releasing = request.form.get("release") == "1"
    if releasing and request.form.get("confirm") != "yes":
        return redirect(
            url_for(".confirm_release", campaign_id=campaign.id, participant_id=participant.id)
        )
    participant.report_released = releasing
    state = "released" if participant.report_released else "withdrawn"
    _audit("report_release", campaign, f"participant report {participant.id} {state}")
    flash(f"The report for {participant.name} has been {state}.", "success")
    return redirect(
        url_for(".staff_report", campaign_id=campaign.id, participant_id=participant.id)
    )


def _stored_cohort(campaign_id: str) -> tuple[Campaign, CohortReport | None]:
    """A 360 campaign and its stored cohort report for this viewer (None: not computed yet)."""
    campaign = _campaign_360(campaign_id)
    return campaign, cohort_report(campaign, can_see_names(signed_in_user(), campaign))


# A download asked for before the first computation: accepted, being computed, try again soon
# (not 503: nothing is wrong with the service, and the computation has been started).
ACCEPTED = 202


def _cohort_pending(campaign: Campaign, status: int = 200):
    """The page shown until the first computation is stored (it says so; no JavaScript)."""
    response = make_response(
        render_template("reports/cohort_pending.html", campaign=campaign), status
    )
    if status == ACCEPTED:
        response.headers["Retry-After"] = "30"
    return response


@bp.get("/campaigns/<campaign_id>/cohort")
@login_required
def cohort_page(campaign_id: str):
    """The cohort report: behaviours across participants, heat map, support wanted, reliability."""
    campaign, report = _stored_cohort(campaign_id)
    if report is None:
        return _cohort_pending(campaign)
    heat = report.heat_map_page(
        request.args.get("page", 1, type=int) or 1,
        current_app.config.get("COHORT_PER_PAGE", PER_PAGE),
    )
    charts = heat_map_charts(report, heat)
    _audit("report_view", campaign, "cohort report")
    return render_template(
        "reports/cohort.html",
        layout=STAFF_LAYOUT,
        cohort=report,
        heat=heat,
        tables={**report.summary_tables(), **heat.tables},
        charts=charts,
        pdf=False,
    )


@bp.get("/campaigns/<campaign_id>/cohort.pdf")
@login_required
def cohort_pdf(campaign_id: str):
    """The cohort report as a PDF."""
    campaign, report = _stored_cohort(campaign_id)
    if report is None:
        return _cohort_pending(campaign, ACCEPTED)
    html = render_template(
        "reports/cohort_pdf.html",
        cohort=report,
        tables=report.tables(),
        # The stored JSON of a CohortSummary (reports/cohort.py keeps it).
        print_chart=cohort_svg(cast(CohortSummary, report.summary), report.names),
        pdf=True,
    )
    _audit("export", campaign, "cohort report PDF")
    return pdf_response(html, f"cohort-report-{campaign.title}")


@bp.get("/campaigns/<campaign_id>/cohort.csv")
@login_required
def cohort_csv(campaign_id: str):
    """One aggregate table of the cohort report as CSV (`?table=`), every participant."""
    campaign, report = _stored_cohort(campaign_id)
    if report is None:
        return _cohort_pending(campaign, ACCEPTED)
    tables = report.page_tables()
    key = request.args.get("table", "behaviours")
    if key not in tables:
        abort(404)
    _title, header, rows = tables[key]
    _audit("export", campaign, f"cohort CSV {key}")
    return download(table_csv(header, rows), f"cohort-{key}.csv", "text/csv")


@bp.get("/campaigns/<campaign_id>/cohort.xlsx")
@login_required
def cohort_xlsx(campaign_id: str):
    """Every aggregate table of the cohort report in one workbook."""
    campaign, report = _stored_cohort(campaign_id)
    if report is None:
        return _cohort_pending(campaign, ACCEPTED)
    _audit("export", campaign, "cohort XLSX")
    return download(tables_xlsx(report.tables()), "cohort-report.xlsx", XLSX)


@bp.get("/campaigns/<campaign_id>/report.json")
@login_required
def campaign_report_json(campaign_id: str):
    """Every participant's published numbers and the cohort, as `survey-app report` gives them."""
    campaign = _campaign_360(campaign_id)
    if not can_see_names(signed_in_user(), campaign):
        return render_error(403, *NAMES_NEEDED)
    _audit("export", campaign, "360 report JSON")
    return jsonify(report_360_json(campaign))
