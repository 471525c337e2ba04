"""Turn an uploaded instrument file (YAML, or an XLSForm workbook) into a validated instrument."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from .loader import parse_instrument
from .model import Instrument
from .problems import InstrumentError, Problem
from .xlsform import parse_xlsform, xlsform_data
from .yaml_text import parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")
XLSFORM_SUFFIXES = (".xlsx",)
# Older or other spreadsheet formats: openpyxl reads only Office Open XML workbooks.
OTHER_SPREADSHEETS = (".xls", ".ods", ".xlsm", ".csv")


def _refused(filename: str, code: str, message: str, hint: str) -> InstrumentError:
    return InstrumentError([Problem(code, filename, "file", message, hint)])


def _suffix(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        raise _refused(
            filename,
            "save-as-xlsx",
            f"'{suffix}' spreadsheets are not read",
            "open it in a spreadsheet program and save it as Excel Workbook (.xlsx)",
        )
    if suffix not in YAML_SUFFIXES + XLSFORM_SUFFIXES:
        raise _refused(
            filename,
            "unknown-format",
            f"'{suffix or filename}' is not an instrument file this product reads",
            "upload a YAML instrument (.yaml) or an XLSForm (.xlsx)",
        )
    return suffix


def upload_data(content: bytes, filename: str) -> Any:
    """The data in an uploaded file, before validation; InstrumentError when unreadable."""
    if _suffix(filename) in XLSFORM_SUFFIXES:
        return xlsform_data(content, filename)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise _refused(
            filename, "not-utf8", "the file is not UTF-8 text", "save it as UTF-8"
        ) from None
    return parse_yaml(text, filename)


def parse_upload(content: bytes, filename: str) -> Instrument:
    """Read and validate an uploaded instrument; InstrumentError lists every located problem."""
    if _suffix(filename) in XLSFORM_SUFFIXES:
        # The converter places the loader's problems on the sheet rows they came from.
        return parse_xlsform(content, filename)
    return parse_instrument(upload_data(content, filename), source=filename)
