"""PDF downloads rendered by WeasyPrint from print templates (tables, no scripts, local fonts)."""

from __future__ import annotations

from flask import Response, request

from ..downloads import download, safe_filename


def render_pdf(html: str) -> bytes:
    """The PDF of a print template (which carries its own styles and loads nothing)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=request.url_root).write_pdf()


def pdf_response(html: str, filename: str) -> Response:
    """A PDF download with a safe file name."""
    return download(render_pdf(html), f"{safe_filename(filename, 'report')}.pdf", "application/pdf")
