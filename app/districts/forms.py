"""A school's rules as one schema (app/districts/rules.py's checks on marshmallow fields), for every way in."""
from marshmallow import ValidationError, fields, pre_load, validate

from app.districts import rules
from app.fields import Text, WholeNumber
from app.forms import InputSchema
from tenants.models import AccountabilityStatus


def _valid_grade_span(text: str) -> None:
    if not rules.is_grade_span(text):
        raise ValidationError(rules.GRADE_SPAN_MESSAGE)


def by_value_or_label(choices) -> dict[str, str]:
    """Both the value and the label, lower-cased, to the value: 'District leader' is 'district_leader'."""
    return {c.value: c.value for c in choices} | {c.label.lower(): c.value for c in choices}


CATEGORY_CHOICES = by_value_or_label(AccountabilityStatus)


class SchoolSchema(InputSchema):
    """A school's details: the district's school form, a row of an onboarding file and /admin/school/ all load them here."""

    name = Text(required=True, max_length=rules.NAME_MAX_LENGTH)
    code = Text(required=True, max_length=rules.CODE_MAX_LENGTH,
                validate=validate.Regexp(rules.CODE_PATTERN, error=rules.CODE_MESSAGE))
    grade_span = Text(required=True, validate=_valid_grade_span)
    enrollment = WholeNumber(load_default=None, minimum=rules.ENROLLMENT_MIN, maximum=rules.ENROLLMENT_MAX,
                             error=rules.ENROLLMENT_MESSAGE)
    accountability_category = fields.String(
        load_default=AccountabilityStatus.INSUFFICIENT_DATA.value,
        validate=validate.OneOf(list(AccountabilityStatus), error="Unknown accountability category."))

    @pre_load
    def normalise(self, row, **kwargs):
        if "code" in row:
            row["code"] = rules.school_code(row["code"])
        if "grade_span" in row:
            row["grade_span"] = rules.grade_span(row["grade_span"])
        if "accountability_category" in row:
            text = row["accountability_category"]
            row["accountability_category"] = CATEGORY_CHOICES.get(text.lower(), text)
        return row
