"""PDF downloads rendered by WeasyPrint from print templates (tables, no scripts, local fonts)."""

from __future__ import annotations

import re

from flask import Response, request


def render_pdf(html: str) -> bytes:
    """The PDF of a print template (which carries its own styles and loads nothing)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=request.url_root).write_pdf()


def pdf_response(html: str, filename: str) -> Response:
    """A PDF download with a safe file name."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", filename).strip("-") or "report"
    response = Response(render_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}.pdf"'
    return response
