"""Participant-facing report pages: the released 360 report, its PDF and the development plan."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, url_for

from analysis.print_charts import participant_svgs
from analysis.results import ParticipantResult

from ..errors import render_error
from ..extensions import db
from ..models import Participant
from ..people.services import find_participant
from . import bp
from .forms import PlanForm
from .pdf import pdf_response
from .plan import SUPPORT_LABELS, display_goals, save_plan
from .services import ParticipantReport, not_kept_text, participant_report, pooling_summary

NOT_RELEASED = (
    "Your report is not ready yet",
    "Your 360 report will appear here once the programme team has released it. "
    "A report is prepared once, when your feedback window closes, and they release "
    "it after that. Keep this link: it is the way back to your report.",
)


def report_charts(result: ParticipantResult) -> dict:
    """The report's plotly figures, for pages (the PDF draws the same charts as SVG)."""
    from analysis.report_charts import behaviour_chart, gap_chart, levelled_chart

    return {
        "overview": levelled_chart(result)[0],
        "gap": gap_chart(result)[0],
        "behaviours": {bid: behaviour_chart(result, bid)[0] for bid in result["behaviours"]},
    }


def report_context(report: ParticipantReport, viewer: str, pdf: bool = False) -> dict:
    """Template variables shared by the participant's and the commissioners' views."""
    counts = report.result["response_counts"]
    others = sum(n for rel, n in counts.items() if rel != "self")
    own = "your self-assessment" if viewer == "participant" else "the self-assessment"
    text = (
        f"{own} and {others} other rater{'s' if others != 1 else ''}"
        if counts.get("self")
        else f"{others} rater{'s' if others != 1 else ''} (no self-assessment yet)"
    )
    return {
        "report": report,
        "viewer": viewer,
        "pdf": pdf,
        "pooling": pooling_summary(report),
        "not_kept_text": not_kept_text(report),
        "charts": None if pdf else report_charts(report.result),
        "print_charts": participant_svgs(
            report.result, "You" if viewer == "participant" else "Self"
        )
        if pdf
        else None,
        "result_counts_text": text,
        "plan_goals": display_goals(report.participant),
        "behaviour_titles": {bid: row["title"] for bid, row in report.result["behaviours"].items()},
        "support_labels": SUPPORT_LABELS,
        "crosswalk": report.instrument.settings.get("crosswalk") or {},
    }


def released_report(token: str) -> tuple[Participant, ParticipantReport]:
    """The participant of a link and their frozen report, once released (404 or 403 page)."""
    participant = find_participant(token)
    if participant is None or not participant.campaign.is_360:
        abort(404)
    report = (
        participant_report(participant, released_only=True) if participant.report_released else None
    )
    if report is None:
        abort(make_response(render_error(403, *NOT_RELEASED)))
    return participant, report


@bp.get("/p/<token>/report")
def participant_report_page(token: str):
    """The participant's own report, once released."""
    participant, report = released_report(token)
    return render_template(
        "reports/participant.html",
        layout="base.html",
        pdf_url=url_for(".participant_report_pdf", token=token),
        plan_url=url_for(".development_plan", token=token),
        **report_context(report, "participant"),
    )


@bp.get("/p/<token>/report.pdf")
def participant_report_pdf(token: str):
    """The participant's own report as a PDF."""
    participant, report = released_report(token)
    html = render_template(
        "reports/participant_pdf.html", **report_context(report, "participant", pdf=True)
    )
    return pdf_response(html, f"360-report-{participant.name}")


@bp.route("/p/<token>/plan", methods=["GET", "POST"])
def development_plan(token: str):
    """Choose two or three behaviours and record actions, support and review dates."""
    participant, report = released_report(token)
    behaviours = [(bid, row["title"]) for bid, row in report.result["behaviours"].items()]
    form = PlanForm()
    if not form.is_submitted():
        _prefill(form, display_goals(participant))
    form.set_behaviours(behaviours)
    if form.validate_on_submit():
        save_plan(participant, form.goal_data())
        db.session.commit()
        return redirect(url_for(".participant_report_page", token=token, _anchor="plan"))
    return render_template(
        "reports/plan.html",
        form=form,
        report=report,
        report_url=url_for(".participant_report_page", token=token),
    )


def _prefill(form: PlanForm, goals: list[dict]) -> None:
    for entry, goal in zip(form.goals, goals, strict=False):
        entry.form.behaviour.data = goal["behaviour"]
        entry.form.actions.data = goal.get("actions", "")
        entry.form.support.data = list(goal.get("support") or [])
        entry.form.review_on.data = goal.get("review_on")
        entry.form.done.data = bool(goal.get("done"))
