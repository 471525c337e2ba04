"""Reading uploads as people save them (encodings, separators, workbooks) and writing safe cells."""

import codecs
import io

import pytest
from openpyxl import load_workbook

from survey_app.campaigns.csvfiles import CsvFileError, read_grid, write_csv

ROWS = [["gender", "barriers"], ["Female", "Time; “money” – £"], ["Male", "Café, résumé"]]


def as_text(rows, delimiter=","):
    return (
        "\r\n".join(delimiter.join(f'"{c}"' if delimiter in c else c for c in row) for row in rows)
        + "\r\n"
    )


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (as_text(ROWS).encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + as_text(ROWS).encode("utf-8"), "UTF-8 with BOM"),
        (as_text(ROWS).encode("utf-16"), "UTF-16"),
        (as_text(ROWS).encode("utf-16-le"), "UTF-16"),
        (as_text(ROWS).encode("utf-16-be"), "UTF-16"),
        (as_text(ROWS).encode("cp1252"), "Windows-1252"),
    ],
)
def test_every_encoding_people_save_in_reads_the_same_cells(data, encoding):
    grid = read_grid(data, "answers.csv")
    assert grid.rows == ROWS
    assert grid.encoding == encoding and encoding in grid.describe()


@pytest.mark.parametrize(
    ("delimiter", "name"),
    [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")],
)
def test_the_separator_is_sniffed(delimiter, name):
    grid = read_grid(as_text(ROWS, delimiter).encode(), "answers.txt")
    assert grid.rows == ROWS and f"{name}-separated" in grid.describe()


def test_excels_sep_line_is_obeyed_and_not_a_row():
    grid = read_grid(b"sep=;\r\na;b\r\n1,5;2\r\n")
    assert grid.rows == [["a", "b"], ["1,5", "2"]] and grid.numbers == [2, 3]


def test_row_numbers_are_the_rows_a_spreadsheet_shows_even_with_line_breaks_in_cells():
    data = b'name,comment\r\nA,"one\r\ntwo\r\nthree"\r\n\r\nB,fine\r\nC,"x\ny"\r\n'
    grid = read_grid(data)
    assert [r[0] for r in grid.rows] == ["name", "A", "B", "C"]
    # Physical lines would say 2, 6, 7; the spreadsheet shows rows 2, 4 (3 is empty) and 5.
    assert grid.numbers == [1, 2, 4, 5]


def test_workbooks_are_read_directly_with_numbers_and_dates_as_people_see_them():
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["ID", "Start time", "Score", "Comment"])
    book.active.append([1, dt.datetime(2025, 3, 4, 10, 15), 4.0, None])
    book.active.append([])
    book.active.append([2, dt.date(2025, 3, 5), 2.5, "fine"])
    out = io.BytesIO()
    book.save(out)
    grid = read_grid(out.getvalue(), "responses.xlsx")
    assert grid.rows == [
        ["ID", "Start time", "Score", "Comment"],
        ["1", "2025-03-04 10:15:00", "4", ""],
        ["2", "2025-03-05", "2.5", "fine"],
    ]
    assert grid.numbers == [1, 2, 4] and grid.describe() == "XLSX workbook, sheet 'Sheet'"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "The file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.xls", "old Excel (.xls)"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "not a readable XLSX workbook"),
        (b"a,b\n\x81\x8d,\x90\n", "a.csv", "Row 2: the file is neither UTF-8, UTF-16 nor"),
        (b"a,b\n\x00\x01\x02\x03\xff\xfe\x00", "a.csv", "binary data"),
        (b'a,b\n"unclosed,1\n', "a.csv", None),
    ],
)
def test_unreadable_files_get_a_located_reason(data, name, message):
    if message is None:  # the csv module reads an unclosed quote to the end: one long cell
        assert read_grid(data, name).rows[1] == ["unclosed,1\n"]
        return
    with pytest.raises(CsvFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_grid(data, name)


def test_excel_csv_starts_with_a_bom_and_every_cell_is_formula_safe():
    plain = write_csv(["a", "=b"], [{"a": "=cmd()", "=b": "-3"}])
    excel = write_csv(["a", "=b"], [{"a": "=cmd()", "=b": "-3"}], excel=True)
    assert excel == "\ufeff" + plain
    assert plain.splitlines() == ["a,'=b", "'=cmd(),-3"]


def test_formula_like_text_in_a_workbook_is_text_without_an_apostrophe():
    from openpyxl import Workbook

    from survey_app.campaigns.csvfiles import xlsx_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append([xlsx_cell(sheet, v) for v in ("=SUM(A1)", "@x", "plain", 4)])
    out = io.BytesIO()
    book.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue()))["S"][1])
    assert [c.value for c in cells] == ["=SUM(A1)", "@x", "plain", 4]
    assert [c.data_type for c in cells] == ["s", "s", "s", "n"]
    assert [bool(c.quotePrefix) for c in cells] == [True, True, False, False]
