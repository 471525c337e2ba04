"""Sign-in form."""

from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

from ..inputs import FlaskForm


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email address", validators=[
        DataRequired("Enter your email address"), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"})
    password = PasswordField("Password", validators=[
        DataRequired("Enter your password"), Length(max=200)],
        render_kw={"autocomplete": "current-password"})
    next = HiddenField()
