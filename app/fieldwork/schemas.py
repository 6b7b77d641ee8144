"""Marshmallow schemas for visits and observations, shared by the forms and the API.

They check what can be checked without the database (types, ranges, lengths,
dates); the services check the rest (a school of the district, a look-for of
the rubric, a rating on its scale) and report it under the same field names.
"""
from datetime import UTC, date, timedelta

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.districts.models import GRADES
from app.fieldwork.models import AssignmentStatus, VisitKind

EARLIEST = date(2000, 1, 1)
SHORT = validate.Length(max=300)
LONG = validate.Length(max=10_000)


def not_in_the_future(value: date) -> None:
    # One day of slack: a phone in another time zone may already be on tomorrow.
    if value > date.today() + timedelta(days=1):
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


class RatingSchema(Schema):
    look_for_id = fields.Integer(required=True)
    rating = fields.Integer(required=True)
    evidence = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ObservationSchema(Schema):
    id = fields.Integer(dump_only=True)
    visit_id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    rubric_id = fields.Integer(required=True)
    grade = fields.String(required=True, validate=validate.OneOf(GRADES, error="Choose a grade from PK to 12."))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=80))
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=240, error="Between 1 and 240 minutes."))
    feedback = fields.String(load_default=None, allow_none=True, validate=LONG)
    ratings = fields.List(fields.Nested(RatingSchema), load_default=list)


class VisitSchema(Schema):
    id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    lead_id = fields.Integer(dump_only=True)
    client_uuid = fields.UUID(required=True)
    # When the visit was captured (an offline one may reach the server days later): see rubric_accepts.
    captured_at = fields.AwareDateTime(load_default=None, allow_none=True, load_only=True, default_timezone=UTC)
    school_id = fields.Integer(load_default=None, allow_none=True)
    visited_on = fields.Date(required=True, validate=not_in_the_future)
    minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=1440, error="Between 1 and 1440 minutes (a day)."))
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in VisitKind]))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=300))
    participants = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    support_ids = fields.List(fields.Integer(), load_default=list)
    shared_notes = fields.String(load_default=None, allow_none=True, validate=LONG)
    internal_notes = fields.String(load_default=None, allow_none=True, validate=LONG)
    next_steps = fields.String(load_default=None, allow_none=True, validate=LONG)
    follow_up_on = fields.Date(load_default=None, allow_none=True)
    follow_up_done = fields.Boolean(load_default=False)
    observations = fields.List(fields.Nested(ObservationSchema), load_default=list)

    @validates_schema
    def follow_up_after_visit(self, data, **kwargs):
        problem = follow_up_problem(data.get("visited_on"), data.get("follow_up_on"))
        if problem:
            raise ValidationError(problem, "follow_up_on")


class AssignmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    district_id = fields.Integer(dump_only=True)
    school_id = fields.Integer(load_default=None, allow_none=True)
    support_type_id = fields.Integer(required=True)
    lead_id = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None, allow_none=True)
    planned_hours = fields.Integer(required=True, validate=validate.Range(min=1, max=2000, error="Between 1 and 2000 hours."))
    status = fields.String(load_default=AssignmentStatus.ACTIVE.value,
                           validate=validate.OneOf([s.value for s in AssignmentStatus]))

    @validates_schema
    def ends_after_start(self, data, **kwargs):
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError("The end comes on or after the start.", "ends_on")
