"""Forms built at run time from a campaign's instrument snapshot, one page at a time."""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from instruments import Instrument
from instruments.model import Item
from instruments.types import QUESTION_TYPES, ShortText, values_of

from ..inputs import FlaskForm, was_refused

REQUIRED_MESSAGES = {
    "levelled": "Select the description that best fits, or 'Not observed'",
    "multiple_choice": "Select at least one option",
    "single_choice": "Select an answer",
    "rating_scale": "Select an answer",
    "number": "Enter a number",
}


class ActionForm(FlaskForm):
    """A form with no fields of its own: a button that needs a CSRF token."""


class PageForm(FlaskForm):
    """Base class for one page of questions; fields are added per page."""


def page_form(items: tuple[Item, ...], audience: str, subject_name: str,
              formdata: MultiDict | None = None) -> FlaskForm:
    """A form for these items; `formdata` None means the request's own form data."""
    fields = {item.field_name: QUESTION_TYPES[item.type].field(
        item, item.prompt_for(audience, subject_name)) for item in items}
    form_class = type("Page", (PageForm,), fields)
    if formdata is None:
        return form_class()
    return form_class(formdata=formdata)


def draft_formdata(items: tuple[Item, ...], draft: Mapping[str, list[str]]) -> MultiDict:
    """The saved answers as if they had just been posted, to fill a page back in."""
    data: MultiDict[str, str] = MultiDict()
    for item in items:
        for value in draft.get(item.id, []):
            data.add(item.field_name, value)
    return data


def valid_values(form: FlaskForm, items: tuple[Item, ...]) -> dict[str, list[str]]:
    """Answers of the fields that passed their type checks (invalid ones are not saved)."""
    return {item.id: values_of(form[item.field_name]) for item in items
            if not form[item.field_name].errors}


def friendly_errors(form: FlaskForm, items: tuple[Item, ...]) -> None:
    """Replace WTForms' generic messages with ones that say how to fix the answer."""
    for item in items:
        field = form[item.field_name]
        if not field.errors or was_refused(field):
            continue
        question_type = QUESTION_TYPES[item.type]
        if isinstance(question_type, ShortText):  # short and long text
            limit = question_type.limit(item)
            field.errors[:] = [f"Your answer must be {limit} characters or fewer"]
        elif item.type == "number":
            field.errors[:] = [_number_message(item)]
        else:
            field.errors[:] = ["Select one of the options shown"]


def _number_message(item: Item) -> str:
    def fmt(value: float) -> str:
        return f"{value:g}"
    if item.minimum is not None and item.maximum is not None:
        return f"Enter a number between {fmt(item.minimum)} and {fmt(item.maximum)}"
    if item.minimum is not None:
        return f"Enter a number of {fmt(item.minimum)} or more"
    if item.maximum is not None:
        return f"Enter a number of {fmt(item.maximum)} or less"
    return "Enter a number, like 12 or 3.5"


def answer_text(item: Item, values: list[str]) -> str:
    """Saved values as the person chose them: option labels, levels with their descriptor."""
    labels = dict(QUESTION_TYPES[item.type].choices(item)) if item.options or item.levels else {}
    shown = []
    for value in values:
        label = labels.get(value, value)
        shown.append(f"Level {value}: {label}" if item.type == "levelled" and value.isdigit()
                     else label)
    return "; ".join(shown)


def required_message(item: Item) -> str:
    """What to tell someone who skipped a required item."""
    return REQUIRED_MESSAGES.get(item.type, "Enter an answer")


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

    name = StringField("Their name", validators=[
        DataRequired("Enter the person's name"), Length(max=200, message=(
            "The name must be 200 characters or fewer"))])
    email = EmailField("Their work email address", validators=[
        DataRequired("Enter their email address: their link is sent there, never to you"),
        Length(max=254, message="The email address must be 254 characters or fewer"),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=(
            "Enter an email address in the correct format, like name@example.org"))])
    relationship = SelectField("How they work with you", validators=[
        DataRequired("Choose how they work with you")])


class ResumeCodeForm(FlaskForm):
    """Someone moving to another device types their resume code."""

    code = StringField("Resume code", validators=[
        DataRequired("Enter your resume code"), Length(max=40)])
