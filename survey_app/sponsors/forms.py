"""Asking a sponsor, and the sponsor's own decision."""

from __future__ import annotations

from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..coaching.forms import select_choices
from ..inputs import FlaskForm

SPONSOR_ROLES = ("Director of children's services", "Nominated senior leader")


class AskSponsorForm(FlaskForm):
    """Who sponsors a participant."""

    participant = SelectField("Participant", validators=[DataRequired("Choose a participant")])
    name = StringField(
        "Sponsor's name", validators=[DataRequired("Enter the sponsor's name"), Length(max=200)]
    )
    email = EmailField(
        "Sponsor's work email address",
        validators=[DataRequired("Enter the sponsor's email address"), Length(max=254)],
    )
    role = SelectField("Sponsor's role", choices=select_choices((r, r) for r in SPONSOR_ROLES))


class DecisionForm(FlaskForm):
    """The sponsor confirms or declines the nomination."""

    decision = RadioField(
        "Do you sponsor this nomination?",
        choices=select_choices(
            [("confirm", "Yes, I sponsor this nomination"), ("decline", "No, I do not sponsor it")]
        ),
        validators=[DataRequired("Choose whether you sponsor this nomination")],
    )
