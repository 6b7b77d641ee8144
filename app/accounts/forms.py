from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class NewTokenForm(FlaskForm):
    name = StringField(
        "Token name", validators=[DataRequired(), Length(max=120)],
        description="Say where it will be used, such as \"field tablet\" or \"district data sync\".",
    )


class RevokeTokenForm(FlaskForm):
    """A POST with its CSRF token, so that a link elsewhere cannot revoke anything."""
