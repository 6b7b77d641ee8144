"""Marshmallow schemas for the filters of the field-work lists, read from a query string.

Every list takes `page` and `format` (html, csv, xlsx) besides its own filters;
an empty form field means "any", and parameters a list does not know are ignored.
"""
from marshmallow import (
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from app.districts.models import GRADES
from app.fields import Day, Text
from app.fieldwork.models import AssignmentStatus, VisitKind
from app.lists import ListFilters, QueryFilters, an_id


class DateRange(ListFilters):
    date_from = Day(data_key="from", load_default=None)
    date_to = Day(data_key="to", load_default=None)

    @validates_schema
    def from_before_to(self, data, **kwargs):
        if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
            raise ValidationError("The end of the range comes on or after its start.", "to")


class VisitFilters(DateRange):
    school = an_id()
    lead = an_id()
    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in VisitKind]))
    has_follow_up = fields.Boolean(data_key="follow_up", load_default=None)


class ObservationFilters(DateRange):
    school = an_id()
    grade = fields.String(load_default=None, validate=validate.OneOf(GRADES, error="Choose a grade from PK to 12."))
    subject = Text(load_default=None, max_length=80)
    rubric = an_id()


class AssignmentFilters(ListFilters):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in AssignmentStatus]))
    support_type = an_id()
    lead = an_id()
    school = an_id()


class FollowUpFilters(DateRange):
    lead = an_id()


class TrendFilters(QueryFilters):
    school = an_id()
    rubric = an_id()
    version = an_id()  # one version of the rubric; none: every version, followed as one series
