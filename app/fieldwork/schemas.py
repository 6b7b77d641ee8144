"""Marshmallow schemas for visits and observations, shared by the forms and the API.

They check what can be checked without the database (types, ranges, lengths,
dates); the services check the rest (a school of the district, a look-for of
the rubric, a rating on its scale) and report it under the same field names.
"""
from datetime import UTC, date, timedelta

from marshmallow import ValidationError, fields, validates_schema

from app.clock import state_today
from app.districts.models import GRADES
from app.fields import BoundedList, Choice, Day, Id, PlainSchema, Text, WholeNumber
from app.fieldwork.models import AssignmentStatus, VisitKind
from tenants.visibility import FollowsTheBook

EARLIEST = date(2000, 1, 1)
# Classrooms one visit can observe: a full day of 20-minute walkthroughs is 24; 2,000 is not a visit.
MAX_OBSERVATIONS = 50
LONG = 10_000


def not_in_the_future(value: date) -> None:
    # The state's day, not the server's: at 8 p.m. in Massachusetts a UTC server is on tomorrow.
    if value > state_today():
        raise ValidationError("A visit cannot be dated in the future.")
    if value < EARLIEST:
        raise ValidationError("Give a date from 2000 on.")


def follow_up_problem(visited_on: date | None, follow_up_on: date | None) -> str | None:
    """What is wrong with a follow-up date for a visit on `visited_on`, if anything."""
    if not (visited_on and follow_up_on):
        return None
    if follow_up_on < visited_on:
        return "The follow-up comes on or after the visit."
    if follow_up_on > visited_on + timedelta(days=366):
        return "Plan the follow-up within a year of the visit."
    return None


class RatingSchema(PlainSchema):
    look_for_id = Id(required=True, label="Look-for")
    rating = WholeNumber(required=True, label="Rating")
    evidence = Text(load_default=None, allow_none=True, max_length=2000, label="Evidence")


class ObservationSchema(PlainSchema):
    id = fields.Integer(dump_only=True)
    visit_id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    rubric_id = Id(required=True, label="Rubric")
    grade = Choice(GRADES, required=True, error="Choose a grade from PK to 12.", label="Grade")
    subject = Text(required=True, max_length=80, label="Subject")
    minutes = WholeNumber(required=True, minimum=1, maximum=240, error="Between 1 and 240 minutes.", label="Minutes")
    feedback = Text(load_default=None, allow_none=True, max_length=LONG, label="Feedback given")
    ratings = BoundedList(fields.Nested(RatingSchema), "ratings", load_default=list)


class VisitSchema(PlainSchema, FollowsTheBook):
    """A visit as the forms and the API read it; dumped, it leaves out what the visibility book withholds."""

    id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    lead_id = fields.Integer(dump_only=True)
    client_uuid = fields.UUID(required=True)
    # When the visit was captured (an offline one may reach the server days later): see rubric_accepts.
    captured_at = fields.AwareDateTime(load_default=None, allow_none=True, load_only=True, default_timezone=UTC)
    school_id = Id(load_default=None, allow_none=True, label="Where")
    # People of the platform who observed beside the author (a joint visit); the service checks who may be.
    co_observer_ids = BoundedList(Id(), "co-observers", load_default=list)
    # Coaching the principal: which principal of the district's schools (the service checks it).
    principal_id = Id(load_default=None, allow_none=True, label="Principal coached")
    visited_on = Day(required=True, validate=not_in_the_future, label="Date")
    minutes = WholeNumber(required=True, minimum=1, maximum=1440, error="Between 1 and 1440 minutes (a day).",
                          label="Minutes")
    kind = Choice([k.value for k in VisitKind], required=True, label="Kind of visit")
    purpose = Text(required=True, max_length=300, label="Purpose")
    participants = Text(load_default=None, allow_none=True, max_length=500, label="Participants")
    support_ids = BoundedList(Id(), "supports", load_default=list)
    shared_notes = Text(load_default=None, allow_none=True, max_length=LONG, label="Notes shared with the district")
    internal_notes = Text(load_default=None, allow_none=True, max_length=LONG, label="Internal notes")
    next_steps = Text(load_default=None, allow_none=True, max_length=LONG, label="Next steps")
    follow_up_on = Day(load_default=None, allow_none=True, label="Follow-up date")
    follow_up_done = fields.Boolean(load_default=False)
    observations = BoundedList(fields.Nested(ObservationSchema), "observations", max_length=MAX_OBSERVATIONS,
                                load_default=list)

    @validates_schema
    def follow_up_after_visit(self, data, **kwargs):
        problem = follow_up_problem(data.get("visited_on"), data.get("follow_up_on"))
        if problem:
            raise ValidationError(problem, "follow_up_on")


class AssignmentSchema(PlainSchema):
    id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    school_id = Id(load_default=None, allow_none=True, label="School")
    support_type_id = Id(required=True, label="Support")
    lead_id = Id(required=True, label="Assistance lead")
    starts_on = Day(required=True, label="Start")
    ends_on = Day(load_default=None, allow_none=True, label="End")
    planned_hours = WholeNumber(required=True, minimum=1, maximum=2000, error="Between 1 and 2000 hours.",
                                label="Planned hours")
    status = Choice([s.value for s in AssignmentStatus], load_default=AssignmentStatus.ACTIVE.value, label="Status")

    @validates_schema
    def ends_after_start(self, data, **kwargs):
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("The end comes on or after the start.", "ends_on")
