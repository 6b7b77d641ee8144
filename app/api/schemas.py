"""What the API reads and answers: the field work schemas, plus the ids a URL does not carry.

Internal notes stay within the district's support team: `VisitOut` drops them from
every visit dumped for anyone else, row by row (one person may be a lead in one
district and a viewer in another).
"""
from marshmallow import Schema, fields, post_dump

from app.fieldwork.schemas import AssignmentSchema, ObservationSchema, VisitSchema
from tenants.lookup import on_support_team


class NewVisit(VisitSchema):
    district_id = fields.Integer(required=True)


class VisitChanges(VisitSchema):
    """The details of a visit that may change; load it with `partial=True`."""

    class Meta:
        exclude = ("client_uuid", "captured_at", "observations")


class VisitOut(VisitSchema):
    support_ids = fields.Pluck(AssignmentSchema, "id", many=True, attribute="supports", dump_only=True)
    internal_notes = fields.String(
        allow_none=True, dump_only=True,
        metadata={"description": "Only for the district's support team: absent for anyone else."},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @post_dump(pass_original=True)
    def keep_internal_notes_within_the_support_team(self, data, visit, **kwargs):
        if not on_support_team(visit.district_id):
            data.pop("internal_notes", None)
        return data


class NewObservation(ObservationSchema):
    visit_id = fields.Integer(required=True)


class ObservationChanges(ObservationSchema):
    """What may change in an observation once made; load it with `partial=True`."""

    class Meta:
        exclude = ("id", "visit_id", "district_id", "rubric_id", "ratings")


class SchoolOut(Schema):
    id = fields.Integer()
    district_id = fields.Integer()
    name = fields.String()
    code = fields.String()
    grade_span = fields.String()
    enrollment = fields.Integer(allow_none=True)
    accountability_category = fields.String()
    city = fields.String(allow_none=True)


class AssignmentOut(AssignmentSchema):
    created_at = fields.DateTime(dump_only=True)


class DistrictFilter(Schema):
    district_id = fields.Integer()


class VisitFilters(DistrictFilter):
    school_id = fields.Integer()
    lead_id = fields.Integer()
    visited_from = fields.Date(data_key="from", metadata={"description": "Visits on or after this date."})
    visited_to = fields.Date(data_key="to", metadata={"description": "Visits on or before this date."})


class ObservationFilters(DistrictFilter):
    visit_id = fields.Integer()
