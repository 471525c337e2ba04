"""Importing responses collected elsewhere: upload, preview and map, import as a batch, undo."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for

from instruments import QUESTION_TYPES

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, current_user, login_required
from ..extensions import db
from ..inputs import SelectChoice
from ..models import ImportBatch
from ..statuses import BatchStatus
from . import bp
from .batches import (
    campaign_batches,
    complete_import,
    duplicate_message,
    earlier_batch,
    find_batch,
    plan_for,
    stage_upload,
    staged_layout,
    undo_batch,
)
from .forms import ImportPlanForm, ResponseUploadForm
from .import_formats import IDENTIFYING, METADATA, QUESTION, Layout, norm
from .import_mapping import (
    MappingError,
    read_mapping,
    save_mapping,
    saved_mapping,
    saved_mappings,
    suggestions,
    target_choices,
)
from .imports import ImportProblem, ImportRefused
from .response_rows import POLICIES, Plan, Preview, preview_import, unmatched_answers
from .services import campaign_instrument

LABEL_FIELD = re.compile(r"^label-code-(\d+)$")
UNDECIDED = "__undecided__"


@bp.route("/<campaign_id>/responses/import", methods=["GET", "POST"])
@login_required
def import_page(campaign_id):
    """Upload another tool's export (CSV, TSV or XLSX); the next page previews it."""
    campaign = campaign_access(campaign_id, write=True)
    form = ResponseUploadForm()
    form.saved.choices = [SelectChoice("", "None")] + [
        SelectChoice(m.name, m.name)
        for m in saved_mappings(campaign.owner_id, campaign.instrument_key)
    ]
    problems = []
    if form.validate_on_submit():
        try:
            mapping = None
            if form.mapping.data and form.mapping.data.filename:
                mapping = read_mapping(form.mapping.data.read(), form.mapping.data.filename)
            elif form.saved.data:
                mapping = saved_mapping(campaign.owner_id, campaign.instrument_key, form.saved.data)
            upload = form.file.data
            batch = stage_upload(campaign, upload.read(), upload.filename or "", current_user().id)
            plan = plan_for(campaign, staged_layout(batch), mapping)
            batch.staged = {**batch.staged, "plan": plan.as_json()}
        except (ImportRefused, MappingError) as refusal:
            db.session.rollback()
            problems = getattr(refusal, "problems", None) or [ImportProblem(None, "", str(refusal))]
        else:
            db.session.commit()
            return redirect(url_for(".import_preview", campaign_id=campaign.id, batch_id=batch.id))
    status = 400 if (problems or form.errors) else 200
    return render_template(
        "campaigns/import_responses.html",
        campaign=campaign,
        form=form,
        problems=problems,
        batches=campaign_batches(campaign),
        items=campaign_instrument(campaign).items,
    ), status


def _pending(campaign, batch_id) -> ImportBatch:
    batch = find_batch(campaign, batch_id)
    if batch is None or batch.status != BatchStatus.PENDING:
        abort(404)
    return batch


@bp.route("/<campaign_id>/responses/import/<batch_id>", methods=["GET", "POST"])
@login_required
def import_preview(campaign_id, batch_id):
    """Preview and map: columns to questions, answer texts to options, what to skip; import."""
    campaign = campaign_access(campaign_id, write=True)
    batch = _pending(campaign, batch_id)
    layout, instrument = staged_layout(batch), campaign_instrument(campaign)
    form = ImportPlanForm()
    if request.method == "POST":
        plan = _plan_from_request(form, layout, instrument, campaign.is_360)
    else:
        plan = Plan.from_json((batch.staged or {}).get("plan"))
        form.incomplete.data, form.blank.data, form.long.data = (
            plan.incomplete,
            plan.blank,
            plan.long,
        )
    preview = preview_import(campaign, instrument, layout, plan)
    notice, problems, refused = "", [], False
    if request.method == "POST" and "import" in request.form and form.validate():
        if form.digest.data != plan.digest():
            notice = "You changed some choices: check the preview below, then import."
        else:
            try:
                replaced = complete_import(campaign, batch, preview, replace=form.replace.data)
            except ImportRefused as refusal:
                db.session.rollback()
                refused = True
                problems = [p for p in refusal.problems if p not in preview.problems]
            else:
                return _imported(campaign, batch, layout, plan, form, replaced)
    form.digest.data = plan.digest()
    earlier = earlier_batch(campaign, batch)
    status = 400 if (refused or form.errors) else 200
    return render_template(
        "campaigns/import_preview.html",
        campaign=campaign,
        batch=batch,
        layout=layout,
        preview=preview,
        plan=plan,
        form=form,
        notice=notice,
        problems=problems,
        earlier=earlier,
        earlier_message=duplicate_message(earlier) if earlier else "",
        rows=_column_rows(layout, plan, instrument, campaign.is_360),
        translations=_translations(preview, plan, instrument),
        dropped={role: layout.dropped(role) for role in (IDENTIFYING, METADATA)},
    ), status


def _imported(campaign, batch, layout, plan, form, replaced):
    if form.save_as.data:
        save_mapping(
            campaign.owner_id, campaign.instrument_key, form.save_as.data, plan.mapping(layout)
        )
    counts = batch.counts
    record_event(
        "responses_imported",
        campaign,
        f"batch {batch.source}: "
        f"{counts.get('imported', 0)} responses from {batch.filename}"
        + (f", replacing {replaced.source}" if replaced else ""),
    )
    db.session.commit()
    flash(
        f"Imported {counts.get('imported', 0)} responses as batch {batch.source}."
        + (f" Batch {replaced.source} was replaced." if replaced else ""),
        "success",
    )
    return redirect(url_for(".import_page", campaign_id=campaign.id))


def _plan_from_request(form, layout: Layout, instrument, is_360: bool) -> Plan:
    allowed = {value for value, _ in target_choices(instrument, is_360)}
    columns = {}
    for column in layout.columns:
        target = request.form.get(f"col-{column.index}", "")
        if column.role == QUESTION and target in allowed:
            columns[column.index] = target
    labels: dict[str, dict[str, str]] = {}
    item_ids = {item.id for item in instrument.items}
    for name in request.form:
        match = LABEL_FIELD.match(name)
        if not match:
            continue
        number = match.group(1)
        item_id = request.form.get(f"label-item-{number}", "")
        text = request.form.get(f"label-text-{number}", "")
        code = request.form.get(name, UNDECIDED)
        if (
            item_id in item_ids
            and text
            and code != UNDECIDED
            and (code == "" or code in _codes(instrument.item(item_id)))
        ):
            labels.setdefault(item_id, {})[norm(text)] = code
    plan = Plan(columns=columns, labels=labels)
    for policy, options in POLICIES.items():
        if getattr(form, policy).data in options:
            setattr(plan, policy, getattr(form, policy).data)
    return plan


def _codes(item) -> set[str]:
    return {code for code, _ in QUESTION_TYPES[item.type].choices(item)}


def _column_rows(layout, plan, instrument, is_360):
    """Each question column with a few of its answers, its chosen target and suggestions."""
    choices = target_choices(instrument, is_360)
    labels = dict(choices)
    rows = []
    for column in layout.columns:
        if column.role != QUESTION:
            continue
        samples = []
        for record in (r for r in layout.records if not r.test):
            value = layout.cell(record, column)
            if value and value not in samples:
                samples.append(value)
            if len(samples) == 3:
                break
        near = (
            []
            if column.index in plan.columns
            else [labels[target] for target, _ in suggestions(column, instrument, is_360)]
        )
        rows.append(
            {
                "column": column,
                "target": plan.columns.get(column.index, ""),
                "samples": samples,
                "suggestions": near,
            }
        )
    return rows, choices


def _translations(preview: Preview, plan: Plan, instrument):
    """Answer texts to translate: those waiting for a choice, then those already chosen."""
    waiting = [
        (item_id, text, count, UNDECIDED) for item_id, text, count in unmatched_answers(preview)
    ]
    chosen = [
        (item_id, text, None, code)
        for item_id, texts in plan.labels.items()
        for text, code in texts.items()
    ]
    return [
        {
            "item": instrument.item(item_id),
            "text": text,
            "count": count,
            "code": code,
            "options": QUESTION_TYPES[instrument.item(item_id).type].choices(
                instrument.item(item_id)
            ),
        }
        for item_id, text, count, code in waiting + chosen
    ]


@bp.post("/<campaign_id>/responses/import/<batch_id>/cancel")
@login_required
def import_cancel(campaign_id, batch_id):
    """Forget an upload that was previewed but not imported."""
    campaign = campaign_access(campaign_id, write=True)
    db.session.delete(_pending(campaign, batch_id))
    db.session.commit()
    flash("The upload was discarded; nothing was imported.", "success")
    return redirect(url_for(".import_page", campaign_id=campaign.id))


@bp.route("/<campaign_id>/responses/imports/<batch_id>/undo", methods=["GET", "POST"])
@login_required
def undo_import(campaign_id, batch_id):
    """Confirm, then remove every response an import batch added."""
    campaign = campaign_access(campaign_id, write=True)
    batch = find_batch(campaign, batch_id)
    if batch is None or batch.status == BatchStatus.PENDING:
        abort(404)
    if request.method == "POST":
        try:
            removed = undo_batch(campaign, batch)
        except ImportRefused as refusal:
            db.session.rollback()
            flash(refusal.problems[0].describe(), "error")
        else:
            record_event(
                "import_undone", campaign, f"batch {batch.source}: {removed} responses removed"
            )
            db.session.commit()
            flash(f"Batch {batch.source} was undone: {removed} responses removed.", "success")
        return redirect(url_for(".import_page", campaign_id=campaign.id))
    return render_template("campaigns/import_undo.html", campaign=campaign, batch=batch)
