"""File downloads: every attachment the app sends is made here, with one safe header."""

from __future__ import annotations

import re

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def safe_filename(name: str, fallback: str = "download") -> str:
    """A file name that is safe inside a quoted header: letters, digits, '_', '.', '-'."""
    return UNSAFE_IN_NAME.sub("-", name).strip("-") or fallback


def download(body: str | bytes, filename: str, mimetype: str) -> Response:
    """`body` as an attachment called `filename`, never kept in a cache (it may hold answers)."""
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{safe_filename(filename)}"',
            "Cache-Control": "no-store",
        },
    )
