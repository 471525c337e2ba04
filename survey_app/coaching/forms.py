"""Forms for regions, the pool, programme settings, confirming a match and logging a session."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..inputs import FlaskForm, SelectChoice
from ..reports.forms import CheckboxesField
from .regions import behaviour_choices
from .services import SESSION_KINDS


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class NewRegionForm(FlaskForm):
    """A region's name and its authorities."""

    name = StringField(
        "Region name", validators=[DataRequired("Enter the region's name"), Length(max=200)]
    )
    authorities = TextAreaField(
        "Authorities in the region",
        validators=[DataRequired("List the region's authorities, one per line")],
    )


class RegionForm(NewRegionForm):
    """Everything the region edits: authorities, neighbours and how long the register keeps."""

    neighbours = TextAreaField("Neighbouring authorities", validators=[Optional()])
    talent_retention_days = IntegerField(
        "Days to keep a talent-pool entry after consent",
        default=730,
        validators=[
            DataRequired("Enter a number of days between 30 and 1,825"),
            NumberRange(min=30, max=1825, message="Enter a number of days between 30 and 1,825"),
        ],
    )


class SupporterForm(FlaskForm):
    """One coach or mentor in the pool."""

    name = StringField("Name", validators=[DataRequired("Enter their name"), Length(max=200)])
    email = EmailField("Work email address", validators=[Optional(), Length(max=254)])
    authority = SelectField(
        "Authority they work for", validators=[DataRequired("Choose their authority")]
    )
    coach = BooleanField("Coach")
    mentor = BooleanField("Mentor")
    strengths = CheckboxesField("Strongest behaviours")
    capacity = IntegerField(
        "How many participants they can support at once",
        default=2,
        validators=[
            DataRequired("Enter a number from 1 to 20"),
            NumberRange(min=1, max=20, message="Enter a number from 1 to 20"),
        ],
    )
    training = StringField("Training (optional)", validators=[Length(max=300)])
    active = BooleanField("Available for new matches", default=True)

    def set_choices(self, authorities: list[str]) -> None:
        """The region's authorities and the behaviours strengths can be in."""
        self.authority.choices = select_choices(
            [("", "Choose an authority")] + [(a, a) for a in authorities]
        )
        self.strengths.choices = select_choices(behaviour_choices())


class ProgrammeForm(FlaskForm):
    """How a campaign's programme supports its participants."""

    region = SelectField("Region whose pool of coaches and mentors this programme uses")
    sessions_offered = IntegerField(
        "Sessions offered to each participant",
        default=3,
        validators=[
            DataRequired("Enter a number from 1 to 20"),
            NumberRange(min=1, max=20, message="Enter a number from 1 to 20"),
        ],
    )
    sponsor_required = BooleanField("Each participant needs a sponsor who confirms the nomination")
    talent_pool = BooleanField("Offer a place in the region's talent pool")


class MatchForm(FlaskForm):
    """Confirm one of the proposals."""

    supporter = RadioField(
        "Proposals", validators=[DataRequired("Choose who to match")], validate_choice=False
    )


class SessionForm(FlaskForm):
    """One session held."""

    held_on = DateField(
        "Date of the session",
        format="%Y-%m-%d",
        validators=[DataRequired("Enter the date of the session, for example 2026-11-30")],
    )
    kind = RadioField(
        "How it was held",
        choices=select_choices(SESSION_KINDS),
        validators=[DataRequired("Choose how the session was held")],
    )
