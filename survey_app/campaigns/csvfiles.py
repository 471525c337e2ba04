"""Reading uploaded tables (CSV, TSV, XLSX) as people save them, and writing cells that
spreadsheets will not execute.

Uploads come from Excel, SurveyMonkey, Qualtrics, LimeSurvey and friends: UTF-8 with or without a
byte-order mark, UTF-16 (Qualtrics TSV), Windows-1252 (Excel's "CSV" on a UK PC), commas,
semicolons or tabs, and XLSX workbooks. Every row keeps the number a person sees in a spreadsheet,
so a cell holding a line break never shifts the locations in our messages.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import TypeGuard

from instruments.workbooks import MAX_UNPACKED_BYTES, unpacks_too_large

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
MAX_ROWS = 100_000
MAX_COLUMNS = 2_000
BINARY = "The file contains binary data: upload a CSV, TSV or XLSX file."
EXCEL_CSV_ADVICE = "In Excel use 'Save as' and choose 'CSV UTF-8 (Comma delimited)'."


class CsvFileError(ValueError):
    """The file as a whole cannot be read: wrong encoding, empty, or not a table."""


@dataclass
class Grid:
    """An uploaded table: its non-empty rows, each with the row number a spreadsheet shows."""

    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    kind: str = "CSV"
    encoding: str = ""
    delimiter: str = ","
    sheet: str = ""

    def describe(self) -> str:
        """'CSV, semicolon-separated, Windows-1252' or "XLSX, sheet 'Sheet1'"."""
        if self.kind == "XLSX":
            return f"XLSX workbook, sheet '{self.sheet}'"
        return (
            f"{self.kind}, {DELIMITERS.get(self.delimiter, self.delimiter)}-separated, "
            f"{self.encoding}"
        )


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


def is_formula_like(value: object) -> TypeGuard[str]:
    """True for text a spreadsheet would read as a formula (plain negative numbers are fine)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.match(value)
    )


def decode_upload(data: bytes) -> tuple[str, str]:
    """The text of an upload and the encoding it was read in; unreadable bytes are refused."""
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            return _decode(data, codec, name), name
    if b"\x00" in data[:4000]:
        # UTF-16 without a byte-order mark puts a zero byte beside every ASCII letter.
        zeros_even = data[:4000:2].count(0) > data[1:4000:2].count(0)
        try:
            text = data.decode("utf-16-be" if zeros_even else "utf-16-le")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:
            raise CsvFileError(BINARY)
        return text, "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 leaves five byte values undefined: a file using them is something else again.
    return _decode(data, "cp1252", "Windows-1252"), "Windows-1252"


def _decode(data: bytes, codec: str, name: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise CsvFileError(
            f"Row {row}: the file is neither UTF-8, UTF-16 nor Windows-1252 "
            f"text (it started like {name}). {EXCEL_CSV_ADVICE}"
        ) from None
    if "\x00" in text:
        raise CsvFileError(BINARY)
    return text


def sniff_delimiter(text: str, filename: str = "") -> str:
    """The separator that gives the most columns, consistently, over the first rows."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", (-1.0, 0, 0, 0)
    for position, delimiter in enumerate(DELIMITERS):
        try:
            widths = [
                len(r)
                for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if any(c.strip() for c in r)
            ]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        steady = sum(1 for w in widths[:200] if w == widths[0]) / len(widths[:200])
        preferred = 1 if (delimiter == "\t") == filename.lower().endswith(".tsv") else 0
        score = (round(steady, 2), preferred, widths[0] if steady > 0.5 else 0, -position)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_grid(data: bytes, filename: str = "") -> Grid:
    """The rows of a CSV, TSV or XLSX upload; CsvFileError says why a file cannot be read."""
    if not data.strip():
        raise CsvFileError("The file is empty: it needs a header row and at least one row.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CsvFileError(
            "This is an old Excel (.xls) workbook: in Excel use 'Save as' and "
            "choose 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        )
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        grid = _read_xlsx(data)
    else:
        grid = _read_text(data, filename)
    if not grid.rows:
        raise CsvFileError("The file is empty: it needs a header row and at least one row.")
    return grid


def read_table(
    data: bytes, filename: str = ""
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header names and (spreadsheet row, cells by header) pairs of a CSV, TSV or XLSX upload."""
    grid = read_grid(data, filename)
    header = [str(h).strip() for h in grid.rows[0]]
    records = []
    for number, row in zip(grid.numbers[1:], grid.rows[1:], strict=True):
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header) :]):
            raise CsvFileError(
                f"Row {number}: has {len(row)} cells but the header has {len(header)}."
            )
        padded = list(row[: len(header)]) + [""] * (len(header) - len(row))
        records.append((number, dict(zip(header, padded, strict=True))))
    return header, records


def _read_text(data: bytes, filename: str) -> Grid:
    text, encoding = decode_upload(data)
    first_line = text.split("\n", 1)[0].strip()
    skipped = 0
    if re.fullmatch(r'"?sep=.?"?', first_line):  # Excel's own "sep=;" first line
        delimiter = first_line.strip('"')[4:] or ","
        text, skipped = text.split("\n", 1)[1] if "\n" in text else "", 1
    else:
        delimiter = sniff_delimiter(text, filename)
    grid = Grid(kind="TSV" if delimiter == "\t" else "CSV", encoding=encoding, delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1 + skipped):
            _add_row(grid, number, row)
    except csv.Error as error:
        raise CsvFileError(
            f"Row {reader.line_num + skipped}: the file is not valid {grid.kind}: {error}."
        ) from None
    return grid


def _add_row(grid: Grid, number: int, row: list[str]) -> None:
    if len(grid.rows) >= MAX_ROWS or len(row) > MAX_COLUMNS:
        raise CsvFileError(
            f"Row {number}: the file is too large to import at once (at most "
            f"{MAX_ROWS:,} rows of {MAX_COLUMNS:,} columns); split it."
        )
    if any(cell.strip() for cell in row):
        grid.rows.append(row)
        grid.numbers.append(number)


def _read_xlsx(data: bytes) -> Grid:
    from openpyxl import load_workbook

    if unpacks_too_large(data):
        raise CsvFileError(
            f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
            "save only the sheet of responses as a new workbook, or as 'CSV UTF-8', and "
            "import that."
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise CsvFileError(
            "The file is not a readable XLSX workbook: open it in Excel and "
            "save it again as 'Excel Workbook (.xlsx)' or 'CSV UTF-8'."
        ) from None
    try:
        for sheet in workbook.worksheets:
            grid = Grid(kind="XLSX", encoding="", delimiter="", sheet=sheet.title)
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                _add_row(grid, number, [xlsx_text(v) for v in values])
            if grid.rows:
                return grid
        return Grid(kind="XLSX")
    finally:
        workbook.close()


def xlsx_text(value: object) -> str:
    """A workbook cell as the text a person sees (whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):  # workbooks keep dates as midnight
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def write_csv(columns: list[str], rows: list[dict], excel: bool = False) -> str:
    """CSV text with a header row, every cell formula-safe; `excel` adds the BOM Excel needs."""
    out = io.StringIO()
    if excel:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell("" if row.get(c) is None else row.get(c)) for c in columns])
    return out.getvalue()


def typed_text(cell):
    """Make a workbook cell holding text a text cell, shown as typed and never calculated."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
    return cell


def xlsx_cell(sheet, value: str | float | dt.datetime | None):
    """A write-only workbook cell: numbers stay numbers, text is typed as text.

    Text that looks like a formula is stored as a string with Excel's own "quote prefix" style,
    so it shows as typed (no visible apostrophe) and is never calculated.
    """
    from openpyxl.cell import WriteOnlyCell

    return typed_text(WriteOnlyCell(sheet, value=value))
