"""The number question type, and the number checks the number table shares."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from statistics import mean
from typing import Any

from wtforms import DecimalField, Field
from wtforms.validators import NumberRange, Optional, ValidationError

from ..model import Item
from .base import AnswerSummary, QuestionType, SummaryTable, figure

THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


class Number(QuestionType):
    name = "number"
    description = "a number, optionally whole, between a minimum and a maximum, with units"
    allows = ("minimum", "maximum", "units", "whole")
    numeric = averaged = repeatable = True
    required_message = "Enter a number"

    def definition_problems(self, raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
        return number_problems(raw)

    def error_message(self, item: Item) -> str:
        return number_message(item)

    def instructions(self, item: Item) -> list[str]:
        return [number_instruction(item) + "."]

    def field(self, item: Item, label: str) -> Field:
        checks = [Optional(), NumberRange(min=item.minimum, max=item.maximum)]
        return DecimalField(
            label,
            places=None,
            validators=[*checks, *([_whole] if item.whole else [])],
            render_kw={"inputmode": "numeric" if item.whole else "decimal"},
        )

    def answer_label(self, value: str, label: str) -> str:
        return value

    def answer_text(self, item: Item, values: list[str]) -> str:
        units = f" {item.units}" if item.units else ""
        return "; ".join(f"{value}{units}" for value in values)

    def parse_text(self, item: Item, text: str) -> list[str]:
        text = text.strip()
        return [parse_number(item, text)] if text else []

    def summarise(self, item: Item, answers: list[list[str]]) -> AnswerSummary:
        numbers = [float(a[0]) for a in answers if a]
        summary: AnswerSummary = {
            "answered": len(numbers),
            "skipped": len(answers) - len(numbers),
            "mean": mean(numbers) if numbers else None,
            "min": min(numbers) if numbers else None,
            "max": max(numbers) if numbers else None,
        }
        if item.units:
            summary["units"] = item.units
        return summary

    def summary_tables(self, item: Item, summary: AnswerSummary, k: int = 0) -> list[SummaryTable]:
        units = f" ({item.units})" if item.units else ""
        few = 0 < summary["answered"] < k
        return [
            {
                "title": item.prompt,
                "header": ["Figure", f"Value{units}"],
                "rows": [
                    ["Answered", summary["answered"]],
                    ["Mean", None if few else figure(summary.get("mean"), 2)],
                ],
            }
        ]


def _whole(form: Any, field: Field) -> None:
    if field.data is not None and field.data != field.data.to_integral_value():
        raise ValidationError("Enter a whole number")


def parse_number(item: Item, text: str) -> str:
    """A typed or imported number as stored; ValueError says what is wrong with it."""
    text = text.strip()
    # Commas only as thousands separators (1,200): "1,5" is refused, never read as 15.
    plain = text.replace(",", "") if THOUSANDS.match(text) else text
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    if item.whole and value != value.to_integral_value():
        raise ValueError(f"{text} is not a whole number")
    if (item.minimum is not None and value < Decimal(str(item.minimum))) or (
        item.maximum is not None and value > Decimal(str(item.maximum))
    ):
        low, high = _plain_number(item.minimum), _plain_number(item.maximum)
        raise ValueError(f"{text} is outside {low or ''}–{high or ''}")
    return str(value)


def number_problems(raw: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Problems with the number keys (minimum, maximum, whole, units) of an item definition."""
    problems = []
    for key in ("minimum", "maximum"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append((f"bad-{key}", f"{key} must be a number", f"e.g. '{key}: 0'"))
    low, high = raw.get("minimum"), raw.get("maximum")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append(("bad-range", "minimum is above maximum", "swap them"))
    if "whole" in raw and not isinstance(raw["whole"], bool):
        problems.append(("bad-whole", "whole must be true or false", "e.g. 'whole: true'"))
    if "units" in raw and not isinstance(raw["units"], str):
        problems.append(("bad-units", "units must be text", "e.g. 'units: posts'"))
    return problems


def number_instruction(item: Item) -> str:
    """How to answer a number (its kind, units and range), without a full stop."""
    kind = "A whole number" if item.whole else "A number"
    units = f" ({item.units})" if item.units else ""
    low, high = _plain_number(item.minimum), _plain_number(item.maximum)
    if low is not None and high is not None:
        return f"{kind}{units} from {low} to {high}"
    if low is not None:
        return f"{kind}{units} of at least {low}"
    if high is not None:
        return f"{kind}{units} no more than {high}"
    return f"{kind}{units}"


def number_message(item: Item) -> str:
    """What to tell someone whose number is not one the item takes (its kind and range)."""
    kind = "a whole number" if item.whole else "a number"
    low, high = _plain_number(item.minimum), _plain_number(item.maximum)
    if low is not None and high is not None:
        return f"Enter {kind} between {low} and {high}"
    if low is not None:
        return f"Enter {kind} of {low} or more"
    if high is not None:
        return f"Enter {kind} of {high} or less"
    return f"Enter {kind}, like 12" + ("" if item.whole else " or 3.5")


def _plain_number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
