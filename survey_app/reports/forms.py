"""The development plan form: up to three goals, each a behaviour, actions, support and a review."""

from __future__ import annotations

from datetime import timedelta

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..inputs import (
    DATE_EXAMPLE,
    FlaskForm,
    Form,
    SelectChoice,
    error_list,
    shown_date,
    typed_date,
)
from ..models import today
from .plan import MAX_GOALS, MIN_GOALS, SUPPORT_OPTIONS

ACTIONS_MAX = 1500


class CheckboxesField(SelectMultipleField):
    """Several options as checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReviewDateField(DateField):
    """A date typed as day, month and year ('31 3 2027'), or as 2027-03-31 (inputs.typed_date).

    A plain text box, not the browser's date picker: the picker shows each browser's own format,
    which disagreed with the hint. An unreadable date leaves the data empty and the form says
    what to type.
    """

    def process_formdata(self, valuelist):
        self.data = typed_date(valuelist[0]) if valuelist else None

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else shown_date(self.data)


class GoalForm(Form):
    """One goal of the plan (a subform: the outer form carries the CSRF token)."""

    behaviour = SelectField("Behaviour", choices=[], validate_choice=False)
    actions = TextAreaField(
        "What you will do",
        validators=[
            Length(max=ACTIONS_MAX, message=f"Actions must be {ACTIONS_MAX} characters or fewer")
        ],
    )
    support = CheckboxesField(
        "Support you would like", choices=[SelectChoice(c, label) for c, label in SUPPORT_OPTIONS]
    )
    review_on = ReviewDateField("Review date", validators=[Optional()])
    done = BooleanField("I have done this")


class PlanForm(FlaskForm):
    """Two or three goals drawn from the participant's report."""

    goals = FieldList(FormField(GoalForm), min_entries=MAX_GOALS, max_entries=MAX_GOALS)

    def set_behaviours(self, behaviours: list[tuple[str, str]]) -> None:
        """Offer the report's behaviours in every goal's list."""
        for goal in self.goals:
            goal.form.behaviour.choices = [SelectChoice("", "Choose a behaviour")] + [
                SelectChoice(code, title) for code, title in behaviours
            ]

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the plan's own rules (2-3 distinct behaviours, complete goals)."""
        valid = super().validate(extra_validators)
        chosen, seen = [], set()
        for goal in self.goals:
            form = goal.form
            # WTForms 3.3 keeps choices as SelectChoice objects; types-WTForms 3.2 says tuples.
            offered = form.behaviour.choices
            known = {choice.value for choice in offered if choice.value}  # type: ignore[union-attr]
            if form.behaviour.data and form.behaviour.data not in known:
                error_list(form.behaviour).append("Choose a behaviour from the list")
                valid = False
                continue
            if not form.behaviour.data:
                if (form.actions.data or "").strip() or form.review_on.data or form.support.data:
                    error_list(form.behaviour).append("Choose the behaviour this goal is about")
                    valid = False
                continue
            if form.behaviour.data in seen:
                error_list(form.behaviour).append("Choose a different behaviour for each goal")
                valid = False
            seen.add(form.behaviour.data)
            chosen.append(form)
            valid = _check_goal(form) and valid
        if len(chosen) < MIN_GOALS:
            error_list(self.goals[len(chosen)].form.behaviour).append(
                f"Choose at least {MIN_GOALS} behaviours to work on"
            )
            valid = False
        return valid

    def goal_data(self) -> list[dict]:
        """The filled-in goals as plain data."""
        return [
            {
                "behaviour": g.form.behaviour.data,
                "actions": g.form.actions.data or "",
                "support": list(g.form.support.data or []),
                "review_on": g.form.review_on.data,
                "done": bool(g.form.done.data),
            }
            for g in self.goals
            if g.form.behaviour.data
        ]


def _check_goal(form: GoalForm) -> bool:
    valid = True
    if not (form.actions.data or "").strip():
        error_list(form.actions).append("Enter what you will do")
        valid = False
    if form.review_on.data is None:
        typed = (form.review_on.raw_data or [""])[0].strip()
        error_list(form.review_on)[:] = [
            f"Enter the review date as a real date, for example {DATE_EXAMPLE}"
            if typed
            else f"Enter a review date, for example {DATE_EXAMPLE}"
        ]
        valid = False
    elif form.review_on.data <= today() and not form.done.data:
        error_list(form.review_on).append("The review date must be in the future")
        valid = False
    elif form.review_on.data > today() + timedelta(days=3 * 365):
        error_list(form.review_on).append("The review date must be within the next three years")
        valid = False
    return valid
