"""`survey-app instruments check`: validate an instrument or a codebook file."""

from __future__ import annotations

from pathlib import Path

from instruments import parse_instrument
from instruments.codebook import is_codebook_data, parse_codebook
from instruments.loader import read_yaml


def check_file(path: Path) -> str:
    """Validate one file; returns a one-line summary or raises InstrumentError."""
    data = read_yaml(path)
    if is_codebook_data(data):
        codebook = parse_codebook(data, source=str(path))
        return f"codebook {codebook.key} v{codebook.version}, {len(codebook.themes)} themes"
    instrument = parse_instrument(data, source=str(path))
    return (
        f"{instrument.key} v{instrument.version}, {len(instrument.sections)} sections, "
        f"{len(instrument.items)} items"
    )
