"""Sign-in and password forms."""

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..inputs import FlaskForm
from .services import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password"), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254),
            Email("Enter an email address in the correct format, like name@example.org"),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    new_password = PasswordField(
        "New password",
        validators=[
            DataRequired("Enter a new password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=(
                    f"Your new password must be at least {MIN_PASSWORD_LENGTH} characters "
                    "(and at most 200)"
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again"),
            EqualTo("new_password", message="The passwords do not match"),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    """The current password, then a new one."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
