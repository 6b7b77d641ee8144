"""The wizard's form fields, checked by marshmallow."""
from marshmallow import fields, validate

from app.fields import Id, Text
from app.onboarding.rows import RowSchema
from tenants.models import AccountabilityStatus, Lifecycle


class NewDistrictSchema(RowSchema):
    name = Text(required=True, max_length=200, validate=validate.Length(min=2),
                         error_messages={"required": "Enter the district's name."})
    region_id = Id(required=True, error="Pick a region.", error_messages={"required": "Pick a region."})
    accountability_status = fields.String(required=True, validate=validate.OneOf(list(AccountabilityStatus)),
                                          error_messages={"required": "Pick an accountability status."})


class LifecycleSchema(RowSchema):
    lifecycle = fields.String(required=True, validate=validate.OneOf(list(Lifecycle)))
