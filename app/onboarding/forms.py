"""The wizard's form fields, checked by marshmallow."""
from marshmallow import fields, validate

from app.fields import Id, Text
from app.forms import InputSchema
from tenants.models import AccountabilityStatus, Lifecycle


class NewDistrictSchema(InputSchema):
    name = Text(required=True, max_length=200, validate=validate.Length(min=2),
                         error_messages={"required": "Enter the district's name."})
    region_id = Id(required=True, error="Pick a region.", error_messages={"required": "Pick a region."})
    accountability_status = fields.String(required=True, validate=validate.OneOf(list(AccountabilityStatus)),
                                          error_messages={"required": "Pick an accountability status."})


class LifecycleSchema(InputSchema):
    lifecycle = fields.String(required=True, validate=validate.OneOf(list(Lifecycle)))
