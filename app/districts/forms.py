"""The school form's rules: the import's rules for a school (app/onboarding/rows.py), and /admin's copy in WTForms."""
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.districts import rules
from app.onboarding.rows import SchoolRow


class SchoolSchema(SchoolRow):
    """A school's details as typed in the district's school form: the same fields and rules as a row of schools."""


def _grade_span(form, field) -> None:
    if not rules.is_grade_span(field.data):
        raise ValidationError(rules.GRADE_SPAN_MESSAGE)


# /admin/school/ (app/admin) is built on Flask-Admin, hence WTForms: the same rules of app/districts/rules.py.
SCHOOL_VALIDATORS = {
    "name": [DataRequired(), Length(max=rules.NAME_MAX_LENGTH)],
    "code": [DataRequired(), Length(max=rules.CODE_MAX_LENGTH), Regexp(rules.CODE_PATTERN, message=rules.CODE_MESSAGE)],
    "grade_span": [DataRequired(), _grade_span],
    "enrollment": [Optional(), NumberRange(min=rules.ENROLLMENT_MIN, max=rules.ENROLLMENT_MAX,
                                           message=rules.ENROLLMENT_MESSAGE)],
}
