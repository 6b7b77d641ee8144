"""The dashboard's filters and sort orders, read from the query string (a GET form)."""

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from app.clock import state_today
from app.fields import Day
from app.lists import FORMATS, QueryFilters, an_id
from app.regional.services import SECTIONS, Criteria, school_year_start
from tenants.models import AccountabilityStatus


def _sort_of(section: str) -> fields.String:
    """A sort key of one table: a column name, descending with a leading "-"."""
    keys = SECTIONS[section][1]
    return fields.String(load_default=None, data_key=f"sort-{section}",
                         validate=validate.OneOf([*keys, *(f"-{key}" for key in keys)],
                                                 error="Sort by one of the table's columns."))


class DashboardFilters(QueryFilters):
    region = an_id()
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in AccountabilityStatus]))
    support_type = an_id()
    date_from = Day(data_key="from", load_default=None)
    date_to = Day(data_key="to", load_default=None)
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS, error="Export as csv or xlsx."))
    table = fields.String(load_default=None, validate=validate.OneOf(list(SECTIONS), error="Choose a table."))
    sort_coverage_districts = _sort_of("coverage-districts")
    sort_coverage_schools = _sort_of("coverage-schools")
    sort_coverage_staff = _sort_of("coverage-staff")
    sort_capacity = _sort_of("capacity")
    sort_deployment = _sort_of("deployment")
    sort_plans = _sort_of("plans")

    @validates_schema
    def coherent(self, data, **kwargs):
        if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
            raise ValidationError("The end of the period comes on or after its start.", "to")
        if data["format"] != "html" and data["table"] is None:
            raise ValidationError("Choose the table to export.", "table")

    @post_load
    def criteria(self, data, **kwargs):
        """The criteria of every section (the period defaults to this school year), the table and sorts."""
        end = data["date_to"] or state_today()
        start = data["date_from"] or school_year_start(end)
        if start > end:
            raise ValidationError("The period ends today unless you choose an end after its start.", "to")
        return {
            "criteria": Criteria(start=start, end=end,
                                 region_id=data["region"], status=data["status"],
                                 support_type_id=data["support_type"]),
            "format": data["format"],
            "table": data["table"],
            "sorts": {section: data[f"sort_{section.replace('-', '_')}"] for section in SECTIONS},
        }
