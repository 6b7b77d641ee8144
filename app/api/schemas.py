"""What the API reads and answers: the field work schemas, plus the ids a URL does not carry.

What each viewer may see of a visit (internal notes) is the visibility book's call
(`tenants/visibility.py`): every visit schema follows it, record by record.
"""
from marshmallow import Schema, fields, validate

from app.fields import Day, Id
from app.fieldwork.schemas import AssignmentSchema, ObservationSchema, VisitSchema
from tenants.roles import Team
from tenants.visibility import audience_name


class NewVisit(VisitSchema):
    district_id = Id(required=True, error="Choose one of your districts.")


class VisitChanges(VisitSchema):
    """The details of a visit that may change; load it with `partial=True`."""

    class Meta:
        exclude = ("client_uuid", "captured_at", "observations")


class VisitOut(VisitSchema):
    team = fields.String(dump_only=True, metadata={
        "description": "Whose work the visit is: `support_team` (the state's support team) or `district` (the "
                       "district's own staff). That team changes it and reads its internal notes."})
    co_observers = fields.Function(
        lambda visit: [{"id": person.id, "name": person.name} for person in visit.co_observers], dump_only=True,
        metadata={"description": "The people who observed beside its author (lead_id): [{id, name}, ...]."})
    support_ids = fields.Pluck(AssignmentSchema, "id", many=True, attribute="supports", dump_only=True)
    internal_notes = fields.String(
        allow_none=True, dump_only=True,
        metadata={"description": f"Only for {audience_name('Visit', 'internal_notes')}: absent for anyone else."},
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class NewObservation(ObservationSchema):
    visit_id = Id(required=True, error="No such visit.")


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
    district_id = Id()


class OfVisits(DistrictFilter):
    """Filters on the visit, as the lists' pages have them: its school's cluster, the team whose work it is."""

    cluster_id = Id(metadata={"description": "Visits to the schools of this cluster of the district."})
    team = fields.String(validate=validate.OneOf([t.value for t in Team]),
                         metadata={"description": "support_team: the state support team's; district: the district's."})


class VisitFilters(OfVisits):
    school_id = Id()
    lead_id = Id(metadata={"description": "Visits this person conducted or co-observed."})
    team = fields.String(validate=validate.OneOf([team.value for team in Team]),
                         metadata={"description": "`support_team` or `district`: whose work the visits are."})
    # Named as the visit list's query reads them (`app/fieldwork/listing.py`), as the page's filters are.
    date_from = Day(data_key="from", metadata={"description": "Visits on or after this date."})
    date_to = Day(data_key="to", metadata={"description": "Visits on or before this date."})


class ObservationFilters(OfVisits):
    visit_id = Id()
