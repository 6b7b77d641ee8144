from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.accounts.tokens import TOKEN_DAYS_DEFAULT, TOKEN_DAYS_MAX, TOKEN_DAYS_MIN


class NewTokenForm(FlaskForm):
    name = StringField(
        "Token name", validators=[DataRequired(), Length(max=120)],
        description="Say where it will be used, such as \"field tablet\" or \"district data sync\".",
    )
    days = IntegerField(
        "Works for (days)", default=TOKEN_DAYS_DEFAULT,
        # A request without the field (a script) gets the default; a field left empty is refused, not defaulted.
        validators=[NumberRange(min=TOKEN_DAYS_MIN, max=TOKEN_DAYS_MAX,
                                message=f"Use a whole number of days from {TOKEN_DAYS_MIN} to {TOKEN_DAYS_MAX}.")],
        description=f"From {TOKEN_DAYS_MIN} to {TOKEN_DAYS_MAX} days. Make a new token before this one ends.",
        render_kw={"inputmode": "numeric", "min": TOKEN_DAYS_MIN, "max": TOKEN_DAYS_MAX},
    )
    read_only = BooleanField(
        "Read only", description="The token can read what you can read, and is refused every change.",
    )


class RevokeTokenForm(FlaskForm):
    """A POST with its CSRF token, so that a link elsewhere cannot revoke anything."""
