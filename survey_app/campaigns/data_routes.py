"""Exporting responses: CSV (plain or for Excel), XLSX, SPSS and Stata."""

from __future__ import annotations

from flask import abort

from ..admin.audit_log import record_event
from ..auth.access import campaign_access, can_see_names, current_user, login_required
from ..downloads import XLSX, download
from ..extensions import db
from . import bp
from .exports import ExportTable, build_table, to_csv, to_xlsx

EXPORT_FORMATS = {
    "csv": "text/csv",
    "excel.csv": "text/csv",
    "xlsx": XLSX,
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
}


def export_body(table: ExportTable, fmt: str, title: str) -> bytes | str:
    """The table in one of EXPORT_FORMATS."""
    if fmt in ("csv", "excel.csv"):
        return to_csv(table, excel=fmt == "excel.csv")
    if fmt == "xlsx":
        return to_xlsx(table, title)
    from .stat_exports import to_dta, to_sav

    return to_sav(table, title) if fmt == "sav" else to_dta(table, title)


@bp.get("/<campaign_id>/export.<fmt>")
@login_required
def export(campaign_id, fmt):
    """All responses in one format, with the anonymity rules applied."""
    campaign = campaign_access(campaign_id)
    if fmt not in EXPORT_FORMATS:
        abort(404)
    table = build_table(campaign, with_names=can_see_names(current_user(), campaign))
    record_event("export", campaign, f"{fmt}, {len(table.rows)} responses")
    db.session.commit()
    filename = f"responses-{campaign.id[:8]}{'-excel.csv' if fmt == 'excel.csv' else '.' + fmt}"
    return download(export_body(table, fmt, campaign.title), filename, EXPORT_FORMATS[fmt])
