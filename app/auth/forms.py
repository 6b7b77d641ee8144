"""Sign-in, sign-out, and setting a password through a link."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from app.accounts.emails import EmailRule
from app.auth.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH


def email_field() -> EmailField:
    return EmailField("Email", validators=[DataRequired(), EmailRule()],
                      render_kw={"autocomplete": "username", "autocapitalize": "none"})


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})


class SignOutForm(FlaskForm):
    """A POST with its CSRF token, so that a link elsewhere cannot sign anyone out."""


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH,
                                           message=f"Use {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters.")],
        description=f"At least {PASSWORD_MIN_LENGTH} characters. A few words you will remember make a good one.",
        render_kw={"autocomplete": "new-password"},
    )
    confirmation = PasswordField(
        "New password again", validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )
