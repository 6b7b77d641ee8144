"""The rules for each row of an onboarding file, and the per-row errors shown in the preview."""
import re
from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate, validates_schema

from app.accounts.emails import EmailAddress
from app.districts.forms import by_value_or_label
from app.districts.models import Position
from app.fields import Text, WholeNumber
from app.forms import InputSchema
from tenants.roles import Role

# Roles a district's file may give; admins and directors are granted in /admin, never by a file.
IMPORTED_ROLES = (Role.DISTRICT_LEADER, Role.SCHOOL_SUPERVISOR, Role.DISTRICT_VIEWER, Role.ASSISTANCE_LEAD)


@dataclass(frozen=True)
class RowError:
    """A problem with one cell: `line` is the line in the file (the header is line 1)."""

    file: str
    line: int
    column: str
    message: str


ROLE_CHOICES = by_value_or_label(IMPORTED_ROLES)
POSITION_CHOICES = by_value_or_label(Position)


class PersonRow(InputSchema):
    email = EmailAddress(required=True)
    name = Text(required=True, max_length=200)
    role = fields.String(required=True, validate=validate.OneOf(
        [r.value for r in IMPORTED_ROLES], error="Unknown role: use District leader, School supervisor, District viewer or Assistance lead."))
    title = Text(load_default=None, max_length=120)
    # A principal or assistant principal: the code of the school they lead, and which of the two.
    school_code = Text(load_default=None, max_length=20)
    position = fields.String(load_default=None, validate=validate.OneOf(
        [p.value for p in Position], error="Unknown position: use Principal or Assistant principal."))

    @pre_load
    def normalise(self, row, **kwargs):
        if "role" in row:
            row["role"] = ROLE_CHOICES.get(row["role"].lower(), row["role"])
        if "position" in row:
            row["position"] = POSITION_CHOICES.get(row["position"].lower(), row["position"])
        return row

    @validates_schema
    def leads_a_school(self, row, **kwargs):
        if row.get("position") and not row.get("school_code"):
            raise ValidationError("Give the code of the school this person leads.", "school_code")
        if row.get("school_code") and row.get("role") != Role.DISTRICT_VIEWER:
            raise ValidationError("A principal or assistant principal signs in as a District viewer.", "role")

    @post_load
    def principal_by_default(self, row, **kwargs):
        if row.get("school_code"):
            row["position"] = row.get("position") or Position.PRINCIPAL.value
            row["title"] = row.get("title") or Position(row["position"]).label
        return row


class DirectoryDistrictRow(InputSchema):
    source_id = WholeNumber(required=True, minimum=1)
    name = Text(required=True, max_length=200)
    type = Text(load_default="Public School District", max_length=60)
    city = Text(load_default=None, max_length=120)
    pupils = WholeNumber(load_default=None, minimum=0)


class DirectorySchoolRow(InputSchema):
    source_id = WholeNumber(required=True, minimum=1)
    district_source_id = WholeNumber(required=True, minimum=1)
    name = Text(required=True, max_length=200)
    type = Text(load_default="Public School", max_length=60)
    city = Text(load_default=None, max_length=120)


def school_key(code: str) -> str:
    """What identifies a school by its code, whatever a spreadsheet did to it: case, spaces, and the
    leading zeros Excel drops from a code of digits ("00421", "0421" and "421" are one school)."""
    code = re.sub(r"\s+", "", code).upper()
    return (code.lstrip("0") or "0") if code.isdigit() else code


def check_rows(rows: list[dict], schema: Schema, file: str, unique: str,
               key: Callable[[object], object] = lambda value: value) -> tuple[list[dict], list[RowError]]:
    """Each row loaded by `schema`, and an error for every bad cell and every repeated `unique` value
    (compared through `key`)."""
    loaded, errors, seen = [], [], {}
    for line, row in enumerate(rows, start=2):
        try:
            item = schema.load(row)
        except ValidationError as error:
            errors.extend(RowError(file, line, column, " ".join(_flat(messages)))
                          for column, messages in sorted(error.messages.items()))
            continue
        key_of_row = key(item[unique])
        if key_of_row in seen:
            errors.append(RowError(file, line, unique, f"Duplicate {unique.replace('_', ' ')} {item[unique]}: "
                                                       f"also on line {seen[key_of_row]}."))
            continue
        seen[key_of_row] = line
        loaded.append(item)
    return loaded, errors


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    return [str(m) for m in messages]


def required_columns(schema: Schema) -> list[str]:
    """The columns a file for `schema` must have, in the schema's order."""
    return [name for name, field in schema.fields.items() if field.required]
