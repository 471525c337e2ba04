"""Adding a questionnaire to a cohort, and recording outcomes."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..coaching.forms import select_choices
from ..inputs import FlaskForm
from .models import OUTCOME_KINDS
from .services import STAGE_LABELS


class QuestionnaireForm(FlaskForm):
    """A reaction questionnaire for one module, or the confidence questionnaire before/after."""

    stage = RadioField(
        "Questionnaire",
        choices=select_choices(STAGE_LABELS.items()),
        validators=[DataRequired("Choose which questionnaire to add")],
    )
    module = StringField(
        "Module or masterclass (for a questionnaire after a module)",
        validators=[Optional(), Length(max=200)],
    )


class OutcomeForm(FlaskForm):
    """One appointment or promotion."""

    participant = SelectField("Participant", validators=[DataRequired("Choose a participant")])
    kind = RadioField(
        "What happened",
        choices=select_choices(OUTCOME_KINDS),
        validators=[DataRequired("Choose what happened")],
    )
    new_role = StringField("New post (optional)", validators=[Optional(), Length(max=200)])
    effective_on = DateField("From (optional)", format="%Y-%m-%d", validators=[Optional()])


class ReturnForm(FlaskForm):
    """The quarterly PI return as CSV."""

    file = FileField("Quarterly return (CSV)", validators=[FileRequired("Choose a CSV file")])
