"""The administrator's account action form."""

from wtforms import SelectField
from wtforms.validators import DataRequired

from ..inputs import FlaskForm, SelectChoice


class AccountActionForm(FlaskForm):
    """What an administrator does to an account."""

    action = SelectField(
        "Action",
        choices=[
            SelectChoice(value, label)
            for value, label in (
                ("disable", "Disable"),
                ("enable", "Enable"),
                ("unlock", "Lift a sign-in pause"),
                ("reset", "Reset password"),
            )
        ],
        validators=[DataRequired()],
    )
