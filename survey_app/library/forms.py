"""The library's one form: uploading an instrument file."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired

from ..inputs import FlaskForm


class InstrumentUploadForm(FlaskForm):
    """A YAML instrument or an XLSForm workbook."""

    file = FileField(
        "Instrument file (YAML or XLSForm .xlsx)",
        validators=[FileRequired("Choose a YAML (.yaml) or XLSForm (.xlsx) file to upload")],
    )
