"""A guard every workbook upload passes before a spreadsheet library opens it."""

from __future__ import annotations

import zipfile
from io import BytesIO

# An .xlsx is a zip of XML, and a 5 MB upload can unpack to far more (a "zip bomb"): measured,
# a 5 MB workbook declaring 2 million blank rows kept openpyxl's streaming reader busy for 8 s.
# An XLSForm unpacks to well under 1 MB; an export of 100,000 responses to tens of megabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # response imports
MAX_INSTRUMENT_BYTES = 20 * 1024 * 1024  # instrument uploads


def unpacks_too_large(content: bytes, limit: int = MAX_UNPACKED_BYTES) -> bool:
    """True when a zip's members declare more than `limit` bytes unpacked (False if not a zip)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist()) > limit
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # not a zip: the reader's own refusal says so
