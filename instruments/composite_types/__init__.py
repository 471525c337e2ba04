"""Question types whose answer has several parts: a grid, a number table and repeating rows.

Answers are stored as a list of strings per item, so each part is encoded in its value:
a grid "<row>=<option>", a number table "<row>.<column>=<number>", repeating rows one compact
JSON object per row. Each type here owns its definition checks, field, summary, printed form
and export columns, as the simple types in `types` do; `QUESTION_TYPES` registers them.
"""

from .base import (
    DEFAULT_MAX_ROWS,
    CompositeType,
    composite_type,
    encode_row,
    grid_answers,
    row_objects,
    split_pair,
    table_cells,
)
from .grid import Grid
from .number_table import NumberTable
from .repeating_rows import RepeatingRows

__all__ = [
    "DEFAULT_MAX_ROWS",
    "CompositeType",
    "Grid",
    "NumberTable",
    "RepeatingRows",
    "composite_type",
    "encode_row",
    "grid_answers",
    "row_objects",
    "split_pair",
    "table_cells",
]
