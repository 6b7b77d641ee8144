"""Sign-in and setting a password through a link: marshmallow schemas loaded by `app.forms.load_form`.

Passwords are loaded as typed (`PASSWORDS`, load_form's `verbatim`): a space at either end is part of one.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, validate, validates_schema

from app.accounts.emails import EmailAddress
from app.auth.passwords import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from app.fields import Text

# The words these pages have always used for an empty field (tests/test_auth.py and the browser test ask for them).
REQUIRED = {"required": "This field is required."}
PASSWORDS = ("password", "confirmation")
PASSWORD_RULE = f"At least {PASSWORD_MIN_LENGTH} characters. A few words you will remember make a good one."


class _Form(Schema):
    class Meta:
        unknown = EXCLUDE  # the submit button, the password manager's hidden username


class ForgotPasswordSchema(_Form):
    email = EmailAddress(required=True, error_messages=REQUIRED)


class SignInSchema(ForgotPasswordSchema):
    password = Text(required=True, max_length=PASSWORD_MAX_LENGTH, error_messages=REQUIRED)


class SetPasswordSchema(_Form):
    password = Text(required=True, error_messages=REQUIRED, validate=validate.Length(
        min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH,
        error=f"Use {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters."))
    confirmation = Text(required=True, error_messages=REQUIRED)

    # Checked even when the password breaks its own rule, as both messages belong on the page.
    @validates_schema(skip_on_field_errors=False)
    def same_twice(self, data, **kwargs):
        if "confirmation" in data and data.get("password") != data["confirmation"]:
            raise ValidationError("The two passwords differ.", field_name="confirmation")
