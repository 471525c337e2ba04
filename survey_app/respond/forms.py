"""Forms built at run time from a campaign's instrument snapshot, one page at a time."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict
from wtforms import EmailField, Field, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from instruments import Instrument
from instruments.model import Item
from instruments.types import QUESTION_TYPES, values_of

from ..inputs import FlaskForm, was_refused


class ActionForm(FlaskForm):
    """A form with no fields of its own: a button that needs a CSRF token."""


class PageForm(FlaskForm):
    """Base class for one page of questions; fields are added per page."""


def page_form_class(items: tuple[Item, ...], audience: str, subject_name: str) -> type[PageForm]:
    """A form class for these items (respond/page_cache.py keeps one per page)."""
    fields = {
        item.field_name: QUESTION_TYPES[item.type].field(
            item, item.prompt_for(audience, subject_name)
        )
        for item in items
    }
    return type("Page", (PageForm,), fields)


def page_form(
    items: tuple[Item, ...], audience: str, subject_name: str, formdata: MultiDict | None = None
) -> FlaskForm:
    """A form for these items; `formdata` None means the request's own form data."""
    form_class = page_form_class(items, audience, subject_name)
    if formdata is None:
        return form_class()
    return form_class(formdata=formdata)


def draft_formdata(items: tuple[Item, ...], draft: Mapping[str, list[str]]) -> MultiDict:
    """The saved answers as if they had just been posted, to fill a page back in."""
    data: MultiDict[str, str] = MultiDict()
    for item in items:
        for name, value in QUESTION_TYPES[item.type].form_pairs(item, draft.get(item.id, [])):
            data.add(name, value)
    return data


def valid_values(form: FlaskForm, items: tuple[Item, ...]) -> dict[str, list[str]]:
    """Answers of the fields that passed their type checks (invalid ones are not saved)."""
    return {
        item.id: values_of(form[item.field_name])
        for item in items
        if not form[item.field_name].errors
    }


def friendly_errors(form: FlaskForm, items: tuple[Item, ...]) -> None:
    """Replace WTForms' generic messages with ones that say how to fix the answer."""
    for item in items:
        field = form[item.field_name]
        if not field.errors or was_refused(field) or QUESTION_TYPES[item.type].composite:
            continue  # a composite field's messages already name the row and column
        field.errors[:] = [QUESTION_TYPES[item.type].error_message(item)]


def answer_text(item: Item, values: list[str]) -> str:
    """Saved values as the person chose them: option labels, levels with their descriptor."""
    return QUESTION_TYPES[item.type].answer_text(item, values)


def required_messages(item: Item, values: list[str]) -> list[str]:
    """What to tell someone who left a required item, or some of its parts, unanswered."""
    return QUESTION_TYPES[item.type].missing(item, values)


def error_links(field: Field, href: str) -> list[tuple[str, str]]:
    """(message, link) of a field's errors; a composite field links each to its own part."""
    parts = dict(getattr(field, "error_links", []))
    links = [(message, f"#{part}") for message, part in parts.items()]
    return links + [(message, href) for message in field.errors if message not in parts]


def condition_hint(item: Item, instrument: Instrument, audience: str, subject_name: str) -> str:
    """'Only if you answered ...' text for an item shown because JavaScript may be off."""
    if item.show_if is None:
        return ""
    controller = instrument.item(item.show_if.item_id)
    labels = [controller.option_label(code) for code in item.show_if.values]
    chosen = " or ".join(f"'{label}'" for label in labels)
    question = controller.prompt_for(audience, subject_name).rstrip("?")
    return f"Answer this only if you chose {chosen} for '{question}'."


class NominationForm(FlaskForm):
    """A participant names a rater."""

    name = StringField(
        "Their name",
        validators=[
            DataRequired("Enter the person's name"),
            Length(max=200, message=("The name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(
        "Their work email address",
        validators=[
            DataRequired("Enter their email address: their link is sent there, never to you"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=("Enter an email address in the correct format, like name@example.org"),
            ),
        ],
    )
    relationship = SelectField(
        "How they work with you", validators=[DataRequired("Choose how they work with you")]
    )


class ResumeCodeForm(FlaskForm):
    """Someone moving to another device types their resume code."""

    code = StringField(
        "Resume code", validators=[DataRequired("Enter your resume code"), Length(max=40)]
    )
