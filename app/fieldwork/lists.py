"""List pages of a district's field work, their CSV and Excel exports, and walkthrough trends.

Every person who reads the district sees them; internal notes only those the visibility book
(`tenants/visibility.py`) lets see them, on the page and in the export alike.
An export is the same list with `?format=csv` or `?format=xlsx`: the same filters, every row.
"""
from collections.abc import Callable, Sequence

from flask import g, render_template
from sqlalchemy import Select

from app.districts.blueprint import district_blueprint
from app.districts.models import GRADES
from app.districts.services import clusters_of, schools_of
from app.exports import export_response
from app.fieldwork.filters import AssignmentFilters, FollowUpFilters, ObservationFilters, TrendFilters, VisitFilters
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
from app.fieldwork.services import co_observer_choices, leads_of, support_types
from app.fieldwork.trends import rated_versions, rubric_versions_for, rubrics_to_follow, walkthrough_trends
from app.forms import InvalidInput
from app.lists import (
    Column,
    ListFilters,
    choices,
    enum_choices,
    filters_from_query,
    in_export,
    on_page,
    url_maker,
    visible_columns,
)
from tenants.models import District
from tenants.roles import Team

bp = district_blueprint("lists", __name__)


@bp.get("/visits")
def visits():
    district = g.district
    return _list(district, "visits", VisitFilters(), visits_shown, VISIT_COLUMNS, lambda: {
        **_where_and_whose(district),
        # The list shows the visits each did or joined.
        "people": _who_may_conduct(district),
        "kinds": enum_choices(VisitKind),
    })


@bp.get("/observations")
def observations():
    district = g.district
    return _list(district, "observations", ObservationFilters(), observations_shown, OBSERVATION_COLUMNS, lambda: {
        **_where_and_whose(district),
        "grades": [(grade, grade) for grade in GRADES],
        "rubrics": choices(rubric_versions_for(district), str),
    })


@bp.get("/assignments")
def assignments():
    district = g.district
    return _list(district, "assignments", AssignmentFilters(), assignments_shown, ASSIGNMENT_COLUMNS, lambda: {
        "statuses": enum_choices(AssignmentStatus),
        "support_types": choices(support_types()),
        "leads": choices(leads_of(district)),
        "schools": choices(schools_of(district)),
    })


@bp.get("/follow-ups")
def follow_ups():
    district = g.district
    return _list(district, "follow-ups", FollowUpFilters(), follow_up_list, FOLLOW_UP_COLUMNS,
                 lambda: {**_where_and_whose(district), "people": _who_may_conduct(district), "is_overdue": is_overdue})


@bp.get("/trends")
def trends():
    district = g.district
    options = {"schools": choices(schools_of(district)), "clusters": choices(clusters_of(district)),
               "rubrics": choices(rubrics_to_follow(district)), "versions": []}
    filters, errors = filters_from_query(TrendFilters())
    if not errors:
        try:
            found = walkthrough_trends(district, filters["rubric"], filters["school"], filters["version"],
                                       filters["cluster"])
        except InvalidInput as invalid:
            errors = invalid.messages
    if errors:
        return render_template("fieldwork/lists/trends.html", district=district, trends=None, errors=errors,
                               **options), 400
    options["versions"] = choices(rated_versions(district, found.rubric), lambda v: f"Version {v.version} only")
    return render_template("fieldwork/lists/trends.html", district=district, trends=found, errors={}, **options)


def _who_may_conduct(district: District) -> list[tuple[int, str]]:
    """Anyone who may conduct or co-observe a visit in the district (its leads, director and own people)."""
    return [(person.id, person.name) for person, _ in co_observer_choices(district)]


def _where_and_whose(district: District) -> dict:
    """The choices of the filters the visit, observation and follow-up lists share: school, cluster, team."""
    return {"schools": choices(schools_of(district)), "clusters": choices(clusters_of(district)),
            "teams": enum_choices(Team)}


def _list(district: District, name: str, schema: ListFilters, rows: Callable[[dict], Select],
          columns: Sequence[Column], options: Callable[[], dict]):
    """Show a page of a filtered list, or export all of its rows; bad filters are explained (400)."""
    url_with = url_maker(schema.keys())
    template = f"fieldwork/lists/{name}.html"
    filters, errors = filters_from_query(schema)
    offered = options()
    errors = errors or _not_of_the_district(district, filters, offered)
    if errors:
        return render_template(template, district=district, page=None, errors=errors, url_with=url_with,
                               **offered), 400
    file_format, number = filters.pop("format"), filters.pop("page")
    found = rows(filters | {"district_id": district.id})
    # One spec for page and export: the same columns, in the same order, for the same viewers.
    columns = visible_columns(columns, district.id)
    if file_format != "html":
        return export_response(rows_of(found), in_export(columns), file_format, f"{district.slug}-{name}")
    return render_template(template, district=district, page=page_of(found, number), columns=on_page(columns),
                           errors={}, url_with=url_with, **offered)


# The filters naming a row of the district, with the choices that offer those rows and the message when one is not.
PLACES = (("school_id", "school", "schools", "Choose a school of {}."),
          ("cluster_id", "cluster", "clusters", "Choose a cluster of {}."))


def _not_of_the_district(district: District, filters: dict, offered: dict) -> dict:
    """A school or cluster that is not one of the district's is explained (400), as on the trends and the
    dashboard, rather than answered with an empty list that reads as "nothing happened there"."""
    return {parameter: [message.format(district.name)]
            for key, parameter, offered_as, message in PLACES
            if filters.get(key) is not None and offered_as in offered
            and filters[key] not in {value for value, _ in offered[offered_as]}}
