"""Turn an uploaded instrument file (YAML, or an XLSForm workbook) into a validated instrument."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from .loader import parse_instrument
from .model import Instrument
from .problems import InstrumentError, Problem
from .yaml_text import parse_yaml

YAML_SUFFIXES = (".yaml", ".yml")


def upload_data(content: bytes, filename: str) -> Any:
    """The data in an uploaded file, before validation; InstrumentError when unreadable."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in YAML_SUFFIXES:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise InstrumentError(
                [
                    Problem(
                        "not-utf8",
                        filename,
                        "file",
                        "the file is not UTF-8 text",
                        "save it as UTF-8",
                    )
                ]
            ) from None
        return parse_yaml(text, filename)
    raise InstrumentError(
        [
            Problem(
                "unknown-format",
                filename,
                "file",
                f"'{suffix or filename}' is not an instrument file this product reads",
                "upload a YAML instrument (.yaml)",
            )
        ]
    )


def parse_upload(content: bytes, filename: str) -> Instrument:
    """Read and validate an uploaded instrument; InstrumentError lists every located problem."""
    return parse_instrument(upload_data(content, filename), source=filename)
