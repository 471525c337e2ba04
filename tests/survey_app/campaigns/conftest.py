"""Other tools' exports, written by us with made-up people, in the tools' exact formats.

Text exports live in tests/data/imports/. Workbooks are built here cell by cell, as the tools
write them: Microsoft Forms puts typed cells (numbers, dates) in a table on "Sheet1"; SurveyMonkey
writes its two header rows; Qualtrics' TSV is its CSV in UTF-16 with tabs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.table import Table

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "imports"
NB = "\u00a0"


def fixture_bytes(name: str) -> bytes:
    """The bytes of a fixture file."""
    return (FIXTURES / name).read_bytes()


def workbook_bytes(rows: list[list], sheet_title: str = "Sheet1", table: bool = False) -> bytes:
    """An XLSX workbook with these rows on one sheet (optionally as an Excel table)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # an answer typed as text, as the tools write it
    if table:
        width = max(len(r) for r in rows)
        last = sheet.cell(row=len(rows), column=width).coordinate
        sheet.add_table(Table(displayName="Table1", ref=f"A1:{last}"))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MS_FORMS_HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "How would you describe your gender?",
    f"How long have you been in a second or third tier management{NB}post?",
    f"How satisfied are you with your current job{NB}role?",
    f"What are the best things about your current role?{NB}",
    "What are the most challenging things about your current role?",
    "To what extent have you considered becoming an assistant director or director in the future?",
    f"What are the barriers which might stop you from applying for and getting more senior{NB}"
    "roles?",
]


def _when(day: int, minute: int) -> dt.datetime:
    return dt.datetime(2025, 11, day, 9, minute, 7)


MS_FORMS_ROWS = [
    [
        1,
        _when(3, 2),
        _when(3, 14),
        "anonymous",
        None,
        None,
        "Female",
        "6 to 10 years",
        "Very satisfied",
        "My team\nand the families we work with",
        "Vacancies",
        "Likely to apply",
        "Time",
    ],
    [
        2,
        _when(3, 20),
        _when(3, 31),
        "anonymous",
        None,
        None,
        "Male",
        "3 to 5 years",
        "Somewhat dissatisfied",
        "Variety",
        "Budgets",
        "May apply",
        "Confidence",
    ],
    [
        3,
        _when(4, 5),
        _when(4, 22),
        "ngozi.fairweather@example.org",
        "Ngozi Fairweather",
        None,
        "Prefer not to say",
        "10 years plus",
        "Neither satisfied nor dissatisfied",
        "Autonomy",
        "Politics",
        "Unlikely to apply",
        "Family; geography",
    ],
    [
        4,
        _when(5, 1),
        _when(5, 9),
        "anonymous",
        None,
        None,
        "In another way",
        "1 – 2 years",
        "Very dissatisfied",
        "",
        "Caseloads",
        "Definitely won’t apply",
        "",
    ],
]


@pytest.fixture
def ms_forms_xlsx() -> bytes:
    """A Microsoft Forms responses workbook of the SESLIP survey (satisfaction in MS wording)."""
    return workbook_bytes([MS_FORMS_HEADER] + MS_FORMS_ROWS, table=True)


@pytest.fixture
def surveymonkey_xlsx() -> bytes:
    """SurveyMonkey's XLSX of the skills audit: a grid question and one column per option."""
    rate = "How would you rate yourself in each area of the leadership framework?"
    interest = (
        "Would you be interested in taking up any of the following development opportunities?"
    )
    first = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
        "Which sub-region is your organisation in?",
        rate,
        None,
        interest,
        None,
        None,
        None,
        "Current post title",
    ]
    second = [None] * 9 + [
        "Response",
        "Leadership attributes",
        "Leadership skills",
        "Coaching",
        "Mentoring",
        "Work shadowing",
        "Other (please specify)",
        "Open-Ended Response",
    ]
    rows = [
        [
            114911200301,
            431000111,
            _when(10, 0),
            _when(10, 12),
            "192.0.2.150",
            "jonah.whitlock@example.org",
            "Jonah",
            "Whitlock",
            "cohort-a",
            "Surrey",
            "Proficient",
            "Advanced",
            "Coaching",
            None,
            "Work shadowing",
            None,
            "Head of children's social care",
        ],
        [
            114911200302,
            431000111,
            _when(10, 20),
            _when(10, 31),
            "192.0.2.151",
            None,
            None,
            None,
            None,
            "Kent and Medway",
            "Developing",
            "Between developing and proficient",
            None,
            "Mentoring",
            None,
            "A peer network",
            "Service manager",
        ],
        [
            114911200303,
            431000112,
            _when(11, 3),
            _when(11, 15),
            "198.51.100.150",
            "alba.reyes@example.org",
            "Alba",
            "Reyes",
            None,
            "Outside the region",
            "Advanced",
            "Proficient",
            "Coaching",
            "Mentoring",
            None,
            None,
            '=HYPERLINK("http://x")',
        ],
    ]
    return workbook_bytes([first, second] + rows, sheet_title="Skills audit")


@pytest.fixture
def qualtrics_tsv() -> bytes:
    """Qualtrics' TSV download of the SESLIP survey: the CSV's cells, tab-separated, UTF-16."""
    text = fixture_bytes("qualtrics_seslip.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-16")


@pytest.fixture
def google_sheets_xlsx() -> bytes:
    """The Google Forms audit export downloaded from Sheets as XLSX (typed timestamps)."""
    text = fixture_bytes("google_forms_audit.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        row[0] = dt.datetime.strptime(row[0].removesuffix(" GMT"), "%Y/%m/%d %I:%M:%S %p")
        row[-2:] = [int(v) for v in row[-2:]]
    return workbook_bytes(rows, sheet_title="Form responses 1")
