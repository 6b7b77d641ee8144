"""The one rule for email addresses: the import, /admin, sign-in, "Forgot your password?" and the API use it.

One rule, so that an address accepted when a person is created is always one they can sign in with.
Reserved test domains (`district.test`) are accepted: training sandboxes and demos use them, and
refusing them at sign-in locked such people out after they had set a password (issue 13 case 9).
"""
from email_validator import EmailNotValidError, validate_email
from marshmallow import ValidationError as SchemaValidationError
from marshmallow import fields
from wtforms.validators import StopValidation

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path, and the width of users.email


class NotAnEmail(ValueError):
    """`str(error)` says, in plain words, what is wrong with the address."""


def email_address(text: str) -> str:
    """The address as it is stored and looked up: trimmed and lower-cased.

    Raises NotAnEmail when `text` is not an address a person could receive mail at (syntax only:
    no DNS lookup, so that a closed network and a slow resolver never refuse anyone).
    """
    text = (text or "").strip()
    if not text:
        raise NotAnEmail("Enter an email address.")
    if len(text) > EMAIL_MAX_LENGTH:
        raise NotAnEmail(f"Use at most {EMAIL_MAX_LENGTH} characters.")
    try:
        # test_environment: accept the reserved `.test` domain (and skip deliverability checks).
        validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise NotAnEmail(f"Not a valid email address. {_reason(error)}") from None
    return text.lower()


def _reason(error: EmailNotValidError) -> str:
    return str(error).removeprefix("The email address is not valid. ")


class EmailRule:
    """WTForms: refuse what `email_address` refuses, stopping the field's other checks; what was typed stays shown."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        try:
            email_address(field.data)
        except NotAnEmail as error:
            raise StopValidation(str(error)) from None


class EmailAddress(fields.String):
    """Marshmallow: an email address under `email_address`, loaded in its stored form."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        try:
            return email_address(super()._deserialize(value, attr, data, **kwargs))
        except NotAnEmail as error:
            raise SchemaValidationError(str(error)) from None
