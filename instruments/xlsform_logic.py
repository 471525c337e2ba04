"""The few XLSForm expressions that map onto the model: simple `relevant` and range `constraint`.

Anything else (and, not, arithmetic, other functions, several questions in one condition) is
refused by the converter: the model's show_if names one earlier item and the answers that show
the question, and a number's or text's limits are plain bounds.
"""

from __future__ import annotations

import re

YES = {"yes", "true", "true()", "1"}
NO = {"no", "false", "false()", "0"}


def yes_no(text: str) -> bool | None:
    """True/False for the spreadsheet's yes/no spellings, None for anything else."""
    word = text.strip().casefold()
    return True if word in YES else False if word in NO else None


_VALUE = r"""(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?))"""
_EQUALS = re.compile(rf"^\$\{{([^}}]+)\}}\s*=\s*{_VALUE}$")
_SELECTED = re.compile(rf"^selected\(\s*\$\{{([^}}]+)\}}\s*,\s*{_VALUE}\s*\)$")
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_BOUND = re.compile(rf"^\.\s*(>=|<=)\s*{_NUMBER}$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text


def parse_relevant(text: str) -> tuple[str, list[str]] | None:
    """(question name, values) for `${q} = 'x' or selected(${q}, 'y')`; None if not that simple."""
    names, values = set(), []
    for clause in re.split(r"\s+or\s+", _strip_parens(text)):
        clause = _strip_parens(clause)
        match = _EQUALS.match(clause) or _SELECTED.match(clause)
        if not match:
            return None
        names.add(match[1].strip())
        values.append(next(v for v in match.groups()[1:] if v is not None))
    return (names.pop(), values) if len(names) == 1 else None


def relevant_text(name: str, values: list[str], multiple: bool) -> str:
    """The `relevant` expression that shows a question when `name`'s answer is one of `values`."""
    if multiple:
        clauses = [f"selected(${{{name}}}, '{value}')" for value in values]
    else:
        clauses = [f"${{{name}}} = '{value}'" for value in values]
    return " or ".join(clauses)


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def parse_number_constraint(text: str) -> dict[str, int | float] | None:
    """{'minimum': a, 'maximum': b} for `. >= a`, `. <= b` or both joined by `and`; else None."""
    bounds: dict[str, int | float] = {}
    for clause in re.split(r"\s+and\s+", _strip_parens(text)):
        match = _BOUND.match(_strip_parens(clause))
        key = {">=": "minimum", "<=": "maximum"}[match[1]] if match else ""
        if not match or key in bounds:
            return None
        bounds[key] = _number(match[2])
    return bounds


def parse_length_constraint(text: str) -> int | None:
    """n for `string-length(.) <= n`; else None."""
    match = _LENGTH.match(_strip_parens(text))
    return int(match[1]) if match else None


def number_constraint_text(minimum: object, maximum: object) -> str:
    """The constraint for a number's bounds ('' when it has none)."""
    clauses = []
    if minimum is not None:
        clauses.append(f". >= {minimum}")
    if maximum is not None:
        clauses.append(f". <= {maximum}")
    return " and ".join(clauses)


def length_constraint_text(max_length: object) -> str:
    """The constraint for a text's maximum length ('' when it has none)."""
    return f"string-length(.) <= {max_length}" if max_length is not None else ""
