"""Editing a campaign's own codebook: rename, merge, add terms, accept a proposed theme."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from instruments import InstrumentError

from ..auth.access import campaign_access, login_required
from ..campaigns.services import campaign_instrument
from ..extensions import db
from ..inputs import required
from ..responses import load_responses
from ..statuses import CampaignKind
from . import bp
from .codebooks import (
    CodebookEditError,
    accept_theme,
    add_terms,
    editable_codebook,
    merge_themes,
    problems_of,
    rename_theme,
    save_codebook,
    save_override,
)
from .forms import (
    AcceptThemeForm,
    AddTermsForm,
    CsrfOnlyForm,
    MergeThemesForm,
    RecodeForm,
    RenameThemeForm,
    lines,
)
from .services import survey_findings, threshold
from .themes import codebook_for, recodable_comments

ACTIONS = ("rename", "merge", "terms", "accept")
ADOPTED_TERMS = 5  # a proposed theme's top words that become its include terms


def _forms(raw: dict) -> dict:
    choices = [(theme["id"], theme["label"]) for theme in raw["themes"]]
    forms = {
        "rename": RenameThemeForm(),
        "merge": MergeThemesForm(),
        "terms": AddTermsForm(),
        "accept": AcceptThemeForm(),
    }
    forms["rename"].theme.choices = choices
    forms["merge"].keep.choices = choices
    forms["merge"].merge.choices = choices
    forms["terms"].terms_theme.choices = choices
    if request.method == "GET":
        forms["accept"].new_label.data = request.args.get("label", "")[:120]
        forms["accept"].terms.data = request.args.get("terms", "")[:5000]
    return forms


def _apply(action: str, form, raw: dict) -> str:
    """Make one edit to the raw codebook; returns what to tell the commissioner."""
    if action == "rename":
        rename_theme(raw, form.theme.data, form.label.data)
        return f"Renamed the theme to “{form.label.data.strip()}”."
    if action == "merge":
        merge_themes(raw, form.keep.data, form.merge.data)
        return "Merged the two themes."
    if action == "terms":
        if not lines(form.include.data) and not lines(form.patterns.data):
            raise CodebookEditError("Enter at least one word, phrase or pattern to add.")
        add_terms(raw, form.terms_theme.data, lines(form.include.data), lines(form.patterns.data))
        return "Added the terms."
    accept_theme(
        raw,
        form.new_label.data,
        lines(form.terms.data),
        lines(form.examples.data),
        form.definition.data or "",
    )
    return f"Added the theme “{form.new_label.data.strip()}”."


@bp.route("/campaigns/<campaign_id>/codebooks/<key>", methods=["GET", "POST"])
@login_required
def codebook(campaign_id: str, key: str):
    """A campaign's codebook: its themes, edit forms, and proposals from the comments."""
    campaign = campaign_access(campaign_id, write=request.method == "POST")
    if campaign.kind != CampaignKind.SURVEY:
        abort(404)
    try:
        raw = editable_codebook(campaign, key)
    except KeyError:
        abort(404)
    forms = _forms(raw)
    problems: list[str] = []
    action = request.form.get("action", "")
    if request.method == "POST":
        if action not in ACTIONS:
            abort(400)
        form = forms[action]
        if form.validate_on_submit():
            try:
                message = _apply(action, form, raw)
                saved = save_codebook(campaign, key, raw)
            except CodebookEditError as error:
                problems = [str(error)]
            except InstrumentError as error:
                problems = problems_of(error)
            else:
                db.session.commit()
                flash(
                    f"{message} Saved as version {saved.version} of this campaign's codebook.",
                    "success",
                )
                return redirect(url_for(".codebook", campaign_id=campaign.id, key=key))
        db.session.rollback()
    return render_template(
        "findings/codebook.html",
        campaign=campaign,
        key=key,
        raw=raw,
        forms=forms,
        action=action,
        problems=problems,
        proposals=_proposals(campaign, key),
        adopt_form=CsrfOnlyForm(),
        own=key in (campaign.codebooks or {}),
        page_title=f"Codebook: {raw.get('title', key)}",
    )


def _proposals(campaign, key: str) -> list[dict]:
    """Discovered themes and key phrases of the questions this codebook codes."""
    instrument = campaign_instrument(campaign)
    found = survey_findings(campaign)["themes"]
    proposals = []
    for item_id, themed in found.items():
        if themed["codebook"] != key:
            continue
        proposals.append(
            {
                "item": item_id,
                "prompt": instrument.item(item_id).prompt,
                "commented": themed["commented"],
                "discovered": themed["discovered"],
                "key_phrases": themed["key_phrases"],
            }
        )
    return proposals


@bp.route("/campaigns/<campaign_id>/codebooks/<key>/recode/<item_id>", methods=["GET", "POST"])
@login_required
def recode(campaign_id: str, key: str, item_id: str):
    """Code single comments by hand, or accept or reject a suggested code; the model learns."""
    campaign = campaign_access(campaign_id, write=request.method == "POST")
    instrument = campaign_instrument(campaign)
    codebook_used = (
        codebook_for(campaign, instrument, item_id)
        if (
            campaign.kind == CampaignKind.SURVEY
            and item_id in {item.id for item in instrument.items}
        )
        else None
    )
    if codebook_used is None or codebook_used.key != key:
        abort(404)
    form = RecodeForm()
    found = recodable_comments(
        campaign,
        instrument,
        [r.answers for r in load_responses(campaign.id)],
        item_id,
        threshold(campaign),
    )
    if request.method == "POST":
        by_hash = {entry["hash"]: entry for entry in found["ask"] + found["rest"]}
        if not form.validate_on_submit() or form.comment.data not in by_hash:
            abort(400)
        known = {theme.id for theme in codebook_used.themes}
        theme_ids, message = _chosen_codes(by_hash[form.comment.data], known)
        save_override(campaign, item_id, required(form.comment.data), theme_ids)
        db.session.commit()
        flash(message, "success")
        # Back to the comment just coded, not to the top of a long page.
        return redirect(
            url_for(".recode", campaign_id=campaign.id, key=key, item_id=item_id)
            + f"#comment-{form.comment.data}"
        )
    return render_template(
        "findings/recode.html",
        campaign=campaign,
        key=key,
        form=form,
        item=instrument.item(item_id),
        found=found,
        themes=codebook_used.themes,
        page_title="Code comments",
    )


def _chosen_codes(entry: dict, known: set[str]) -> tuple[list[str], str]:
    """The comment's codes after the button pressed: save, accept or reject a suggestion."""
    labels = {s["id"]: s["label"] for s in entry["suggested"]}
    accepted, rejected = request.form.get("accept"), request.form.get("reject")
    if accepted in labels and accepted in known:
        return (
            sorted({*entry["themes"], accepted}),
            f"Added “{labels[accepted]}” to the comment's themes; the model will learn it.",
        )
    if rejected in labels:
        return (
            sorted(entry["themes"]),
            f"Noted that the comment is not about “{labels[rejected]}”.",
        )
    chosen = [t for t in request.form.getlist("themes") if t in known]
    return chosen, "Saved the comment's themes; the model will learn from them."


@bp.post("/campaigns/<campaign_id>/codebooks/<key>/adopt/<item_id>/<proposal>")
@login_required
def adopt(campaign_id: str, key: str, item_id: str, proposal: str):
    """One click: a proposed (discovered) theme becomes a theme of the campaign's codebook."""
    campaign = campaign_access(campaign_id, write=True)
    if campaign.kind != CampaignKind.SURVEY or not CsrfOnlyForm().validate_on_submit():
        abort(400 if campaign.kind == CampaignKind.SURVEY else 404)
    themed = survey_findings(campaign)["themes"].get(item_id)
    found = next(
        (theme for theme in (themed or {}).get("discovered", []) if theme["id"] == proposal), None
    )
    if themed is None or themed["codebook"] != key or found is None:
        abort(404)
    raw = editable_codebook(campaign, key)
    try:
        accept_theme(raw, found["label"], found["terms"][:ADOPTED_TERMS], found["quotes"])
        saved = save_codebook(campaign, key, raw)
    except InstrumentError as error:
        db.session.rollback()
        for problem in problems_of(error):
            flash(problem, "error")
        return redirect(
            url_for(
                ".codebook",
                campaign_id=campaign.id,
                key=key,
                label=found["label"],
                terms="\n".join(found["terms"]),
            )
            + "#accept"
        )
    db.session.commit()
    flash(
        f"Added the theme “{found['label']}” (version {saved.version} of this campaign's "
        "codebook). Rename it or add words on this page.",
        "success",
    )
    return redirect(url_for(".codebook", campaign_id=campaign.id, key=key))
