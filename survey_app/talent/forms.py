"""Joining the talent pool, and the commissioner's actions on the register."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..coaching.forms import select_choices
from ..inputs import FlaskForm
from ..reports.forms import CheckboxesField
from .services import INTERESTS, OFFERS


class JoinForm(FlaskForm):
    """A named self-nomination, with consent."""

    name = StringField("Your name", validators=[DataRequired("Enter your name"), Length(max=200)])
    email = EmailField(
        "Your work email address",
        validators=[DataRequired("Enter your work email address"), Length(max=254)],
    )
    organisation = StringField("Your organisation", validators=[Optional(), Length(max=200)])
    current_role = StringField("Your current post", validators=[Optional(), Length(max=200)])
    interests = CheckboxesField(
        "What would you like to hear about?", choices=select_choices(INTERESTS)
    )
    consent = BooleanField(
        "I agree", validators=[DataRequired("Tick the box to say you agree, or leave this page")]
    )


class CarryForm(FlaskForm):
    """Carry chosen entries into a campaign, or record an invitation."""

    campaign = SelectField("Add them as participants of", validators=[Optional()])
    offer = SelectField(
        "Or record that they were invited to",
        choices=select_choices([("", "Nothing"), *OFFERS]),
        validators=[Optional()],
    )
    title = StringField(
        "Name of the masterclass or scheme", validators=[Optional(), Length(max=200)]
    )
