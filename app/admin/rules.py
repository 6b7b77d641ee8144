"""The app's field rules inside /admin's WTForms: each check is made by the rule the import and the API use.

Flask-Admin builds WTForms forms; the rules live in marshmallow fields (app/fields.py, with the school
limits of app/districts/rules.py, as the onboarding import loads them) and in `email_address`. These
validators call those rules rather than restating them, and a uniqueness refusal from the database comes
back as a message on the field it is about, in words, never as SQL.
"""
from marshmallow import Schema, ValidationError
from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError
from wtforms.validators import StopValidation

from app.audit.words import kind_in_words

UNIQUE_VIOLATION = "23505"


class FollowsSchema:
    """WTForms: check the field with the marshmallow field `schema` loads it with; the same message."""

    def __init__(self, schema: Schema, name: str):
        self.rule = schema.fields[name]
        self.field_flags = {"required": True} if self.rule.required else {}

    def __call__(self, form, field) -> None:
        typed = field.raw_data[0] if field.raw_data else field.data
        if typed is None or typed == "":
            if not self.rule.required:
                field.errors[:] = []  # as WTForms' Optional: nothing typed, nothing to check
                raise StopValidation()
            typed = ""
        try:
            self.rule.deserialize(typed)
        except ValidationError as error:
            raise StopValidation(" ".join(_messages(error.messages))) from None


def _messages(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _messages(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in _messages(value)]
    return [str(messages)]


def followed_rules(schema: Schema, names: tuple[str, ...]) -> dict:
    """Flask-Admin's `form_args` giving each named field the schema's rule for it."""
    return {name: {"validators": [FollowsSchema(schema, name)]} for name in names}


def unique_columns(error: IntegrityError, table) -> list[str]:
    """The columns of `table`'s unique key a refused write collided on (PostgreSQL), or [] for any other refusal.

    Found by the constraint's name (the metadata's naming convention, as migrated): PostgreSQL leaves the
    key's values out of its message on tables under row-level security, and they are not for the page anyway.
    """
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    name = getattr(getattr(original, "diag", None), "constraint_name", None)
    if code != UNIQUE_VIOLATION or not name:
        return []
    keys = [c for c in table.constraints if isinstance(c, UniqueConstraint)] + [i for i in table.indexes if i.unique]
    return next(([column.name for column in key.columns] for key in keys if key.name == name), [])


def say_taken_on_the_field(error: IntegrityError, form, model: type) -> bool:
    """Put "Another school in this district already has this code." on the field; False if no field is named."""
    columns = unique_columns(error, model.__table__)
    fields = [getattr(form, name) for name in columns if name != "district_id" and hasattr(form, name)]
    if form is None or not fields:
        return False
    where = " in this district" if "district_id" in columns and model.__name__ != "District" else ""
    what = " and ".join(field.label.text.lower() for field in fields)
    message = f"Another {kind_in_words(model.__name__).lower()}{where} already has this {what}."
    for field in fields:
        field.errors = [*field.errors, message]
    return True
