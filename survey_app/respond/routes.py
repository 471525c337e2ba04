"""Answering views shared by personal links (/r/<token>) and self-assessments (/p/<token>/self)."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request
from sqlalchemy.exc import OperationalError

from ..extensions import TOKEN_LIMIT, db, limiter
from ..mixing.services import mix_waiting_survey_answers
from ..read_only import read_without_transaction
from ..statuses import FINISHED, InvitationStatus
from . import bp, claims, language, page_cache
from .flow import Answering, link_answering, self_answering
from .forms import (
    ActionForm,
    ResumeCodeForm,
    answer_text,
    error_links,
    friendly_errors,
    required_messages,
    valid_values,
)
from .services import draft_of, missing_required, pages_for, save_page, submit, visible_answers

limiter.limit(TOKEN_LIMIT)(bp)
bp.after_request(language.remember_language)
bp.add_app_template_filter(page_cache.checked_attribute, "checked")
read_without_transaction(bp)  # its pages that only read need no transaction

RESOLVERS = {"r": link_answering, "p": self_answering}
PREFIXES = {"r": "/r/<token>", "p": "/p/<token>/self"}


def on_both_links(rule: str, **options):
    """Attach a view at `rule` under each link prefix as "<kind>_<view name>", passing kind."""

    def attach(view):
        for kind, prefix in PREFIXES.items():
            bp.add_url_rule(
                prefix + rule, f"{kind}_{view.__name__}", view, defaults={"kind": kind}, **options
            )
        return view

    return attach


def _resolve(kind: str, token: str) -> tuple[Answering, object | None]:
    """The flow for this link and, when this browser may not answer, where to send it instead."""
    answering = RESOLVERS[kind](token)
    if answering.invitation.status in FINISHED:
        return answering, redirect(answering.url("done"))
    if kind == "r" and claims.claim_state(answering.invitation) != "mine":
        return answering, redirect(answering.url("start"))
    return answering, None


@on_both_links("/page/<int:number>", methods=["GET", "POST"])
def page(kind: str, token: str, number: int):
    """One section of questions: shows saved answers, saves on every submit."""
    answering, elsewhere = _resolve(kind, token)
    if elsewhere:
        return elsewhere
    draft = draft_of(answering.invitation)
    pages = pages_for(answering.instrument, answering.audience, draft)
    if not 1 <= number <= len(pages):
        return redirect(answering.url("check"))
    section = pages[number - 1]
    if request.method == "GET":
        return _render_page(
            answering, pages, number, page_cache.saved_questions(answering, section, draft)
        )
    form = page_cache.form_class(answering, section)()
    form.validate()
    friendly_errors(form, section.items)
    resume_at = answering.invitation.draft_page
    save_page(answering.invitation, number - 1, valid_values(form, section.items))
    if any(form[item.field_name].errors for item in section.items):
        db.session.commit()
        return _render_page(
            answering,
            pages,
            number,
            page_cache.questions(answering, section, form),
            _page_errors(answering, section, form),
        )
    if any(getattr(form[item.field_name], "adding_row", False) for item in section.items):
        # "Add another row" (repeating rows): saved, and the page shown again one row longer.
        db.session.commit()
        return _render_page(
            answering, pages, number, page_cache.questions(answering, section, form)
        )
    if request.form.get("action") == "later":
        db.session.commit()
        return redirect(answering.url("saved"))
    pages = pages_for(answering.instrument, answering.audience, draft_of(answering.invitation))
    following = next((i + 2 for i, p in enumerate(pages) if p.id == section.id), number + 1)
    if _changing():
        answering.invitation.draft_page = resume_at  # a change keeps the place to resume
    elif following <= len(pages):
        answering.invitation.draft_page = following - 1
    # One write transaction per page (answers and where to resume): the database's writer lock
    # is what concurrent raters queue for.
    db.session.commit()
    if following > len(pages) or _changing():
        return redirect(answering.url("check"))
    return redirect(answering.url("page", number=following))


def _changing() -> bool:
    """Reached by "Change" on the check page: saving returns there, not to the next page."""
    return request.args.get("change") == "1"


def _page_errors(answering: Answering, section, form) -> list[tuple[str, str]]:
    """(message, link) for the error summary, in page order."""
    return [
        (f"{item.prompt_for(answering.audience, answering.subject_name)}: {message}", href)
        for item in section.items
        for message, href in error_links(form[item.field_name], f"#{item.field_name}")
    ]


def _render_page(
    answering: Answering,
    pages,
    number: int,
    questions,
    page_errors: list[tuple[str, str]] | None = None,
):
    return render_template(
        "respond/page.html",
        a=answering,
        section=pages[number - 1],
        questions=questions,
        page_errors=page_errors or [],
        number=number,
        total=len(pages),
        changing=_changing(),
    )


@on_both_links("/page/<int:number>/autosave", methods=["POST"])
def autosave(kind: str, token: str, number: int):
    """Save a page in the background (JavaScript); answers that fail their checks wait."""
    answering, elsewhere = _resolve(kind, token)
    if elsewhere:
        return jsonify(saved=False, reason="finished-or-elsewhere"), 409
    pages = pages_for(answering.instrument, answering.audience, draft_of(answering.invitation))
    if not 1 <= number <= len(pages):
        return jsonify(saved=False, reason="no-such-page"), 404
    section = pages[number - 1]
    form = page_cache.form_class(answering, section)()
    form.validate()
    save_page(answering.invitation, number - 1, valid_values(form, section.items))
    db.session.commit()
    invalid = sum(1 for item in section.items if form[item.field_name].errors)
    return jsonify(saved=True, waiting=invalid)


@on_both_links("/check", methods=["GET", "POST"])
def check(kind: str, token: str):
    """'Check your answers', then submit once."""
    answering, elsewhere = _resolve(kind, token)
    if elsewhere:
        return elsewhere
    draft = draft_of(answering.invitation)
    errors = []
    if request.method == "POST":
        if not ActionForm().validate():
            return redirect(answering.url("check"))
        missing = missing_required(answering.instrument, answering.audience, draft)
        if not missing:
            return _submit(answering)
        pages = pages_for(answering.instrument, answering.audience, draft)
        page_of = {item.id: n for n, p in enumerate(pages, 1) for item in p.items}
        errors = [
            (
                f"{item.prompt_for(answering.audience, answering.subject_name)}: {message}",
                answering.url("page", number=page_of.get(item.id, 1), _anchor=item.field_name),
            )
            for item in missing
            for message in required_messages(item, draft.get(item.id, []))
        ]
    pages = pages_for(answering.instrument, answering.audience, draft)
    return render_template(
        "respond/check.html",
        a=answering,
        pages=pages,
        errors_for_summary=errors,
        errors=errors,
        page_numbers={p.id: n for n, p in enumerate(pages, 1)},
        answers=visible_answers(answering.instrument, answering.audience, draft),
        answer_text=answer_text,
        form=ActionForm(),
    ), (400 if errors else 200)


def _submit(answering: Answering):
    try:
        submitted = submit(answering.invitation, answering.instrument)
        db.session.commit()
    except OperationalError:
        # SQLite reports a lost race for the write lock as an error; the winner has the answers.
        db.session.rollback()
        db.session.refresh(answering.invitation)
        if answering.invitation.status != InvitationStatus.COMPLETED:
            raise
        submitted = False
    if submitted and answering.invitation.participant_id is None:
        # A survey answer waits, sealed, until k are waiting; then they are mixed together.
        mix_waiting_survey_answers(answering.campaign)
    return redirect(answering.url("done"))


@on_both_links("/done")
def done(kind: str, token: str):
    """The confirmation page (also what a second submit or a finished link shows)."""
    answering = RESOLVERS[kind](token, closed_ok=True)
    status = answering.invitation.status
    if status not in FINISHED:
        RESOLVERS[kind](token)  # 410 once feedback has closed: there is nothing to start
        return redirect(answering.url("start"))
    if kind == "r" and claims.claim_state(answering.invitation) == "other":
        # Whoever holds a forwarded link without its claim must not learn whether it was used.
        # An unclaimed finished link is a fresh one sent to its rater (a reminder their whole
        # group gets): it may say their feedback is in.
        return render_template("respond/claimed.html", a=answering, form=ResumeCodeForm())
    return render_template("respond/done.html", a=answering, status=status)


@on_both_links("/saved")
def saved(kind: str, token: str):
    """Answers are saved: how to come back."""
    answering, elsewhere = _resolve(kind, token)
    if elsewhere:
        return elsewhere
    return render_template("respond/saved.html", a=answering, form=ActionForm())
