"""Instruments as data: the file format, its loader and the registry of question types."""

from .loader import bundled_instruments, load_instrument, parse_instrument
from .model import NOT_OBSERVED, Instrument, Item, Section
from .problems import InstrumentError, Problem
from .types import QUESTION_TYPES, type_of

__all__ = [
    "NOT_OBSERVED",
    "QUESTION_TYPES",
    "Instrument",
    "InstrumentError",
    "Item",
    "Problem",
    "Section",
    "bundled_instruments",
    "load_instrument",
    "parse_instrument",
    "type_of",
]
