"""Findings pages of survey campaigns: tallies, cross-tabs, audit tables, themes and exports."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from analysis.print_charts import findings_svgs, theme_tally

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, current_user, login_required, visible_campaign_ids
from ..campaigns.services import campaign_instrument
from ..downloads import XLSX, download
from ..extensions import db
from ..statuses import CampaignKind
from ..wording import counted
from . import bp
from .exports import (
    audit_parts,
    findings_csv,
    findings_pdf,
    findings_tables,
    findings_xlsx,
    hidden_text,
    page_tables,
)
from .forms import CsrfOnlyForm, RedactTermsForm, parse_hipo_counts
from .national import DEMAND, audit_choices, template_of
from .services import audit_views, save_organisational_hipo, save_redact_terms, survey_findings


def tally_figure(*args, **kwargs):
    """analysis.survey_charts.tally_figure, imported on first use (plotly takes a second)."""
    from analysis.survey_charts import tally_figure as draw

    return draw(*args, **kwargs)


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX,
    "pdf": "application/pdf",
}


def _survey_campaign(campaign_id: str, write: bool = False):
    campaign = campaign_access(campaign_id, write=write)
    if campaign.kind != CampaignKind.SURVEY:
        abort(404)
    return campaign


def _findings(campaign, by: str | None = None):
    args = request.args
    return survey_findings(
        campaign,
        row_item=args.get("row"),
        col_item=args.get("col"),
        by=by or args.get("by", "sub_region"),
        audit=_join_audit(campaign),
    )


def _join_choices(campaign) -> list:
    """The skills audit campaigns a demand campaign's findings may join: the same owner's that
    the signed-in user may read (none for other instruments)."""
    if template_of(campaign_instrument(campaign)) != DEMAND:
        return []
    user = current_user()
    readable = visible_campaign_ids(user) if user else set()
    return [c for c in audit_choices(campaign) if c.id in readable]


def _join_audit(campaign):
    """The audit campaign named by ?audit=, if it is one of the choices (else none joined)."""
    wanted = request.args.get("audit", "")
    return next((c for c in _join_choices(campaign) if c.id == wanted), None) if wanted else None


def theme_figure(themed: dict, skipped: int = 0):
    """A bar per theme (comments coded to it), or None when no one commented."""
    tally = theme_tally(themed, skipped)
    return tally_figure(tally, title=themed["prompt"]) if tally else None


def _record(action: str, campaign, detail: str = "") -> None:
    record_event(action, campaign, detail)
    db.session.commit()


@bp.get("/campaigns/<campaign_id>/findings")
@login_required
def findings(campaign_id: str):
    """The findings page: tallies with charts and tables, cross-tabs, audit tables, themes."""
    return _findings_page(_survey_campaign(campaign_id))


def _findings_page(campaign, by: str | None = None, hipo_errors=(), posted=None):
    """The findings page; after a failed post, its errors on top and what was typed kept."""
    found = _findings(campaign, by)
    figures = {
        item_id: tally_figure(question)
        for item_id, question in found["questions"].items()
        if "counts" in question and question["answered"]
    }
    theme_figures = {
        item_id: theme_figure(themed, found["text"].get(item_id, {}).get("skipped", 0))
        for item_id, themed in found["themes"].items()
    }
    by_key = {t["key"]: t for t in findings_tables(found)}
    return render_template(
        "findings/findings.html",
        campaign=campaign,
        f=found,
        figures=figures,
        theme_figures=theme_figures,
        tables_by_key=by_key,
        audit_tables=audit_parts(by_key["audit_summary"]) if "audit_summary" in by_key else [],
        hidden=hidden_text(found["threshold"]),
        audit_views=audit_views(found["instrument"]),
        join_choices=_join_choices(campaign) if found["national"] else [],
        hipo_form=CsrfOnlyForm(),
        adopt_form=CsrfOnlyForm(),
        hipo_errors=dict(hipo_errors),
        posted=posted or {},
        hipo_summary=[(message, f"#{field_id}") for field_id, message in hipo_errors],
        redact_form=RedactTermsForm(
            terms="\n".join((campaign.settings or {}).get("redact_terms", []))
        ),
        page_title=("Error: " if hipo_errors else "") + f"Findings: {campaign.title}",
    ), 400 if hipo_errors else 200


@bp.get("/campaigns/<campaign_id>/findings/print")
@login_required
def findings_print(campaign_id: str):
    """The findings as a printable page: tables instead of charts."""
    campaign = _survey_campaign(campaign_id)
    found = _findings(campaign)
    return render_template(
        "findings/print.html",
        campaign=campaign,
        f=found,
        tables=page_tables(findings_tables(found)),
        hidden=hidden_text(found["threshold"]),
        svgs=findings_svgs(found),
    )


@bp.get("/campaigns/<campaign_id>/findings.<kind>")
@login_required
def findings_export(campaign_id: str, kind: str):
    """The findings' tables as CSV, XLSX or PDF, suppressed exactly as on the page."""
    if kind not in EXPORT_TYPES:
        abort(404)
    campaign = _survey_campaign(campaign_id)
    found = _findings(campaign)
    tables = findings_tables(found)
    if kind == "csv":
        body: bytes | str = findings_csv(tables)
    elif kind == "xlsx":
        body = findings_xlsx(tables)
    else:
        html = render_template(
            "findings/print.html",
            campaign=campaign,
            f=found,
            tables=page_tables(tables),
            hidden=hidden_text(found["threshold"]),
            svgs=findings_svgs(found),
            pdf=True,
        )
        body = findings_pdf(html, base_url=request.url_root)
    _record("export_findings", campaign, kind)
    return download(body, f"findings-{campaign.id[:8]}.{kind}", EXPORT_TYPES[kind])


@bp.post("/campaigns/<campaign_id>/findings/high-potential")
@login_required
def save_hipo(campaign_id: str):
    """Store the commissioner's organisationally identified high-potential counts."""
    campaign = _survey_campaign(campaign_id, write=True)
    form = CsrfOnlyForm()
    if not form.validate_on_submit():
        abort(400)
    counts, errors = parse_hipo_counts(request.form)
    by = request.form.get("by", "sub_region")
    if errors:
        # Shown again, not redirected: the summary on top, the numbers as typed, the form open.
        return _findings_page(campaign, by, hipo_errors=errors, posted=request.form)
    save_organisational_hipo(campaign, counts)
    db.session.commit()
    flash("High-potential counts saved.", "success")
    return redirect(url_for(".findings", campaign_id=campaign.id, by=by) + "#audit-summary")


@bp.post("/campaigns/<campaign_id>/findings/redact")
@login_required
def save_redaction(campaign_id: str):
    """Store extra names to take out of every comment before theming."""
    campaign = _survey_campaign(campaign_id, write=True)
    form = RedactTermsForm()
    if not form.validate_on_submit():
        flash("That list is too long: keep it under 20,000 characters.", "error")
        return redirect(url_for(".findings", campaign_id=campaign.id))  # to the summary on top
    terms = save_redact_terms(campaign, form.terms.data or "")
    db.session.commit()
    saved = counted(len(terms), "name or term", "names or terms")
    flash(f"Saved {saved} to remove from comments.", "success")
    return redirect(url_for(".findings", campaign_id=campaign.id) + "#themes")
