"""Build small XLSForm workbooks for tests: each sheet a header row followed by its rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO

from openpyxl import Workbook, load_workbook

Rows = Sequence[Sequence[object]]

CHOICES_HEADER = ("list_name", "name", "label")
SURVEY_HEADER = ("type", "name", "label")


def xlsform(
    survey: Rows,
    choices: Rows = (CHOICES_HEADER,),
    settings: Mapping[str, object] | None = None,
) -> bytes:
    """An .xlsx with survey, choices and (when given) settings sheets, as bytes."""
    book = Workbook()
    for blank in book.worksheets:
        book.remove(blank)
    for name, rows in (("survey", survey), ("choices", choices)):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    if settings is not None:
        sheet = book.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(content: bytes, name: str) -> list[dict[str, object]]:
    """A sheet of a workbook as dicts by header (to look at what the exporter wrote)."""
    sheet = load_workbook(BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
