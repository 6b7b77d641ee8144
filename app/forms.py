"""The one way a submitted form or JSON body becomes checked input: marshmallow schemas.

A form's fields are reshaped here (empty strings become "not given", checkbox groups
become lists) and then loaded by the same schema the API uses; what breaks a rule
raises `InvalidInput` with messages per field, and nothing is stored.
"""
from marshmallow import EXCLUDE, Schema, ValidationError, pre_load
from werkzeug.datastructures import MultiDict


class InvalidInput(ValueError):
    """Input that breaks a rule; `messages` maps field names to what is wrong."""

    def __init__(self, messages: dict[str, list[str]]):
        super().__init__(messages)
        self.messages = messages


class InputSchema(Schema):
    """Input as people type it (a form, a query string, a row of a file): keys it does not know are ignored,
    and a blank value is a value not given."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def blanks_are_missing(self, values, **kwargs):
        return {key: value for key, value in values.items() if value != ""}


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """Marshmallow's nested messages as dotted field names."""
    if isinstance(messages, list):
        return {prefix.rstrip("."): [str(m) for m in messages]}
    flat = {}
    for key, value in messages.items():
        flat.update(flatten_errors(value, f"{prefix}{key}."))
    return flat


def load_form(schema: Schema, form: MultiDict, lists=(), checkboxes=(), verbatim=()) -> dict:
    """Load a submitted form through `schema`, raising InvalidInput with messages per field.

    Values are trimmed, except those named in `verbatim`: a space at either end is part of a password.
    """
    raw = {key: value if key in verbatim else value.strip() for key, value in form.items()
           if key != "csrf_token" and value.strip() != ""}
    for name in lists:
        raw[name] = [value for value in form.getlist(name) if value]
    for name in checkboxes:
        raw[name] = name in form
    for name in schema.fields:
        if name in raw:
            continue
        field = schema.fields[name]
        if field.allow_none and not field.required:
            raw[name] = None
    return load(schema, raw)


def load(schema: Schema, raw: dict, **options) -> dict:
    try:
        return schema.load(raw, **options)
    except ValidationError as error:
        raise InvalidInput(flatten_errors(error.messages)) from None


def checked_form(schema: Schema, form: MultiDict, **options) -> tuple[dict | None, dict[str, list[str]]]:
    """(the loaded form, no messages), or (None, messages per field): `load_form` for a page that shows them."""
    try:
        return load_form(schema, form, **options), {}
    except InvalidInput as invalid:
        return None, invalid.messages
