from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.districts import rules
from tenants.models import AccountabilityStatus


def _grade_span(form, field) -> None:
    if not rules.is_grade_span(field.data):
        raise ValidationError(rules.GRADE_SPAN_MESSAGE)


# Each field's validators, for this form and for /admin/school/ (app/admin): one set of rules per field.
SCHOOL_VALIDATORS = {
    "name": [DataRequired(), Length(max=rules.NAME_MAX_LENGTH)],
    "code": [DataRequired(), Length(max=rules.CODE_MAX_LENGTH), Regexp(rules.CODE_PATTERN, message=rules.CODE_MESSAGE)],
    "grade_span": [DataRequired(), _grade_span],
    "enrollment": [Optional(), NumberRange(min=rules.ENROLLMENT_MIN, max=rules.ENROLLMENT_MAX,
                                           message=rules.ENROLLMENT_MESSAGE)],
}


class SchoolForm(FlaskForm):
    name = StringField("School name", validators=SCHOOL_VALIDATORS["name"])
    code = StringField(
        "School code", validators=SCHOOL_VALIDATORS["code"],
        description="The state's code for the school, unique in the district.",
    )
    grade_span = StringField("Grade span", validators=SCHOOL_VALIDATORS["grade_span"],
                             description="For example PK-5, 6-8 or 9-12.")
    enrollment = IntegerField("Enrollment", validators=SCHOOL_VALIDATORS["enrollment"])
    accountability_category = SelectField(
        "Accountability category", choices=[(s.value, s.label) for s in AccountabilityStatus]
    )
