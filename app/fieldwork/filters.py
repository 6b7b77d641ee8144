"""Marshmallow schemas for the filters of the field-work lists, read from a query string.

Every list takes `page` and `format` (html, csv, xlsx) besides its own filters;
an empty form field means "any", and parameters a list does not know are ignored.
"""
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates_schema,
)

from app.districts.models import GRADES
from app.fields import MAX_PAGE, Day, Id, Text, WholeNumber
from app.fieldwork.models import AssignmentStatus, VisitKind

FORMATS = ("html", "csv", "xlsx")


def an_id() -> Id:
    """An optional id of something to filter by (a school, a lead, a rubric)."""
    return Id(load_default=None)


class QueryFilters(Schema):
    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_blanks(self, data, **kwargs):
        # A GET form sends every field, the ones left on "any" as empty strings.
        return {key: value for key, value in data.items() if value.strip()}

    def keys(self) -> frozenset[str]:
        """The query-string names this schema reads: what page and export links carry on."""
        return frozenset(field.data_key or name for name, field in self.load_fields.items())


class ListFilters(QueryFilters):
    page = WholeNumber(load_default=1, minimum=1, maximum=MAX_PAGE, error=f"Pages are numbered from 1 to {MAX_PAGE:,}.")
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS, error="Export as csv or xlsx."))


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
