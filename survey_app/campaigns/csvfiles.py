"""Reading uploaded CSV files strictly, and writing cells spreadsheets will not execute."""

from __future__ import annotations

import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class CsvFileError(ValueError):
    """The file as a whole cannot be read: wrong encoding, empty, or not a table."""


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(
            value):
        return "'" + value
    return value


def decode_upload(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is allowed); anything else is refused with advice."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise CsvFileError(f"Line {line}: the file is not UTF-8 text. In Excel use 'Save as' "
                           "and choose 'CSV UTF-8 (Comma delimited)'.") from None
    if "\x00" in text:
        raise CsvFileError("The file contains binary data: upload a CSV file, not a spreadsheet.")
    return text


def read_table(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header names and (line number, row) pairs; blank lines are skipped."""
    text = decode_upload(data)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise CsvFileError(f"The file is not valid CSV: {error}.") from None
    rows = [(n, r) for n, r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise CsvFileError("The file is empty: it needs a header row and at least one row.")
    header = [h.strip() for h in rows[0][1]]
    records = []
    for line, row in rows[1:]:
        if len(row) > len(header):
            raise CsvFileError(f"Line {line}: has {len(row)} cells but the header has "
                               f"{len(header)}.")
        padded = row + [""] * (len(header) - len(row))
        records.append((line, dict(zip(header, padded, strict=True))))
    return header, records


def write_csv(columns: list[str], rows: list[dict]) -> str:
    """CSV text with a header row; every cell made safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell("" if row.get(c) is None else row.get(c)) for c in columns])
    return out.getvalue()
