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

from app.districts.models import GRADES
from tenants.models import AccountabilityStatus


def _grade_span(form, field) -> None:
    low, _, high = (field.data or "").upper().partition("-")
    if low not in GRADES or high not in GRADES or GRADES.index(low) > GRADES.index(high):
        raise ValidationError("Use a span of grades from lowest to highest, such as PK-5, 6-8 or 9-12.")


class SchoolForm(FlaskForm):
    name = StringField("School name", validators=[DataRequired(), Length(max=200)])
    code = StringField(
        "School code",
        validators=[DataRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9-]+$", message="Letters, digits and hyphens only.")],
        description="The state's code for the school, unique in the district.",
    )
    grade_span = StringField("Grade span", validators=[DataRequired(), _grade_span], description="For example PK-5, 6-8 or 9-12.")
    enrollment = IntegerField("Enrollment", validators=[Optional(), NumberRange(min=0, max=20000)])
    accountability_category = SelectField(
        "Accountability category", choices=[(s.value, s.label) for s in AccountabilityStatus]
    )
