"""Turning submitted HTML forms into the input the marshmallow schemas check.

The forms and the API share one set of rules: a form's fields are renamed and
reshaped here (empty strings become "not given", checkbox groups become lists,
one rating per look-for becomes a list of ratings) and then loaded by the schema.
"""
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from app.fieldwork.services import InvalidInput, flatten_errors


def load_form(schema: Schema, form: MultiDict, lists=(), checkboxes=()) -> dict:
    """Load a submitted form through `schema`, raising InvalidInput with messages per field."""
    raw = {key: value.strip() for key, value in form.items() if key != "csrf_token" and value.strip() != ""}
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


def ratings_from_form(form: MultiDict, rubric) -> list[dict]:
    """One `rating-<look-for id>` radio group and `evidence-<id>` box per look-for; unrated ones are left out."""
    ratings = []
    for look_for in rubric.look_fors:
        value = form.get(f"rating-{look_for.id}", "").strip()
        evidence = form.get(f"evidence-{look_for.id}", "").strip() or None
        if value:
            ratings.append({"look_for_id": look_for.id, "rating": value, "evidence": evidence})
    return ratings
