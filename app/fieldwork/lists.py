"""List pages of a district's field work, their CSV and Excel exports, and walkthrough trends.

Every person who reads the district sees them; internal notes only those the visibility book
(`tenants/visibility.py`) lets see them, on the page and in the export alike.
An export is the same list with `?format=csv` or `?format=xlsx`: the same filters, every row.
"""
from collections.abc import Callable, Sequence

from flask import g, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import Select

from app.districts.blueprint import district_blueprint
from app.districts.models import GRADES
from app.exports import export_response
from app.fieldwork.filters import (
    AssignmentFilters,
    FollowUpFilters,
    ObservationFilters,
    TrendFilters,
    VisitFilters,
)
from app.fieldwork.listing import (
    ASSIGNMENT_COLUMNS,
    FOLLOW_UP_COLUMNS,
    OBSERVATION_COLUMNS,
    VISIT_COLUMNS,
    assignments_shown,
    follow_up_list,
    is_overdue,
    observations_shown,
    page_of,
    rows_of,
    visits_shown,
)
from app.fieldwork.models import AssignmentStatus, VisitKind
from app.fieldwork.services import (
    leads_of,
    support_types,
)
from app.fieldwork.trends import (
    rated_versions,
    rubric_versions_for,
    rubrics_to_follow,
    walkthrough_trends,
)
from app.forms import InvalidInput, flatten_errors
from app.home.services import schools_of
from app.lists import Column, ListFilters, visible_columns
from tenants.models import District

bp = district_blueprint("lists", __name__)


@bp.get("/visits")
def visits():
    district = g.district
    return _list(district, "visits", VisitFilters(), visits_shown, VISIT_COLUMNS, lambda: {
        "schools": _choices(schools_of(district)),
        "leads": _choices(leads_of(district)),
        "kinds": [(kind.value, kind.value.capitalize()) for kind in VisitKind],
    })


@bp.get("/observations")
def observations():
    district = g.district
    return _list(district, "observations", ObservationFilters(), observations_shown, OBSERVATION_COLUMNS, lambda: {
        "schools": _choices(schools_of(district)),
        "grades": [(grade, grade) for grade in GRADES],
        "rubrics": _choices(rubric_versions_for(district), str),
    })


@bp.get("/assignments")
def assignments():
    district = g.district
    return _list(district, "assignments", AssignmentFilters(), assignments_shown, ASSIGNMENT_COLUMNS, lambda: {
        "statuses": [(status.value, status.value.capitalize()) for status in AssignmentStatus],
        "support_types": _choices(support_types()),
        "leads": _choices(leads_of(district)),
        "schools": _choices(schools_of(district)),
    })


@bp.get("/follow-ups")
def follow_ups():
    district = g.district
    return _list(district, "follow-ups", FollowUpFilters(), follow_up_list, FOLLOW_UP_COLUMNS,
                 lambda: {"leads": _choices(leads_of(district)), "is_overdue": is_overdue})


@bp.get("/trends")
def trends():
    district = g.district
    choices = {"schools": _choices(schools_of(district)), "rubrics": _choices(rubrics_to_follow(district)),
               "versions": []}
    try:
        filters = TrendFilters().load(request.args)
        found = walkthrough_trends(district, filters["rubric"], filters["school"], filters["version"])
    except (ValidationError, InvalidInput) as error:
        return render_template("fieldwork/lists/trends.html", district=district, trends=None,
                               errors=flatten_errors(error.messages), **choices), 400
    choices["versions"] = _choices(rated_versions(district, found.rubric), lambda v: f"Version {v.version} only")
    return render_template("fieldwork/lists/trends.html", district=district, trends=found, errors={}, **choices)


def _list(district: District, name: str, schema: ListFilters, rows: Callable[[dict], Select],
          columns: Sequence[Column], choices: Callable[[], dict]):
    """Show a page of a filtered list, or export all of its rows; bad filters are explained (400)."""
    url_with = _url_maker(schema.keys())
    template = f"fieldwork/lists/{name}.html"
    try:
        filters = schema.load(request.args)
    except ValidationError as error:
        return render_template(template, district=district, page=None, errors=flatten_errors(error.messages),
                               url_with=url_with, **choices()), 400
    file_format, number = filters.pop("format"), filters.pop("page")
    found = rows(filters | {"district_id": district.id})
    if file_format != "html":
        return export_response(rows_of(found), visible_columns(columns, district.id), file_format,
                               f"{district.slug}-{name}")
    return render_template(template, district=district, page=page_of(found, number), errors={},
                           url_with=url_with, **choices())


def _url_maker(keys: frozenset[str]) -> Callable[..., str]:
    """A function giving this page's URL with its filters, changed by keyword (None drops one)."""

    def url_with(**changes) -> str:
        # Only the schema's own names: nothing else in the query string is echoed into links.
        args = {key: value for key, value in request.args.items() if key in keys and value.strip()}
        args = {key: value for key, value in (args | changes).items() if value is not None}
        return url_for(request.endpoint, **args)

    return url_with


def _choices(rows, label: Callable = lambda row: row.name) -> list[tuple[int, str]]:
    """(id, label) pairs for a filter's select."""
    return [(row.id, label(row)) for row in rows]
