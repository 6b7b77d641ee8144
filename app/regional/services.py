"""Figures across districts for regional directors: coverage, capacity and equitable deployment.

Every figure is one SQL statement (aggregates and window functions, never rows
summed in Python), run inside `cross_district_reads`, the tenancy layer's one
permission-checked door: a director reaches the districts of their regions, an
admin every district, anyone else is refused (403). A section returns the rows
shown (sorted, at most `limit`) with the totals over all matching rows, which
window functions compute before the limit applies; an export asks for every row.

Which team's work each section measures: coverage (by district and by school, with the follow-ups overdue),
capacity and equitable deployment measure the state support team's work, as they did before districts logged
visits of their own: they count visits with `team = support_team` only. The district staff's visits are a figure
of their own (`staff_coverage_by_school`): per school needing assistance, its visits by the district's staff in the
period beside the support team's, so that a director sees the schools nobody visits. Rows are visits: a joint visit
(with co-observers) counts once, for its author's team.

Each statement is built once per shape (which filters are set, the sort, the
limit) with the criteria as bound parameters, and reused: building a statement
costs more than a region's database work, and the same text lets SQLAlchemy's
compiled cache and PostgreSQL's prepared statements serve every later run.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    Numeric,
    Row,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    null,
    select,
    true,
)

from app.accounts.models import RoleGrant, User
from app.clock import school_year_start  # noqa: F401  (the regional figures' default period: imported from here too)
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import AssignmentStatus, SupportAssignment, SupportType, Visit, VisitSupport
from app.home.services import NEEDS_ASSISTANCE
from app.plans.equity import progress_by_district
from app.plans.health import health_by_district
from app.sql import days_between, median_of
from tenants.access import director_region_ids, is_platform_admin
from tenants.lookup import cross_district_reads
from tenants.models import District, Region
from tenants.roles import Role, Team
from tenants.session import REUSED_STATEMENT

ROWS_SHOWN = 50
COVERAGE_WINDOWS = (30, 60, 90)
# A lead's hours for district work in a week: what planned hours are weighed against.
LEAD_WEEKLY_HOURS = 20
# A lead is under-loaded below this share of their capacity, over-loaded above all of it.
UNDER_LOADED = 0.5
# A district is flagged when its hours per school needing assistance are this far from the median.
FAR_BELOW_MEDIAN = 0.5
FAR_ABOVE_MEDIAN = 2.0


@dataclass(frozen=True)
class Shape:
    """Which filters are set: what a section's statement looks like, whatever their values."""

    status: bool
    support_type: bool


@dataclass(frozen=True)
class Criteria:
    """What the director filtered by: districts (region, status), supports, and the period."""

    start: date
    end: date
    region_id: int | None = None
    status: str | None = None
    support_type_id: int | None = None

    @property
    def weeks(self) -> float:
        return ((self.end - self.start).days + 1) / 7

    @property
    def lead_capacity_hours(self) -> float:
        return round(self.weeks * LEAD_WEEKLY_HOURS, 1)

    @property
    def shape(self) -> Shape:
        return Shape(status=self.status is not None, support_type=self.support_type_id is not None)

    def values(self) -> dict:
        """The values bound into every section's statement (the region narrows the door, not the SQL)."""
        return {
            "start": self.start, "end": self.end, "status": self.status, "support_type_id": self.support_type_id,
            "weeks": self.weeks, "capacity": self.lead_capacity_hours,
            **{f"since_{days}": self.end - timedelta(days=days) for days in COVERAGE_WINDOWS},
        }


# The criteria in the statements, bound at each run by `Criteria.values`.
START, END = bindparam("start", type_=Date), bindparam("end", type_=Date)
STATUS, SUPPORT_TYPE = bindparam("status", type_=String), bindparam("support_type_id", type_=Integer)
WEEKS, CAPACITY = bindparam("weeks", type_=Float), bindparam("capacity", type_=Float)
SINCE = {days: bindparam(f"since_{days}", type_=Date) for days in COVERAGE_WINDOWS}


@dataclass(frozen=True)
class Section:
    """The rows of one table as shown, and its totals over every matching row."""

    rows: list[Row]
    total: int
    totals: dict = field(default_factory=dict)


def _rows(statement, criteria: Criteria) -> list[Row]:
    return db.session.execute(statement, criteria.values(), execution_options={REUSED_STATEMENT: True}).all()


# --- conditions every section shares ------------------------------------------------------------


def _district_conditions(shape: Shape) -> list[ColumnElement]:
    """The districts the filters keep (the door has already narrowed them to the region)."""
    return [District.accountability_status == STATUS] if shape.status else []


def _visit_conditions(shape: Shape, *, in_period: bool) -> list[ColumnElement]:
    """The support team's visits up to the period's end (from its start too when `in_period`), of the chosen
    support type."""
    conditions = [Visit.team == Team.SUPPORT, Visit.visited_on <= END]
    if in_period:
        conditions.append(Visit.visited_on >= START)
    if shape.support_type:
        conditions.append(
            select(VisitSupport.visit_id)
            .join(SupportAssignment, and_(SupportAssignment.district_id == VisitSupport.district_id,
                                          SupportAssignment.id == VisitSupport.support_assignment_id))
            .where(VisitSupport.district_id == Visit.district_id, VisitSupport.visit_id == Visit.id,
                   SupportAssignment.support_type_id == SUPPORT_TYPE)
            .exists()
        )
    return conditions


def _needs_assistance():
    return School.accountability_category.in_(NEEDS_ASSISTANCE)


def _last_school_visits(shape: Shape):
    """Each school's last visit up to the period's end: (district_id, school_id, last_visit)."""
    return (
        select(Visit.district_id, Visit.school_id, func.max(Visit.visited_on).label("last_visit"))
        .where(Visit.school_id.is_not(None), *_visit_conditions(shape, in_period=False))
        .group_by(Visit.district_id, Visit.school_id)
        .subquery("last_school_visits")
    )


def _ordered(statement, sorts: dict[str, Callable], sort: str, limit: int | None, tiebreak: str):
    """Order by a sort key ("name" ascending, "-name" descending), NULLs last, then by `tiebreak`."""
    columns = statement.selected_columns
    expression = sorts[sort.lstrip("-")](columns)
    ordering = expression.desc() if sort.startswith("-") else expression.asc()
    return statement.order_by(ordering.nulls_last(), columns[tiebreak]).limit(limit)


def _by(name: str) -> Callable:
    return lambda columns: columns[name]


def _sorts_by(*names: str) -> dict[str, Callable]:
    """Sort keys that each order by the selected column of the same name."""
    return {name: _by(name) for name in names}


# --- coverage -----------------------------------------------------------------------------------

NEVER = 10**6  # sorts never-visited schools as the longest unvisited

SCHOOL_SORTS = {
    **_sorts_by("district", "school", "last_visit"),
    "days_since": lambda columns: func.coalesce(columns["days_since"], NEVER),
}


def coverage_by_school(criteria: Criteria, sort: str = "-days_since", limit: int | None = ROWS_SHOWN) -> Section:
    """Schools needing assistance with their last visit and the days since, never visited first."""
    rows = _rows(_coverage_by_school(criteria.shape, sort, limit), criteria)
    return Section(rows, rows[0].matching if rows else 0)


@cache
def _coverage_by_school(shape: Shape, sort: str, limit: int | None):
    last = _last_school_visits(shape)
    statement = (
        select(
            District.slug, District.name.label("district"), School.id.label("school_id"),
            School.name.label("school"), School.accountability_category.label("category"),
            last.c.last_visit, days_between(last.c.last_visit, END).label("days_since"),
            func.count().over().label("matching"),
        )
        .join(District, District.id == School.district_id)
        .outerjoin(last, and_(last.c.district_id == School.district_id, last.c.school_id == School.id))
        .where(_needs_assistance(), *_district_conditions(shape))
    )
    return _ordered(statement, SCHOOL_SORTS, sort, limit, "school_id")


DISTRICT_COVERAGE_SORTS = _sorts_by(
    "district", "region", "needing", *(f"visited_{days}" for days in COVERAGE_WINDOWS),
    "share_90", "never_visited", "last_visit", "overdue",
)


def coverage_by_district(criteria: Criteria, sort: str = "share_90", limit: int | None = ROWS_SHOWN) -> Section:
    """Per district with schools needing assistance: how many were visited in 30/60/90 days, never,
    its last visit anywhere, and follow-ups overdue at the period's end; totals over all of them."""
    rows = _rows(_coverage_by_district(criteria.shape, sort, limit), criteria)
    return Section(rows, rows[0].matching if rows else 0, _coverage_totals(rows[0] if rows else None))


@cache
def _coverage_by_district(shape: Shape, sort: str, limit: int | None):
    last = _last_school_visits(shape)

    def visited_within(days: int):
        return func.sum(case((last.c.last_visit > SINCE[days], 1), else_=0))

    schools = (
        select(
            School.district_id, func.count().label("needing"),
            *(visited_within(days).label(f"visited_{days}") for days in COVERAGE_WINDOWS),
            func.sum(case((last.c.last_visit.is_(None), 1), else_=0)).label("never_visited"),
        )
        .outerjoin(last, and_(last.c.district_id == School.district_id, last.c.school_id == School.id))
        .where(_needs_assistance())
        .group_by(School.district_id)
        .subquery("needing_schools")
    )
    overdue = and_(Visit.follow_up_on < END, Visit.follow_up_done.is_(False))
    activity = (
        select(Visit.district_id, func.max(Visit.visited_on).label("last_visit"),
               func.sum(case((overdue, 1), else_=0)).label("overdue"))
        .where(*_visit_conditions(shape, in_period=False))
        .group_by(Visit.district_id)
        .subquery("district_activity")
    )
    overdue_count = func.coalesce(activity.c.overdue, 0)
    statement = (
        select(
            District.slug, District.name.label("district"), Region.name.label("region"),
            District.accountability_status.label("status"), schools.c.needing,
            *(schools.c[f"visited_{days}"] for days in COVERAGE_WINDOWS),
            (100.0 * schools.c.visited_90 / schools.c.needing).label("share_90"),
            schools.c.never_visited, activity.c.last_visit,
            days_between(activity.c.last_visit, END).label("days_since"),
            overdue_count.label("overdue"),
            func.count().over().label("matching"),
            func.sum(schools.c.needing).over().label("total_needing"),
            *(func.sum(schools.c[f"visited_{days}"]).over().label(f"total_visited_{days}")
              for days in COVERAGE_WINDOWS),
            func.sum(schools.c.never_visited).over().label("total_never_visited"),
            func.sum(overdue_count).over().label("total_overdue"),
        )
        .join(Region, Region.id == District.region_id)
        .join(schools, schools.c.district_id == District.id)
        .outerjoin(activity, activity.c.district_id == District.id)
        .where(*_district_conditions(shape))
    )
    return _ordered(statement, DISTRICT_COVERAGE_SORTS, sort, limit, "slug")


def _coverage_totals(first: Row | None) -> dict:
    """The headline: schools needing assistance, the share visited in each window, never visited, overdue."""
    needing = int(first.total_needing) if first else 0
    totals = {"needing": needing, "never_visited": int(first.total_never_visited) if first else 0,
              "overdue": int(first.total_overdue) if first else 0}
    for days in COVERAGE_WINDOWS:
        visited = int(getattr(first, f"total_visited_{days}")) if first else 0
        totals[f"visited_{days}"] = visited
        totals[f"share_{days}"] = round(100 * visited / needing) if needing else 0
    totals["share_never"] = round(100 * totals["never_visited"] / needing) if needing else 0
    return totals


STAFF_SORTS = {
    **_sorts_by("district", "school", "staff_visits", "support_visits", "last_staff_visit"),
    # Nobody's first: the schools with the fewest visits by either team in the period.
    "visits": lambda columns: columns["staff_visits"] + columns["support_visits"],
}


def staff_coverage_by_school(criteria: Criteria, sort: str = "visits", limit: int | None = ROWS_SHOWN) -> Section:
    """Schools needing assistance with their visits by the district's own staff in the period (and the last one),
    beside the support team's: the schools nobody visited (neither team) first; totals over all of them.

    Visits of any support type: the district's staff serve no support of the catalog."""
    rows = _rows(_staff_coverage_by_school(criteria.shape, sort, limit), criteria)
    return _with_totals(rows, ("needing", "staff_visited", "staff_visits", "nobody"))


def _with_totals(rows: list, names: tuple[str, ...]) -> Section:
    """A section whose rows each carry the count of matching rows and the `total_<name>` figures over all of them
    (window functions of the section's statement): read from the first row, zero when there is none."""
    first = rows[0] if rows else None
    return Section(rows, first.matching if first else 0,
                   {name: int(getattr(first, f"total_{name}")) if first else 0 for name in names})


@cache
def _staff_coverage_by_school(shape: Shape, sort: str, limit: int | None):
    by_staff, in_period = Visit.team == Team.DISTRICT, Visit.visited_on >= START
    visits = (
        select(
            Visit.district_id, Visit.school_id,
            func.sum(case((and_(by_staff, in_period), 1), else_=0)).label("staff_visits"),
            func.max(case((by_staff, Visit.visited_on), else_=null())).label("last_staff_visit"),
            func.sum(case((and_(~by_staff, in_period), 1), else_=0)).label("support_visits"),
        )
        .where(Visit.school_id.is_not(None), Visit.visited_on <= END)
        .group_by(Visit.district_id, Visit.school_id)
        .subquery("school_visits_by_team")
    )
    staff_visits = func.coalesce(visits.c.staff_visits, 0)
    support_visits = func.coalesce(visits.c.support_visits, 0)
    nobody = and_(staff_visits == 0, support_visits == 0)
    statement = (
        select(
            District.slug, District.name.label("district"), School.id.label("school_id"),
            School.name.label("school"), School.accountability_category.label("category"),
            staff_visits.label("staff_visits"), visits.c.last_staff_visit,
            days_between(visits.c.last_staff_visit, END).label("days_since_staff"),
            support_visits.label("support_visits"), nobody.label("nobody"),
            func.count().over().label("matching"),
            func.count().over().label("total_needing"),
            func.sum(case((staff_visits > 0, 1), else_=0)).over().label("total_staff_visited"),
            func.sum(staff_visits).over().label("total_staff_visits"),
            func.sum(case((nobody, 1), else_=0)).over().label("total_nobody"),
        )
        .join(District, District.id == School.district_id)
        .outerjoin(visits, and_(visits.c.district_id == School.district_id, visits.c.school_id == School.id))
        .where(_needs_assistance(), *_district_conditions(shape))
    )
    return _ordered(statement, STAFF_SORTS, sort, limit, "school_id")


# --- capacity -----------------------------------------------------------------------------------

LEAD_SORTS = _sorts_by("lead", "districts", "schools", "planned_hours", "delivered_hours", "visits_per_week", "load")


def capacity_by_lead(criteria: Criteria, sort: str = "-load", limit: int | None = ROWS_SHOWN) -> Section:
    """Per assistance lead of these districts: districts and schools assigned, planned hours in the
    period (pro-rated by days for a support running beyond it), delivered hours (visit minutes),
    visits per week, and planned hours against capacity; the team's totals."""
    rows = _rows(_capacity_by_lead(criteria.shape, sort, limit), criteria)
    first = rows[0] if rows else None
    leads = first.matching if first else 0
    capacity = criteria.lead_capacity_hours
    return Section(rows, leads, {
        "leads": leads,
        "capacity": round(leads * capacity, 1),
        "planned": float(first.team_planned) if first else 0.0,
        "delivered": float(first.team_delivered) if first else 0.0,
        "visits": int(first.team_visits) if first else 0,
        "lead_capacity": capacity,
        "weekly_hours": LEAD_WEEKLY_HOURS,
    })


def _of_chosen_districts(statement, district_id, shape: Shape):
    """Narrow to the districts of the chosen status; with none chosen, the tenant filter is narrow enough."""
    if not shape.status:
        return statement
    return statement.join(District, District.id == district_id).where(*_district_conditions(shape))


@cache
def _capacity_by_lead(shape: Shape, sort: str, limit: int | None):
    # Grants are not tenant rows: the join to the districts is what holds them to the scope.
    grants = (
        select(RoleGrant.user_id.label("lead_id"), func.count().label("districts"))
        .join(District, District.id == RoleGrant.district_id)
        .where(RoleGrant.role == Role.ASSISTANCE_LEAD, *_district_conditions(shape))
        .group_by(RoleGrant.user_id)
        .subquery("lead_grants")
    )
    ends = func.coalesce(SupportAssignment.ends_on, END)
    overlap_start = case((SupportAssignment.starts_on > START, SupportAssignment.starts_on), else_=START)
    overlap_end = case((ends < END, ends), else_=END)
    share_in_period = (
        cast(days_between(overlap_start, overlap_end) + 1, Float)
        / (days_between(SupportAssignment.starts_on, ends) + 1)
    )
    type_filter = [SupportAssignment.support_type_id == SUPPORT_TYPE] if shape.support_type else []
    planned = _of_chosen_districts(
        select(SupportAssignment.lead_id,
               func.sum(SupportAssignment.planned_hours * share_in_period).label("planned_hours"),
               func.count(func.distinct(SupportAssignment.school_id)).label("schools"))
        .where(SupportAssignment.status != AssignmentStatus.CANCELLED,
               SupportAssignment.starts_on <= END, ends >= START, *type_filter),
        SupportAssignment.district_id, shape,
    ).group_by(SupportAssignment.lead_id).subquery("planned")
    delivered = _of_chosen_districts(
        select(Visit.lead_id, func.sum(Visit.minutes).label("minutes"), func.count().label("visits"))
        .where(*_visit_conditions(shape, in_period=True)),
        Visit.district_id, shape,
    ).group_by(Visit.lead_id).subquery("delivered")
    planned_hours = func.round(cast(func.coalesce(planned.c.planned_hours, 0), Numeric), 1)
    delivered_hours = func.round(cast(func.coalesce(delivered.c.minutes, 0) / 60.0, Numeric), 1)
    load = func.round(cast(100 * func.coalesce(planned.c.planned_hours, 0) / CAPACITY, Numeric))
    statement = (
        select(
            User.id.label("lead_id"), User.name.label("lead"), grants.c.districts,
            func.coalesce(planned.c.schools, 0).label("schools"),
            planned_hours.label("planned_hours"), delivered_hours.label("delivered_hours"),
            func.coalesce(delivered.c.visits, 0).label("visits"),
            func.round(cast(func.coalesce(delivered.c.visits, 0) / WEEKS, Numeric), 1).label("visits_per_week"),
            load.label("load"),
            case((load > 100, "over"), (load < 100 * UNDER_LOADED, "under"), else_=null()).label("flag"),
            func.count().over().label("matching"),
            func.sum(planned_hours).over().label("team_planned"),
            func.sum(delivered_hours).over().label("team_delivered"),
            func.sum(func.coalesce(delivered.c.visits, 0)).over().label("team_visits"),
        )
        .join(grants, grants.c.lead_id == User.id)
        .outerjoin(planned, planned.c.lead_id == User.id)
        .outerjoin(delivered, delivered.c.lead_id == User.id)
    )
    return _ordered(statement, LEAD_SORTS, sort, limit, "lead_id")


# --- equitable deployment -----------------------------------------------------------------------

EQUITY_SORTS = _sorts_by(
    "district", "region", "needing", "enrollment", "hours", "hours_per_school", "hours_per_thousand", "ratio",
)


def deployment_by_district(criteria: Criteria, sort: str = "ratio", limit: int | None = ROWS_SHOWN) -> Section:
    """Hours delivered per district in the period against its need (schools needing assistance,
    enrollment), with the ratio to the median district and the districts far from it flagged."""
    rows = _rows(_deployment_by_district(criteria.shape, sort, limit), criteria)
    first = rows[0] if rows else None
    return Section(rows, first.matching if first else 0, {
        "median": float(first.median) if first and first.median is not None else None,
        "below": int(first.below) if first else 0,
        "above": int(first.above) if first else 0,
    })


@cache
def _deployment_by_district(shape: Shape, sort: str, limit: int | None):
    need = (
        select(School.district_id, func.count().label("needing"))
        .where(_needs_assistance())
        .group_by(School.district_id)
        .subquery("need")
    )
    delivered = (
        select(Visit.district_id, (func.sum(Visit.minutes) / 60.0).label("hours"))
        .where(*_visit_conditions(shape, in_period=True))
        .group_by(Visit.district_id)
        .subquery("delivered")
    )
    hours = func.coalesce(delivered.c.hours, 0)
    needing = func.coalesce(need.c.needing, 0)
    rates = (
        select(
            District.id.label("district_id"), District.slug, District.name.label("district"),
            Region.name.label("region"), District.accountability_status.label("status"), District.enrollment,
            needing.label("needing"), hours.label("hours"),
            (hours / func.nullif(needing, 0)).label("hours_per_school"),
            (1000.0 * hours / func.nullif(District.enrollment, 0)).label("hours_per_thousand"),
        )
        .join(Region, Region.id == District.region_id)
        .outerjoin(need, need.c.district_id == District.id)
        .outerjoin(delivered, delivered.c.district_id == District.id)
        .where(*_district_conditions(shape))
        .cte("district_rates")
    )
    median = median_of(rates, "hours_per_school")
    ratio = rates.c.hours_per_school / func.nullif(median.c.value, 0)
    statement = select(
        rates.c.slug, rates.c.district, rates.c.region, rates.c.status, rates.c.enrollment, rates.c.needing,
        func.round(cast(rates.c.hours, Numeric), 1).label("hours"),
        func.round(cast(rates.c.hours_per_school, Numeric), 1).label("hours_per_school"),
        func.round(cast(rates.c.hours_per_thousand, Numeric), 2).label("hours_per_thousand"),
        func.round(cast(median.c.value, Numeric), 2).label("median"),
        func.round(cast(ratio, Numeric), 2).label("ratio"),
        case((ratio < FAR_BELOW_MEDIAN, "below"), (ratio > FAR_ABOVE_MEDIAN, "above"), else_=null()).label("flag"),
        func.count().over().label("matching"),
        func.sum(case((ratio < FAR_BELOW_MEDIAN, 1), else_=0)).over().label("below"),
        func.sum(case((ratio > FAR_ABOVE_MEDIAN, 1), else_=0)).over().label("above"),
    ).select_from(rates).join(median, true())
    return _ordered(statement, EQUITY_SORTS, sort, limit, "slug")


# --- plans and equity goals --------------------------------------------------------------------

PLAN_HEALTH = ("overdue", "stale", "over_budget", "milestones_missed", "open_high_risks")
PLAN_SORTS = _sorts_by("district", "region", "actions", "problems", *PLAN_HEALTH, "on_track", "off_track")


def plan_progress_by_district(criteria: Criteria, sort: str = "-problems", limit: int | None = ROWS_SHOWN) -> Section:
    """Plan health (of active plans at the period's end) and equity goals on and off track per district.

    The figures are the plans' own derivations (`app.plans.health.health_by_district`,
    `app.plans.equity.progress_by_district`), joined here into one statement, so the
    dashboard and each district's plan page agree.
    """
    rows = _rows(_plan_progress_by_district(criteria.shape, sort, limit), criteria)
    return _with_totals(rows, ("without_actions", "with_problems", "on_track", "off_track"))


@cache
def _plan_progress_by_district(shape: Shape, sort: str, limit: int | None):
    actions, milestones, risks = health_by_district(END)
    goals = progress_by_district().subquery("equity_progress")
    count = {name: func.coalesce(column, 0) for name, column in (
        ("actions", actions.c.actions), ("overdue", actions.c.overdue), ("stale", actions.c.stale),
        ("over_budget", actions.c.over_budget), ("milestones_missed", milestones.c.milestones_missed),
        ("open_high_risks", risks.c.open_high_risks), ("on_track", goals.c.on_track),
        ("off_track", goals.c.off_track),
    )}
    problems = sum((count[name] for name in PLAN_HEALTH[1:]), count[PLAN_HEALTH[0]])
    statement = (
        select(
            District.slug, District.name.label("district"), Region.name.label("region"),
            *(column.label(name) for name, column in count.items()),
            problems.label("problems"),
            func.count().over().label("matching"),
            func.sum(case((count["actions"] == 0, 1), else_=0)).over().label("total_without_actions"),
            func.sum(case((problems > 0, 1), else_=0)).over().label("total_with_problems"),
            func.sum(count["on_track"]).over().label("total_on_track"),
            func.sum(count["off_track"]).over().label("total_off_track"),
        )
        .join(Region, Region.id == District.region_id)
        .outerjoin(actions, actions.c.district_id == District.id)
        .outerjoin(milestones, milestones.c.district_id == District.id)
        .outerjoin(risks, risks.c.district_id == District.id)
        .outerjoin(goals, goals.c.district_id == District.id)
        .where(*_district_conditions(shape))
    )
    return _ordered(statement, PLAN_SORTS, sort, limit, "slug")


# --- the dashboard ------------------------------------------------------------------------------

SECTIONS = {
    "coverage-districts": (coverage_by_district, DISTRICT_COVERAGE_SORTS, "share_90"),
    "coverage-schools": (coverage_by_school, SCHOOL_SORTS, "-days_since"),
    "coverage-staff": (staff_coverage_by_school, STAFF_SORTS, "visits"),
    "capacity": (capacity_by_lead, LEAD_SORTS, "-load"),
    "deployment": (deployment_by_district, EQUITY_SORTS, "ratio"),
    "plans": (plan_progress_by_district, PLAN_SORTS, "-problems"),
}


@dataclass(frozen=True)
class Dashboard:
    criteria: Criteria
    sections: dict[str, Section]


def regional_dashboard(user: User, criteria: Criteria, sorts: dict[str, str]) -> Dashboard:
    """Every section of the dashboard, through the cross-district door (403 for other roles)."""
    with cross_district_reads(user, _regions(criteria)):
        return Dashboard(criteria, {
            name: figures(criteria, sorts.get(name) or default)
            for name, (figures, _sorts, default) in SECTIONS.items()
        })


def section_rows(user: User, criteria: Criteria, name: str, sort: str | None) -> list[Row]:
    """Every row of one section, for an export with the same filters and order."""
    figures, _sorts, default = SECTIONS[name]
    with cross_district_reads(user, _regions(criteria)):
        return figures(criteria, sort or default, limit=None).rows


def _regions(criteria: Criteria) -> list[int] | None:
    return [criteria.region_id] if criteria.region_id is not None else None


def regions_for(user: User) -> list[Region]:
    """The regions a person may filter the dashboard by: their own, or all for an admin."""
    statement = select(Region).order_by(Region.name)
    if not is_platform_admin(user):
        statement = statement.where(Region.id.in_(director_region_ids(user)))
    return list(db.session.scalars(statement))


def support_types_for_filter() -> list[SupportType]:
    return list(db.session.scalars(select(SupportType).order_by(SupportType.name)))
