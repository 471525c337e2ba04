"""Library pages: the list, uploading (with every problem found), a version and its preview."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from instruments import InstrumentError
from instruments.diff import instrument_diff

from ..auth.access import current_user, login_required
from ..downloads import XLSX
from ..downloads import download as file_download
from ..extensions import db
from ..respond.language import lang_attribute, language_choices
from . import bp, services
from .forms import InstrumentUploadForm
from .preview import AUDIENCE_NAMES, audiences_of, preview_pages


@bp.get("/")
@login_required
def index():
    """Every instrument, bundled and uploaded, with its versions."""
    return render_template(
        "library/index.html", entries=services.library(), form=InstrumentUploadForm()
    )


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload():
    """Upload a YAML or XLSForm instrument; a bad file is listed problem by problem."""
    form = InstrumentUploadForm()
    problems: list[dict[str, str]] = []
    filename = ""
    if form.validate_on_submit():
        sent = form.file.data
        filename = sent.filename or ""
        try:
            added = services.add_version(current_user(), sent.read(), filename)
        except InstrumentError as error:
            db.session.rollback()
            problems = services.problems_of(error)
        except services.LibraryError as error:
            db.session.rollback()
            form.file.errors = [str(error)]
        else:
            db.session.commit()
            flash(added.sentence(), "success")
            return redirect(url_for(".version", instrument_key=added.key, version=added.version))
    status = 400 if (problems or form.errors) else 200
    return render_template(
        "library/upload.html", form=form, problems=problems, filename=filename
    ), status


def _version_or_404(instrument_key: str, version: int) -> services.Version:
    found = services.find_version(instrument_key, version)
    if found is None:
        abort(404)
    return found


def _one_of(versions: list[services.Version], version: int) -> services.Version:
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        abort(404)
    return found


@bp.get("/<instrument_key>/v<int:version>")
@login_required
def version(instrument_key, version):
    """One version: where it came from, what changed since the one before, its previews."""
    versions = services.versions_of(instrument_key)  # read once for the page
    shown = _one_of(versions, version)
    previous = services.previous_version(versions, version)
    return render_template(
        "library/version.html",
        shown=shown,
        instrument=shown.instrument,
        previous=previous,
        changes=instrument_diff(previous.data, shown.data) if previous else [],
        versions=versions,
        audiences=audiences_of(shown.instrument),
        audience_names=AUDIENCE_NAMES,
        may_version=services.may_version(current_user(), instrument_key),
    )


@bp.get("/<instrument_key>/v<int:version>/preview/<audience>")
@login_required
def preview(instrument_key, version, audience):
    """Every page as `audience` will see it, read-only: nothing can be submitted."""
    shown = _version_or_404(instrument_key, version)
    instrument = shown.instrument
    if audience not in audiences_of(instrument):
        abort(404)
    language = request.args.get("lang", "")
    language = language if language in instrument.translations else ""
    worded = instrument.in_language(language) if language else instrument
    return render_template(
        "library/preview.html",
        shown=shown,
        instrument=worded,
        languages=language_choices(instrument, language) if instrument.translations else [],
        lang_attr=lang_attribute(language),
        audience=audience,
        audience_names=AUDIENCE_NAMES,
        audiences=audiences_of(instrument),
        pages=preview_pages(worded, audience),
    )


EXPORTS = {"yaml": ("yaml", "application/yaml"), "xlsx": ("xlsform", XLSX)}


@bp.get("/<instrument_key>/v<int:version>/download/<export_format>")
@login_required
def export(instrument_key, version, export_format):
    """The version as a YAML file or an XLSForm workbook, to edit and upload again."""
    shown = _version_or_404(instrument_key, version)
    if export_format not in EXPORTS:
        abort(404)
    fmt, mimetype = EXPORTS[export_format]
    try:
        body = services.export_bytes(shown.data, fmt)
    except InstrumentError as error:
        flash(
            "This version cannot be written as an XLSForm: "
            + "; ".join(p.describe() for p in error.problems[:5]),
            "error",
        )
        return redirect(url_for(".version", instrument_key=instrument_key, version=version))
    return file_download(body, f"{instrument_key}-v{version}.{export_format}", mimetype)
