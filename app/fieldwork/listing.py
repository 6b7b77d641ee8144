"""The field-work lists of a district: visits, observations, supports and follow-ups.

Each list is one query (a `Select`) built from its filters, for the page (`page_of`, 25 rows
with `db.paginate`), its export (every row) and, for visits, observations and supports, the
API's lists too. Filters are a dict keyed by the names below (each optional, None meaning
any); the page's and the API's schemas load their query strings into these keys.
Queries run within the tenant scope; a page also names its district, since a person may reach several.
The columns of each list are here too, one spec for its page and its export, so that both agree
on what they show and who sees it: a column showing a field the visibility book may withhold
(internal notes) names it, and `visible_columns` and its values ask the book.
"""
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, select
from sqlalchemy.orm import contains_eager, lazyload, undefer

from app.clock import state_today
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, SupportAssignment, Visit
from app.fieldwork.services import conducted_or_observed_by, with_delivery
from app.lists import Column, yes_no
from tenants.visibility import visible_value

PER_PAGE = 25


def page_of(statement: Select, number: int) -> Pagination:
    """One page of a list's rows, numbered from 1."""
    page = db.paginate(statement, page=number, per_page=PER_PAGE, error_out=False)
    if page.pages and page.page > page.pages:
        # Past the last page (filters narrowed since the link was made): show the last one.
        page = db.paginate(statement, page=page.pages, per_page=PER_PAGE, error_out=False)
    return page


def rows_of(statement: Select) -> list:
    """Every row of a list, for its export."""
    return list(db.session.scalars(statement).unique())


def _given(filters: dict) -> dict:
    return {key: value for key, value in filters.items() if value is not None}


def _equal(model, filters: dict, names: tuple[str, ...]) -> list:
    """Conditions `model.name == filters[name]` for the names given."""
    return [getattr(model, name) == filters[name] for name in names if name in filters]


def _within(column, start: date | None, end: date | None) -> list:
    """Conditions keeping a date column within an optional range, both ends included."""
    return ([column >= start] if start else []) + ([column <= end] if end else [])


def _of_visits(filters: dict) -> list:
    """Conditions on the visit (of a visit, an observation or a follow-up): its school, the school's cluster, its team."""
    conditions = _equal(Visit, filters, ("school_id", "team"))
    if "cluster_id" in filters:
        # Through the school, an ORM entity: the tenant filter reaches it too.
        conditions.append(select(School.id).where(
            School.district_id == Visit.district_id, School.id == Visit.school_id,
            School.cluster_id == filters["cluster_id"]).exists())
    return conditions


# --- visits -------------------------------------------------------------------------------------


def visit_list(filters: dict) -> Select:
    """Visits, newest first; filters: district_id, school_id, cluster_id, team, lead_id (who conducted or
    co-observed it), kind, has_follow_up, date_from, date_to."""
    filters = _given(filters)
    conditions = [*_equal(Visit, filters, ("district_id", "kind")), *_of_visits(filters),
                  *_within(Visit.visited_on, filters.get("date_from"), filters.get("date_to"))]
    if "lead_id" in filters:
        # A joint visit is on each co-observer's list too (once: the condition is on the visit's own row).
        conditions.append(conducted_or_observed_by(filters["lead_id"]))
    if "has_follow_up" in filters:
        has = Visit.follow_up_on.is_not(None)
        conditions.append(has if filters["has_follow_up"] else ~has)
    return select(Visit).where(*conditions).order_by(Visit.visited_on.desc(), Visit.id.desc())


# --- observations -------------------------------------------------------------------------------


def observation_list(filters: dict) -> Select:
    """Observations, newest visit first; filters: district_id, visit_id, school_id, cluster_id, team (of the visit),
    grade, subject (a part of it), rubric_id, date_from, date_to (of the visit)."""
    filters = _given(filters)
    conditions = [*_equal(Observation, filters, ("district_id", "visit_id", "grade", "rubric_id")),
                  *_of_visits(filters),
                  *_within(Visit.visited_on, filters.get("date_from"), filters.get("date_to"))]
    if "subject" in filters:
        conditions.append(Observation.subject.icontains(filters["subject"].strip(), autoescape=True))
    return (
        select(Observation)
        .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
        .where(*conditions)
        # The visit comes from the join the filters need.
        .options(contains_eager(Observation.visit).lazyload(Visit.observations),
                 contains_eager(Observation.visit).lazyload(Visit.supports))
        .order_by(Visit.visited_on.desc(), Observation.id.desc())
    )


def with_rating_summary(statement: Select) -> Select:
    """`statement` (over Observation) loading each one's `average_rating` and `rated` (look-fors), in the same query."""
    # The summary stands in for the ratings.
    return statement.options(lazyload(Observation.ratings), undefer(Observation.average_rating),
                             undefer(Observation.rated))


# --- support assignments ------------------------------------------------------------------------


def assignment_list(filters: dict) -> Select:
    """Support assignments, latest start first; filters: district_id, status, support_type_id, lead_id, school_id."""
    conditions = _equal(SupportAssignment, _given(filters),
                        ("district_id", "status", "support_type_id", "lead_id", "school_id"))
    return select(SupportAssignment).where(*conditions).order_by(SupportAssignment.starts_on.desc(),
                                                                 SupportAssignment.id)


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_list(filters: dict) -> Select:
    """Visits whose follow-up is not done, the longest overdue first; filters: district_id, school_id, cluster_id,
    team, lead_id, date_from, date_to (of the follow-up)."""
    filters = _given(filters)
    conditions = [
        *_equal(Visit, filters, ("district_id", "lead_id")),
        *_of_visits(filters),
        Visit.follow_up_on.is_not(None),
        Visit.follow_up_done.is_(False),
        *_within(Visit.follow_up_on, filters.get("date_from"), filters.get("date_to")),
    ]
    return (
        select(Visit).where(*conditions)
        .options(lazyload(Visit.observations), lazyload(Visit.supports))
        .order_by(Visit.follow_up_on, Visit.id)
    )


# --- what the list pages and exports show ------------------------------------------------------
# The query the API lists too, with what the page's columns read (and without what they do not).


def visits_shown(filters: dict) -> Select:
    # The list shows no observations; the visit page does.
    return visit_list(filters).options(lazyload(Visit.observations))


def observations_shown(filters: dict) -> Select:
    return with_rating_summary(observation_list(filters))


def assignments_shown(filters: dict) -> Select:
    return with_delivery(assignment_list(filters))


# --- columns: one spec per list, for its page and its export -------------------------------------
# In one order for both; a column only one of them shows says `page=False` or `export=False`.
# `cell` names the page's macro in templates/fieldwork/lists/_cells.html (links, dates, truncated notes).


INTERNAL_NOTES = Column("Internal notes", lambda visit: visible_value(visit, "internal_notes"),
                        shows=("Visit", "internal_notes"), cell="notes")
NEXT_STEPS = Column("Next steps", lambda v: v.next_steps, cell="notes")
PLACE = Column("Place", lambda row: row.place)
LEAD = Column("Lead", lambda row: row.lead.name)
# Who conducted a visit: an assistance lead, or one of the district's own staff.
CONDUCTED_BY = Column("Conducted by", lambda visit: visit.lead.name)
TEAM = Column("Team", lambda visit: visit.team_label)
CO_OBSERVERS = Column("Co-observers", lambda visit: ", ".join(person.name for person in visit.co_observers), page=False)

VISIT_COLUMNS = (
    Column("Date", lambda v: v.visited_on, cell="visit_link", row_header=True),
    PLACE,
    CONDUCTED_BY,
    Column("Kind", lambda v: v.kind.capitalize()),
    Column("Minutes", lambda v: v.minutes, numeric=True),
    Column("Purpose", lambda v: v.purpose),
    Column("Participants", lambda v: v.participants, page=False),
    # Each support with its school, as supports are told apart everywhere: "Direct coaching (Lincoln Elementary)".
    Column("Supports", lambda v: "; ".join(
        f"{s.support_type.name} ({s.school.name if s.school else 'district-wide'})" for s in v.supports)),
    Column("Shared notes", lambda v: v.shared_notes, cell="notes"),
    INTERNAL_NOTES,
    NEXT_STEPS,
    Column("Follow-up", lambda v: v.follow_up_on, cell="follow_up"),
    TEAM,
    Column("Follow-up done", lambda v: yes_no(v.follow_up_done), page=False),
    CO_OBSERVERS,
)

OBSERVATION_COLUMNS = (
    Column("Date", lambda o: o.visit.visited_on, cell="observation_link", row_header=True),
    Column("Place", lambda o: o.visit.place),
    Column("Conducted by", lambda o: CONDUCTED_BY.value(o.visit)),
    Column("Grade", lambda o: o.grade),
    Column("Subject", lambda o: o.subject),
    Column("Minutes", lambda o: o.minutes, numeric=True),
    Column("Rubric", lambda o: str(o.rubric)),
    Column("Look-fors rated", lambda o: o.rated, numeric=True),
    Column("Average rating", lambda o: average(o), cell="two_decimals", numeric=True),
    Column("Team", lambda o: TEAM.value(o.visit)),
    Column("Feedback", lambda o: o.feedback, page=False),
)

ASSIGNMENT_COLUMNS = (
    Column("Support", lambda a: a.support_type.name, row_header=True),
    Column("School", lambda a: a.school.name if a.school else "District-wide"),
    LEAD,
    Column("Period", lambda a: (a.starts_on, a.ends_on), cell="period", export=False),
    Column("Starts", lambda a: a.starts_on, page=False),
    Column("Ends", lambda a: a.ends_on, page=False),
    Column("Status", lambda a: a.status.capitalize()),
    Column("Planned hours", lambda a: a.planned_hours, numeric=True),
    Column("Delivered hours", lambda a: a.delivered_hours, cell="two_decimals", numeric=True),
    Column("Delivered", lambda a: a.delivered_share, cell="percent", numeric=True, export=False),
    Column("Delivered minutes", lambda a: a.delivered_minutes, page=False),
)

FOLLOW_UP_COLUMNS = (
    Column("Due", lambda v: v.follow_up_on, cell="due", row_header=True),
    Column("Overdue", lambda v: yes_no(is_overdue(v)), page=False),
    Column("Visit", lambda v: v.visited_on, cell="visit_link"),
    PLACE,
    CONDUCTED_BY,
    Column("Purpose", lambda v: v.purpose),
    NEXT_STEPS,
    INTERNAL_NOTES,
    TEAM,
)


def is_overdue(visit: Visit, today: date | None = None) -> bool:
    return visit.follow_up_on < (today or state_today())


def average(observation: Observation) -> float | None:
    """The observation's average rating to two decimals, or None when nothing was rated."""
    return round(float(observation.average_rating), 2) if observation.average_rating is not None else None
