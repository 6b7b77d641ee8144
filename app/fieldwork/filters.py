"""Marshmallow schemas for the filters of the field-work lists, read from a query string.

Every list takes `page` and `format` (html, csv, xlsx) besides its own filters;
an empty form field means "any", and parameters a list does not know are ignored.
They load into the keys the list queries read (`app/fieldwork/listing.py`), as the API's do.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from app.districts.models import GRADES
from app.fields import Day, Text
from app.fieldwork.models import AssignmentStatus, VisitKind
from app.lists import ListFilters, QueryFilters, an_id
from tenants.roles import Team


class DateRange(ListFilters):
    date_from = Day(data_key="from", load_default=None)
    date_to = Day(data_key="to", load_default=None)

    @validates_schema
    def from_before_to(self, data, **kwargs):
        if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
            raise ValidationError("The end of the range comes on or after its start.", "to")


def a_team():
    """Whose field work: the support team's or the district staff's (`Visit.team`)."""
    return fields.String(load_default=None, validate=validate.OneOf(
        [t.value for t in Team], error="Choose the support team or the district staff."))


class VisitFilters(DateRange):
    school_id = an_id("school")
    cluster_id = an_id("cluster")
    team = a_team()
    lead_id = an_id("lead")  # who conducted or co-observed the visit
    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in VisitKind]))
    has_follow_up = fields.Boolean(data_key="follow_up", load_default=None)


class ObservationFilters(DateRange):
    school_id = an_id("school")
    cluster_id = an_id("cluster")
    team = a_team()
    grade = fields.String(load_default=None, validate=validate.OneOf(GRADES, error="Choose a grade from PK to 12."))
    subject = Text(load_default=None, max_length=80)
    rubric_id = an_id("rubric")


class AssignmentFilters(ListFilters):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in AssignmentStatus]))
    support_type_id = an_id("support_type")
    lead_id = an_id("lead")
    school_id = an_id("school")


class FollowUpFilters(DateRange):
    school_id = an_id("school")
    cluster_id = an_id("cluster")
    lead_id = an_id("lead")
    team = a_team()


class ClusterFilter(QueryFilters):
    """The district dashboard's one filter: a cluster of its schools."""

    cluster = an_id()


class TrendFilters(QueryFilters):
    school = an_id()
    cluster = an_id()
    rubric = an_id()
    version = an_id()  # one version of the rubric; none: every version, followed as one series
