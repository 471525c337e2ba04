"""Uploaded instrument files: YAML or an XLSForm, read by their name's suffix, problems located."""

from __future__ import annotations

import pytest

from instruments import InstrumentError
from instruments.upload import parse_upload, upload_data
from instruments.yaml_text import parse_yaml
from tests.conftest import TINY_INSTRUMENT
from tests.instruments.xlsform_builder import xlsform

FORM = xlsform(
    [
        ("type", "name", "label"),
        ("begin_group", "page", "Page"),
        ("select_one yn", "ok", "All well?"),
        ("end_group", "page", ""),
    ],
    [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No")],
    {"form_title": "Check in", "form_id": "check_in"},
)


def refusal(content: bytes, filename: str):
    with pytest.raises(InstrumentError) as caught:
        parse_upload(content, filename)
    [problem] = caught.value.problems
    return problem


def test_an_xlsform_upload_becomes_an_instrument():
    instrument = parse_upload(FORM, "Check In.XLSX")
    assert (instrument.key, instrument.title) == ("check_in", "Check in")
    assert [o.label for o in instrument.item("ok").options] == ["Yes", "No"]
    assert upload_data(FORM, "check.xlsx")["sections"][0]["id"] == "page"


def test_a_yaml_upload_still_works():
    instrument = parse_upload(TINY_INSTRUMENT.read_bytes(), "tiny.yml")
    assert instrument.items


@pytest.mark.parametrize("suffix", [".xls", ".ods", ".csv"])
def test_other_spreadsheets_are_asked_to_be_saved_as_xlsx(suffix):
    problem = refusal(b"\xd0\xcf\x11\xe0 old excel", f"form{suffix}")
    assert problem.code == "save-as-xlsx" and "(.xlsx)" in problem.hint


def test_an_unknown_suffix_and_a_corrupt_workbook_are_refused_plainly():
    assert refusal(b"{}", "form.json").code == "unknown-format"
    problem = refusal(b"not a zip at all", "form.xlsx")
    assert (problem.code, problem.location) == ("not-xlsx", "file")


def test_an_xlsform_problem_names_the_file_sheet_and_row():
    broken = xlsform([("type", "name", "label"), ("calculate", "total", "Total")])
    problem = refusal(broken, "broken.xlsx")
    assert str(problem).startswith("broken.xlsx: sheet survey, row 2, column type:")
    assert "compute it after export instead" in problem.hint


def test_an_unclosed_quote_is_located_where_it_opens_not_at_the_end_of_the_file():
    text = 'key: x\ntitle: "Staff survey\nversion: 1\nkind: survey\nsections: []\n'
    problem = refusal(text.encode(), "survey.yaml")
    assert problem.code == "unclosed-quote"
    assert problem.location == "line 2, column 8"
    assert "line 6" in problem.message  # where the file ended, for reference


def test_an_unclosed_single_quote_and_an_unclosed_bracket_name_where_they_began():
    with pytest.raises(InstrumentError) as caught:
        parse_yaml("a: 1\nb: 'it\nc: d\n", "x.yaml")
    assert caught.value.problems[0].location == "line 2, column 4"
    with pytest.raises(InstrumentError) as caught:
        parse_yaml("a: [1, 2\nb: 3\n", "x.yaml")
    [problem] = caught.value.problems
    assert problem.code == "bad-yaml" and "began at line 1, column 4" in problem.message
