"""Reading an XLSForm workbook's sheets into located rows of text, and its language columns."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from .problems import InstrumentError, Problem
from .workbooks import MAX_INSTRUMENT_BYTES, unpacks_too_large

SHEETS = ("survey", "choices", "settings")
# Spellings the XLSForm specification and pyxform accept for the same column.
COLUMN_ALIASES = {
    "list name": "list_name",
    "constraint message": "constraint_message",
    "required message": "required_message",
    "choice filter": "choice_filter",
    "repeat count": "repeat_count",
    "calculate": "calculation",
}
# "English (en)" names language en; a bare "English" is its own key.
LANGUAGE_CODE = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{0,15})\)\s*$")
MAX_ROWS = 5000


@dataclass(frozen=True)
class Row:
    """One non-blank row of a sheet: its 1-based spreadsheet row number and its cells as text."""

    sheet: str
    number: int
    cells: dict[str, str] = field(default_factory=dict)

    def where(self, column: str = "") -> str:
        """'sheet survey, row 7' (and ', column label' when one column is meant)."""
        place = f"sheet {self.sheet}, row {self.number}"
        return f"{place}, column {column}" if column else place

    def get(self, column: str) -> str:
        """The text of a cell ('' when the column is absent or the cell blank)."""
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Sheet:
    """A sheet's column headers (normalised) and its non-blank rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without '.0', booleans as yes/no, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_name(header: str) -> str:
    """A header as the converter reads it: 'Label::Welsh (cy)' -> 'label::Welsh (cy)'."""
    base, sep, language = header.strip().partition("::")
    base = base.strip().casefold()
    base = COLUMN_ALIASES.get(base, base)
    return f"{base}::{language.strip()}" if sep else base


def language_key(suffix: str) -> str:
    """The key a label column's language is stored under: 'Welsh (cy)' -> 'cy'."""
    match = LANGUAGE_CODE.search(suffix)
    return match[1] if match else suffix.strip()


def _not_a_workbook(source: str) -> InstrumentError:
    return InstrumentError(
        [
            Problem(
                "not-xlsx",
                source,
                "file",
                "the file is not an Excel workbook (.xlsx) that can be read",
                "open it in a spreadsheet program and save it again as Excel Workbook (.xlsx)",
            )
        ]
    )


def read_workbook(content: bytes, source: str) -> dict[str, Sheet]:
    """The survey, choices and settings sheets found (by name, any case); refuses a bad file."""
    from openpyxl import load_workbook  # heavy: loaded only when a workbook is read
    from openpyxl.utils.exceptions import InvalidFileException

    if unpacks_too_large(content, MAX_INSTRUMENT_BYTES):
        raise InstrumentError(
            [
                Problem(
                    "workbook-too-large",
                    source,
                    "file",
                    "the workbook unpacks to more than "
                    f"{MAX_INSTRUMENT_BYTES // (1024 * 1024)} MB, far more than any instrument",
                    "remove other sheets and blank formatted rows, or save a new workbook "
                    "with only the survey, choices and settings sheets",
                )
            ]
        )
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, EOFError):
        raise _not_a_workbook(source) from None
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in book.worksheets:
            name = worksheet.title.strip().casefold()
            if name in SHEETS and name not in sheets:
                sheets[name] = _read_sheet(name, worksheet.iter_rows(values_only=True), source)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, TypeError):
        raise _not_a_workbook(source) from None
    finally:
        book.close()
    return sheets


def _read_sheet(name: str, values: Any, source: str) -> Sheet:
    headers: list[str] = []
    rows: list[Row] = []
    for number, raw in enumerate(values, 1):
        texts = [cell_text(v) for v in raw]
        if not headers:
            if any(texts):
                headers = [column_name(t) for t in texts]
            continue
        cells = {headers[i]: text for i, text in enumerate(texts) if text and i < len(headers)}
        if cells:
            rows.append(Row(name, number, cells))
        if len(rows) > MAX_ROWS:
            raise InstrumentError(
                [
                    Problem(
                        "too-many-rows",
                        source,
                        f"sheet {name}, row {number}",
                        f"the {name} sheet has more than {MAX_ROWS} rows",
                        "an instrument needs far fewer; check for rows filled by mistake",
                    )
                ]
            )
    return Sheet(name, tuple(h for h in headers if h), tuple(rows))
