"""The cohort's four-level evaluation page and PDF, its questionnaires and its outcomes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ..admin.audit_log import record_event
from ..auth.access import (
    campaign_access,
    can_write,
    login_required,
    signed_in_user,
    visible_campaign_ids,
)
from ..campaigns import once
from ..campaigns.imports import ImportRefused
from ..campaigns.links import link_url
from ..coaching.forms import select_choices
from ..downloads import download
from ..extensions import db
from ..models import Campaign
from ..reports.pdf import pdf_response
from . import bp
from .export import evaluation_csv, evaluation_pdf_html
from .forms import OutcomeForm, QuestionnaireForm, ReturnForm
from .models import OUTCOME_LABELS
from .outcomes import OutcomeError, import_return, record_outcome
from .services import (
    STAGE_LABELS,
    EvaluationError,
    add_questionnaire,
    cohort_evaluation,
    evaluates,
    outcomes_by_participant,
)

LAYOUT = "auth/layout.html"


def _cohort(campaign_id: str, write: bool = False) -> Campaign:
    campaign = campaign_access(campaign_id, write=write)
    if not campaign.is_360:
        abort(404)
    return campaign


def _audited(campaign: Campaign, what: str):
    evaluation = cohort_evaluation(campaign, visible_campaign_ids(signed_in_user()))
    record_event("report_view" if what == "page" else "export", campaign, f"evaluation {what}")
    db.session.commit()
    return evaluation


@bp.get("/campaigns/<campaign_id>/evaluation")
@login_required
def evaluation(campaign_id: str):
    """All four levels on one page, each figure with its n and interval, withheld below k."""
    from analysis.impact_charts import change_chart  # plotly: loaded when a chart is drawn

    campaign = _cohort(campaign_id)
    found = _audited(campaign, "page")
    return render_template(
        "evaluation/evaluation.html",
        layout=LAYOUT,
        e=found,
        pdf=False,
        change_figure=change_chart(found.behaviour)[0] if found.pairs else None,
        form=QuestionnaireForm(),
        stages=STAGE_LABELS,
        evaluates=evaluates,
        writable=can_write(signed_in_user(), campaign),
    )


@bp.get("/campaigns/<campaign_id>/evaluation.pdf")
@login_required
def evaluation_pdf(campaign_id: str):
    """The evaluation as a PDF: the change chart drawn as SVG, and every table."""
    campaign = _cohort(campaign_id)
    found = _audited(campaign, "PDF")
    return pdf_response(evaluation_pdf_html(found), f"evaluation-{campaign.title}")


@bp.get("/campaigns/<campaign_id>/evaluation.csv")
@login_required
def evaluation_export(campaign_id: str):
    """Every figure of the evaluation as CSV."""
    campaign = _cohort(campaign_id)
    return download(evaluation_csv(_audited(campaign, "CSV")), "evaluation.csv", "text/csv")


@bp.get("/campaigns/<campaign_id>/evaluation/questionnaires")
@login_required
def questionnaire_added(campaign_id: str):
    """The questionnaire just added and its open link, shown once."""
    campaign = _cohort(campaign_id, write=True)
    held = once.take(campaign.id, "questionnaire")
    row = held["rows"][0] if held else {}
    made = db.session.get(Campaign, row["questionnaire"]) if row else None
    return render_template(
        "evaluation/questionnaire_added.html",
        layout=LAYOUT,
        cohort=campaign,
        questionnaire=made,
        url=row.get("url", ""),
    )


@bp.post("/campaigns/<campaign_id>/evaluation/questionnaires")
@login_required
def questionnaire(campaign_id: str):
    """Add a reaction or confidence questionnaire; its open link is shown once."""
    campaign = _cohort(campaign_id, write=True)
    form = QuestionnaireForm()
    if form.validate_on_submit():
        try:
            made, token = add_questionnaire(
                campaign, signed_in_user(), form.stage.data, form.module.data
            )
        except EvaluationError as problem:
            flash(str(problem), "error")
        else:
            record_event("questionnaire_added", campaign, f"{form.stage.data} {made.id}")
            db.session.commit()
            # Post/redirect/get: the link is shown once, and a reload adds nothing.
            once.keep_for_one_view(
                campaign.id,
                "questionnaire",
                [{"url": link_url("open", token), "questionnaire": made.id}],
            )
            return redirect(url_for(".questionnaire_added", campaign_id=campaign.id))
    else:
        flash(
            next(
                iter(e for errors in form.errors.values() for e in errors),
                "Choose which questionnaire to add",
            ),
            "error",
        )
    # A problem: back to the top, where the error summary is (no jump past it).
    return redirect(url_for(".evaluation", campaign_id=campaign.id))


@bp.route("/campaigns/<campaign_id>/outcomes", methods=["GET", "POST"])
@login_required
def outcomes(campaign_id: str):
    """Appointments and promotions of the cohort: record one, or upload a quarterly return."""
    campaign = _cohort(campaign_id, write=True)
    people = sorted(campaign.participants, key=lambda p: p.name.casefold())
    form, upload = OutcomeForm(prefix="one"), ReturnForm(prefix="return")
    form.participant.choices = select_choices(
        [("", "Choose a participant")] + [(p.id, p.name) for p in people]
    )
    problems, done = [], None
    action = request.form.get("action")
    if action == "return" and upload.validate_on_submit():
        try:
            count = import_return(campaign, upload.file.data.read())
        except ImportRefused as refused:
            problems = [p.describe() for p in refused.problems]
        else:
            done = f"Recorded {count} outcome{'s' if count != 1 else ''} from the return."
    elif action == "one" and form.validate_on_submit():
        participant = next(p for p in people if p.id == form.participant.data)
        try:
            record_outcome(participant, form.kind.data, form.new_role.data, form.effective_on.data)
        except OutcomeError as problem:
            problems = [str(problem)]
        else:
            done = f"Recorded for {participant.name}."
    if done:
        record_event("outcomes_recorded", campaign, done)
        db.session.commit()
        flash(done, "success")
        return redirect(url_for(".outcomes", campaign_id=campaign.id))
    return render_template(
        "evaluation/outcomes.html",
        layout=LAYOUT,
        campaign=campaign,
        people=people,
        recorded=outcomes_by_participant(campaign),
        form=form,
        upload=upload,
        problems=problems,
        labels=OUTCOME_LABELS,
    )
