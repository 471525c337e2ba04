"""Input hygiene shared by every form and view: text the database can store, ids and whole numbers.

PostgreSQL refuses NUL bytes, lone surrogates cannot be encoded, and control characters break
spreadsheet exports later; so every form field refuses them with a field error before any other
check runs. Every form in the app derives from `FlaskForm` (or `Form` for subforms) below, which
ruff enforces (banned-api in pyproject.toml), so new forms get the checks too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TypeVar

import flask_wtf
import wtforms
from flask import Flask, abort, request
from werkzeug.routing import BaseConverter, IntegerConverter
from wtforms.fields import Field

# WTForms 3.3's option type, imported from here by the forms: types-WTForms (3.2) lacks it.
from wtforms.fields.choices import SelectChoice as SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import Length, StopValidation

# Control characters other than tab, line feed and carriage return, and lone surrogates.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
MAX_CHARS = 20_000
MAX_VALUES = 200
MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL
REFUSED = (
    "This contains characters that cannot be saved (invisible control characters). "
    "Remove them and try again."
)


DATE_EXAMPLE = "31 3 2027"  # what date hints show: day, month and year, as GOV.UK asks


def typed_date(text: str | None) -> date | None:
    """A date typed as day, month and year ('31 3 2027', '31/03/2027') or as 2027-03-31.

    None when it is not a real date. Date boxes are plain text boxes, not the browser's date
    picker, whose display format differs from browser to browser and from the hint.
    """
    parts = re.findall(r"\d+", text or "")
    if len(parts) != 3:
        return None
    if len(parts[0]) == 4:
        parts.reverse()  # year first: 2027-03-31
    day, month, year = (int(part) for part in parts)
    if year < 1000 or year > 9999:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def shown_date(value: date | None) -> str:
    """A stored date as a date box shows it: '31 3 2027'."""
    return f"{value.day} {value.month} {value.year}" if value else ""


def unstorable(text: str) -> bool:
    """True when `text` holds a character the database or an export cannot take."""
    return bool(UNSTORABLE.search(text))


def _own_limit(field) -> bool:
    return any(isinstance(v, Length) and v.max >= 0 for v in field.validators)


def refuse_unstorable(form, field) -> None:
    """A validator run before every other: control characters, too many or too long values."""
    values = [value for value in getattr(field, "raw_data", None) or [] if isinstance(value, str)]
    if len(values) > MAX_VALUES:
        raise StopValidation("Too many answers were sent for this question.")
    if any(unstorable(value) for value in values):
        field.refused = True
        raise StopValidation(REFUSED)
    if not _own_limit(field) and any(len(value) > MAX_CHARS for value in values):
        raise StopValidation(f"This must be {MAX_CHARS:,} characters or fewer.")


T = TypeVar("T")


def required(value: T | None) -> T:
    """The data of a field that validated with DataRequired, which makes sure it is there."""
    if value is None:
        raise ValueError("a required field has no data after validation")
    return value


def error_list(field: Field) -> list[str]:
    """A validated field's errors, to add a message in place.

    WTForms makes `errors` a list in validate(); its stubs say Sequence, as it starts as a tuple.
    """
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    return field.errors


def was_refused(field) -> bool:
    """True when the field's value was refused for its characters (keep that message)."""
    return getattr(field, "refused", False)


class _HygieneMeta:
    def bind_field(self, form, unbound_field, options):
        field = unbound_field.bind(form=form, **options)
        field.validators = [refuse_unstorable, *field.validators]
        return field


class FlaskForm(flask_wtf.FlaskForm):  # noqa: TID251 (the one allowed use)
    """Flask-WTF's form (CSRF included) whose every field refuses unstorable input."""

    class Meta(_HygieneMeta):
        pass


class Form(wtforms.Form):  # noqa: TID251 (the one allowed use)
    """A subform (inside FormField) with the same checks; the outer form carries the CSRF token."""

    class Meta(_HygieneMeta):
        pass


def whole_number(raw: str | None, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`raw` as an int within [minimum, maximum], else None (never a database overflow)."""
    text = (raw or "").strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 12:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


class _SafeString(BaseConverter):
    """The default URL part: 1-200 characters, none of them control characters."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]{1,200}"


class _SafeInteger(IntegerConverter):
    """Whole numbers in a URL that fit an INTEGER column; anything larger is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def register_inputs(app: Flask) -> None:
    """Safe URL converters (before any route is added) and a check of every query string."""
    app.url_map.converters.update(default=_SafeString, string=_SafeString, int=_SafeInteger)

    @app.before_request
    def refuse_unreadable_query_strings():
        # Links the app makes never carry these; a value that does is hostile or broken.
        for _, value in request.args.items(multi=True):
            if unstorable(value) or len(value) > MAX_CHARS:
                abort(400)
