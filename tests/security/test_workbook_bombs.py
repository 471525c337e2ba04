"""A workbook that unpacks to far more than it weighs is refused before any sheet is read.

An .xlsx is a zip of XML: a small upload can declare gigabytes of sheet XML, which a streaming
reader would still spend minutes on. Both workbook readers (instrument uploads, response
imports) check the declared unpacked size first.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from instruments import InstrumentError
from instruments.upload import parse_upload
from instruments.workbooks import MAX_INSTRUMENT_BYTES, MAX_UNPACKED_BYTES, unpacks_too_large
from survey_app.campaigns.csvfiles import CsvFileError, read_grid
from tests.instruments.xlsform_builder import xlsform


def _bomb() -> bytes:
    """A real XLSForm whose survey sheet starts with enough blank rows to pass the limit."""
    source = zipfile.ZipFile(BytesIO(xlsform([("type", "name", "label"), ("text", "why", "Why?")])))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":  # the survey sheet
                padding = b"<row/>" * (MAX_UNPACKED_BYTES // 6 + 1)
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding, 1)
            archive.writestr(member, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return _bomb()


def test_the_bomb_is_small_but_declares_more_than_the_limit(bomb):
    assert len(bomb) < 5 * 1024 * 1024  # under the upload limit: only the guard stops it
    assert unpacks_too_large(bomb) and unpacks_too_large(bomb, MAX_INSTRUMENT_BYTES)
    assert not unpacks_too_large(xlsform([("type", "name", "label"), ("text", "why", "Why?")]))
    assert not unpacks_too_large(b"not a zip")


def test_an_instrument_upload_is_refused_with_one_located_problem(bomb):
    with pytest.raises(InstrumentError) as refused:
        parse_upload(bomb, "form.xlsx")
    (problem,) = refused.value.problems
    assert problem.code == "workbook-too-large" and "survey, choices and settings" in problem.hint


def test_a_response_import_is_refused_with_a_message_saying_what_to_do(bomb):
    with pytest.raises(CsvFileError, match="unpacks to more than 100 MB.*CSV UTF-8"):
        read_grid(bomb, "responses.xlsx")
