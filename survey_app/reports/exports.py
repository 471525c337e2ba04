"""CSV and XLSX downloads of the cohort's aggregate tables, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from ..campaigns.csvfiles import safe_cell


def table_csv(header: list[str], rows: list[list]) -> str:
    """One table as CSV text (empty cells for missing numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return buffer.getvalue()


def tables_xlsx(tables: dict[str, tuple[str, list[str], list[list]]]) -> bytes:
    """Every table on its own sheet of one workbook."""
    from openpyxl import Workbook  # heavy (numpy): loaded only when a workbook is made

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # a new workbook has one sheet, the active one
    for key, (title, header, rows) in tables.items():
        sheet = workbook.create_sheet(key[:31])
        sheet.append([safe_cell(title)])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
