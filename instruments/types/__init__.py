"""The read-only registry of question types: each builds its field, parses and summarises."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from wtforms import Field

from ..model import Item
from .base import AnswerSummary, CheckboxField, QuestionType, SummaryTable, figure
from .choices import Levelled, MultipleChoice, RatingScale, SingleChoice
from .number import Number, number_instruction, number_message, number_problems, parse_number
from .text import DEFAULT_LONG_TEXT, DEFAULT_SHORT_TEXT, LongText, ShortText

__all__ = [
    "DEFAULT_LONG_TEXT",
    "DEFAULT_SHORT_TEXT",
    "QUESTION_TYPES",
    "TYPE_ALIASES",
    "XLSFORM_MARKED",
    "XLSFORM_TYPES",
    "AnswerSummary",
    "CheckboxField",
    "QuestionType",
    "SummaryTable",
    "figure",
    "from_xlsform",
    "number_instruction",
    "number_message",
    "number_problems",
    "parse_number",
    "type_of",
    "values_of",
]

# The composite types build on the classes above and import them from this package, so they are
# read after those names exist (an import cycle by design).
from ..composite_types import Grid, NumberTable, RepeatingRows  # noqa: E402

QUESTION_TYPES: Mapping[str, QuestionType] = MappingProxyType(
    {
        t.name: t
        for t in (
            SingleChoice(),
            MultipleChoice(),
            RatingScale(),
            Levelled(),
            ShortText(),
            LongText(),
            Number(),
            Grid(),
            NumberTable(),
            RepeatingRows(),
        )
    }
)

TYPE_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "radio": "single_choice",
        "choice": "single_choice",
        "select_one": "single_choice",
        "checkbox": "multiple_choice",
        "checkboxes": "multiple_choice",
        "select_multiple": "multiple_choice",
        "scale": "rating_scale",
        "likert": "rating_scale",
        "level": "levelled",
        "levelled_behaviour": "levelled",
        "leveled": "levelled",
        "text": "short_text",
        "string": "short_text",
        "textarea": "long_text",
        "free_text": "long_text",
        "integer": "number",
        "decimal": "number",
        "matrix": "grid",
        "table": "number_table",
        "repeat": "repeating_rows",
    }
)


def type_of(item: Item) -> QuestionType:
    """The registered type of an item (the loader has checked that it is registered)."""
    return QUESTION_TYPES[item.type]


def values_of(field: Field) -> list[str]:
    """The stored values of a bound field: a list of strings, empty when unanswered."""
    data = field.data
    if data is None or data == "":
        return []
    if isinstance(data, list | tuple):
        return [str(v) for v in data if str(v) != ""]
    if isinstance(data, str):
        return [data.strip()] if data.strip() else []
    return [str(data)]


# How each type is written in an XLSForm (instruments/xlsform.py, xlsform_export.py): the survey
# sheet's type word and appearance. A number with `whole: true` is written `integer`. Types not
# listed have no XLSForm form.
XLSFORM_TYPES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "single_choice": ("select_one", ""),
        "multiple_choice": ("select_multiple", ""),
        "rating_scale": ("select_one", "likert"),
        "levelled": ("select_one", ""),
        "short_text": ("text", ""),
        "long_text": ("text", "multiline"),
        "number": ("decimal", ""),
        "grid": ("begin_group", "table-list"),
        "number_table": ("begin_group", ""),
        "repeating_rows": ("begin_repeat", ""),
    }
)
# Types XLSForm has no word for, written as the word above with their name in our `question_type`
# column: a 360's levelled facet (a select_one of levels 1-4) and a number table (a group of
# number rows whose columns are a choices list).
XLSFORM_MARKED = frozenset({"levelled", "number_table"})


def from_xlsform(word: str, appearance: str = "") -> str:
    """The registered type an XLSForm type word and appearance become ('' when none is)."""
    for name, (xls_word, xls_appearance) in XLSFORM_TYPES.items():
        known = name in QUESTION_TYPES and name not in XLSFORM_MARKED
        if known and (word, appearance) == (xls_word, xls_appearance):
            return name
    return ""
