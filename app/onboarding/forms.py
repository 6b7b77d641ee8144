"""The wizard's form fields, checked by marshmallow."""
from marshmallow import fields, validate

from app.onboarding.rows import RowSchema
from tenants.models import AccountabilityStatus, Lifecycle


class NewDistrictSchema(RowSchema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200),
                         error_messages={"required": "Enter the district's name."})
    region_id = fields.Integer(required=True, error_messages={"required": "Pick a region.", "invalid": "Pick a region."})
    accountability_status = fields.String(required=True, validate=validate.OneOf(list(AccountabilityStatus)),
                                          error_messages={"required": "Pick an accountability status."})


class LifecycleSchema(RowSchema):
    lifecycle = fields.String(required=True, validate=validate.OneOf(list(Lifecycle)))
