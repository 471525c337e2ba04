"""Findings as tables: the same figures and suppression for the page, CSV, XLSX and PDF."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from ..campaigns.csvfiles import safe_cell, typed_text
from .national_tables import national_tables

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SENTIMENT_NOTE = (
    "Sentiment is the average tone of the theme's comments, scored by VADER from "
    "-1 (negative) to +1 (positive): from +0.05 it reads as mostly positive "
    "(positive from +0.5), to -0.05 as mostly negative (negative to -0.5), and "
    "in between as mixed."
)
SHEET_TITLES = {
    "questions": "Questions",
    "crosstabs": "Cross-tabs",
    "audit": "Audit",
    "summary": "Summary",
    "themes": "Themes",
    "notes": "Notes",
}


HIDDEN_MARK = "[c]"  # the statistical "confidential" mark; pages explain it once in a footnote


def hidden_text(k: int) -> str:
    """What a suppressed figure shows: the same words for every hidden figure."""
    return f"hidden (fewer than {k}, or protecting one)"


def _cell(value: Any, k: int) -> Any:
    return hidden_text(k) if value is None else value


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def _table(
    sheet: str, title: str, header: list, rows: list[list], note: str = "", key: str = ""
) -> dict:
    return {
        "sheet": sheet,
        "title": title,
        "header": header,
        "rows": rows,
        "note": note,
        "key": key or title,
    }


def _summary_tables(item_id: str, question: dict[str, Any], k: int) -> list[dict]:
    """A number's or composite question's summary tables (keys '<item>:<n>'), withheld alike."""
    note = f"Answered: {question['answered']}. Skipped: {question['skipped']}."
    if question.get("not_applicable"):
        note += f" Not asked: {question['not_applicable']}."
    return [
        _table(
            "questions",
            part["title"],
            part["header"],
            [[_cell(value, k) for value in row] for row in part["rows"]],
            note if n == 0 else "",
            key=f"{item_id}:{n}",
        )
        for n, part in enumerate(question.get("tables", []))
    ]


def findings_tables(findings: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table of the findings in page order; hidden figures carry the same words."""
    k = findings["threshold"]
    tables = []
    for item_id, question in findings["questions"].items():
        tables += _summary_tables(item_id, question, k)
        if "counts" not in question:
            continue
        rows = [
            [label, n, _pct(question["percent"][label])] for label, n in question["counts"].items()
        ]
        note = f"Answered: {question['answered']}. Skipped: {question['skipped']}."
        if question.get("not_applicable"):
            note += f" Not asked: {question['not_applicable']}."
        tables.append(
            _table(
                "questions",
                question["prompt"],
                ["Answer", "Number", "Percent of those who answered"],
                rows,
                note,
                key=item_id,
            )
        )
    if findings["groups"]:
        rows = [
            [
                group["label"],
                findings["questions"].get(group["item"], {}).get("prompt", group["item"]),
                group["n"],
                _pct(group["percent"]),
            ]
            for group in findings["groups"].values()
        ]
        tables.append(
            _table(
                "questions",
                "Grouped answers",
                ["Group", "Question", "Number", "Percent of those who answered"],
                rows,
                key="groups",
            )
        )
    crosstabs = list(findings["crosstabs"])
    if findings["chosen_crosstab"]:
        crosstabs.append(findings["chosen_crosstab"])
    for table in crosstabs:
        tables.append(crosstab_export(findings, table, k))
    if findings["audit_summary"]:
        tables.append(audit_export(findings["audit_summary"], k))
    if findings["hipo_matrix"]:
        tables.append(hipo_export(findings["hipo_matrix"], k))
    tables.extend(national_tables(findings, hidden_text(k)))
    for item_id, themed in findings["themes"].items():
        tables.extend(theme_exports(item_id, themed))
    if findings["source_notes"]:
        tables.append(
            _table(
                "notes",
                "Notes on the source report's figures",
                ["The source report says", "Our figure", "Why they differ"],
                [
                    [note["quote"], source_note_text(note), note["explanation"]]
                    for note in findings["source_notes"]
                ],
                key="source_notes",
            )
        )
    return tables


def source_note_text(note: dict[str, Any]) -> str:
    """Our figure for a source note, of those who answered and of all respondents."""
    return (
        f"{note['count']} of {note['answered']} who answered "
        f"({_pct(note['percent_of_answered'])}); of all {note['respondents']} respondents, "
        f"{_pct(note['percent_of_respondents'])}"
    )


def _prompt(findings: dict[str, Any], item_id: str) -> str:
    return findings["instrument"].item(item_id).prompt


def crosstab_export(findings: dict[str, Any], table: dict[str, Any], k: int) -> dict:
    """A cross-tab: a row per answer of the row question, totals last."""
    rows = [
        [row]
        + [_cell(table["cells"][row][col], k) for col in table["columns"]]
        + [_cell(table["row_totals"][row], k)]
        for row in table["rows"]
    ]
    rows.append(
        ["Total"]
        + [_cell(table["column_totals"][col], k) for col in table["columns"]]
        + [_cell(table["total"], k)]
    )
    title = f"{_prompt(findings, table['row_item'])} by {_prompt(findings, table['col_item'])}"
    note = f"{table['excluded']} respondents did not answer both questions. {table['note']}"
    return _table(
        "crosstabs",
        title,
        ["", *table["columns"], "Total"],
        rows,
        note.strip(),
        key=f"{table['row_item']}_by_{table['col_item']}",
    )


AUDIT_COLUMNS = [
    ("group", "Organisation/ sub-region"),
    ("respondents", "Respondents"),
    ("hipo_organisational", "High potential (organisationally identified)"),
    ("hipo_self", "High potential (self-identified)"),
    ("interested", "Interested in career advancement"),
    ("lateral", "Lateral move"),
    ("upward", "Upward move"),
    ("another_sector", "Move to another sector"),
    ("direction_not_given", "Direction not given"),
]


def audit_export(summary: dict[str, Any], k: int) -> dict:
    """The §8 summary: a row per group, then key development areas and opportunities."""
    rows = []
    first = summary["rows"][0] if summary["rows"] else {}
    opportunities = list(first.get("development_opportunities", {}))
    reasons = list(first.get("reasons_not_advancing", {}))
    for row in summary["rows"]:
        areas = row["key_development_areas"]
        rows.append(
            [
                _cell(row[key], k)
                if key != "hipo_organisational"
                else ("–" if row[key] is None else row[key])
                for key, _ in AUDIT_COLUMNS
            ]
            + ["; ".join(areas) if areas else f"not shown (fewer than {k} rated)"]
            + [_cell(row["development_opportunities"][o], k) for o in opportunities]
            + [_cell(row["reasons_not_advancing"][r], k) for r in reasons]
        )
    header = (
        [label for _, label in AUDIT_COLUMNS]
        + ["Key development areas"]
        + [f"Development: {o}" for o in opportunities]
        + [f"Not advancing: {r}" for r in reasons]
    )
    return _table(
        "audit",
        "Summary of skills and talent audit",
        header,
        rows,
        summary["note"],
        key="audit_summary",
    )


AUDIT_PARTS = (  # (title, the summary's columns by key or by heading prefix, strip the prefix)
    ("respondents and high potential", ("respondents", "hipo_organisational", "hipo_self")),
    (
        "career plans",
        ("respondents", "interested", "lateral", "upward", "another_sector", "direction_not_given"),
    ),
    ("key development areas", "Key development areas"),
    ("development opportunities of interest", "Development: "),
    ("reasons for not looking to advance", "Not advancing: "),
)


def audit_parts(table: dict[str, Any]) -> list[dict[str, Any]]:
    """The audit summary as narrower tables that each fit a laptop, a row per group in each.

    The exports keep the one wide table (a spreadsheet scrolls); pages and print show these.
    """
    header = table["header"]
    keys = [key for key, _ in AUDIT_COLUMNS]
    parts: list[dict[str, Any]] = []
    for title, chosen in AUDIT_PARTS:
        if isinstance(chosen, tuple):
            columns = [keys.index(key) for key in chosen]
        else:
            columns = [
                i
                for i, heading in enumerate(header)
                if i >= len(keys) and heading.startswith(chosen)
            ]
        if not columns:
            continue
        strip = chosen if isinstance(chosen, str) and chosen.endswith(": ") else ""
        parts.append(
            {
                **table,
                "title": f"{table['title']}: {title}",
                "note": "",
                "key": f"{table['key']}:{len(parts)}",
                "text": chosen == "Key development areas",
                "header": [header[0]] + [header[i].removeprefix(strip) for i in columns],
                "rows": [[row[0]] + [row[i] for i in columns] for row in table["rows"]],
            }
        )
    if parts:
        parts[-1]["note"] = table["note"]
    return parts


def page_tables(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tables as pages and print show them: the wide audit summary in its parts."""
    return [
        part
        for table in tables
        for part in (audit_parts(table) if table["key"] == "audit_summary" else [table])
    ]


def hipo_export(matrix: dict[str, Any], k: int) -> dict:
    """The §9 matrix: capability rows × aspiration columns, counts only, never names."""
    rows = [
        [row]
        + [_cell(matrix["cells"][row][col]["n"], k) for col in matrix["columns"]]
        + [_cell(matrix["row_totals"][row], k)]
        for row in matrix["rows"]
    ]
    rows.append(
        ["Total"]
        + [_cell(matrix["column_totals"][c], k) for c in matrix["columns"]]
        + [_cell(matrix["total"], k)]
    )
    note = (
        f"{matrix['cut_points']}. Not placed (too few answers): {matrix['unclassified']}. "
        f"{matrix['note']}"
    )
    return _table(
        "audit",
        "High-potential matrix (capability × aspiration)",
        ["Capability \\ aspiration", *matrix["columns"], "Total"],
        rows,
        note.strip(),
        key="hipo_matrix",
    )


def theme_exports(item_id: str, themed: dict[str, Any]) -> list[dict]:
    """A themed question: its themes table and, for themes reaching k, redacted quotes."""
    from analysis.theming.sentiment import describe  # vaderSentiment: loaded when themes are

    rows = [
        [
            t["label"],
            t["count"],
            _pct(t["percent"]),
            f"{t['ci'][0]}–{t['ci'][1]}%",
            "–" if t["sentiment"] is None else describe(t["sentiment"]).capitalize(),
            "–" if t["sentiment"] is None else f"{t['sentiment']:+.2f}",
        ]
        for t in themed["themes"]
    ]
    used = (
        f"Codebook {themed['codebook']} version {themed['codebook_version']} "
        f"(sha256 {str(themed['codebook_hash'])[:12]})"
        if themed["codebook"]
        else "No codebook"
    )
    note = (
        f"{themed['commented']} comments; uncoded {themed['uncoded']} "
        f"({_pct(themed['uncoded_percent'])}). {used}. {SENTIMENT_NOTE}"
    )
    tables = [
        _table(
            "themes",
            f"Themes: {themed['prompt']}",
            [
                "Theme",
                "Comments",
                "Percent of commenters",
                "95% interval",
                "Sentiment",
                "Sentiment score",
            ],
            rows,
            note,
            key=f"themes:{item_id}",
        )
    ]
    quotes = [[t["label"], quote] for t in themed["themes"] for quote in t["quotes"]]
    if quotes:
        tables.append(
            _table(
                "themes",
                f"Quotes: {themed['prompt']}",
                ["Theme", "Quote"],
                quotes,
                key=f"quotes:{item_id}",
            )
        )
    return tables


def findings_csv(tables: list[dict[str, Any]]) -> str:
    """All tables in one CSV: a title row, the header, the rows, a note, a blank line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in tables:
        writer.writerow([safe_cell(table["title"])])
        writer.writerow([safe_cell(v) for v in table["header"]])
        for row in table["rows"]:
            writer.writerow([safe_cell(v) for v in row])
        if table["note"]:
            writer.writerow([safe_cell(table["note"])])
        writer.writerow([])
    return buffer.getvalue()


def findings_xlsx(tables: list[dict[str, Any]]) -> bytes:
    """All tables in a workbook, one sheet per kind of table, tables stacked down each sheet."""
    from openpyxl import Workbook  # heavy (numpy): loaded only when a workbook is made
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # a new workbook has one sheet, the active one
    sheets: dict[str, Worksheet] = {}
    bold = Font(bold=True)
    for table in tables:
        name = SHEET_TITLES.get(table["sheet"], table["sheet"])[:31]
        sheet = sheets.get(name) or workbook.create_sheet(name)
        sheets[name] = sheet
        start = sheet.max_row + 2 if sheet.max_row > 1 else 1
        # Text cells are typed as text: a quote starting with "=" shows as typed, never runs.
        typed_text(sheet.cell(row=start, column=1, value=table["title"])).font = bold
        for column, value in enumerate(table["header"], start=1):
            typed_text(sheet.cell(row=start + 1, column=column, value=value)).font = bold
        for offset, row in enumerate(table["rows"], start=2):
            for column, value in enumerate(row, start=1):
                typed_text(sheet.cell(row=start + offset, column=column, value=value))
        if table["note"]:
            typed_text(
                sheet.cell(row=start + len(table["rows"]) + 2, column=1, value=table["note"])
            )
    if not sheets:
        workbook.create_sheet("Findings").cell(row=1, column=1, value="No findings yet.")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def findings_pdf(html: str, base_url: str) -> bytes:
    """The printable page as a PDF (WeasyPrint; tables instead of charts)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
