"""The field-work lists of a district: visits, observations, supports and follow-ups.

Each list is a `Listing` built from its filters (`app/fieldwork/filters.py`): a page
of it for the screen, all of it for an export, under the same conditions. Queries run
within the tenant scope and also name the district, since a person may reach several.
The columns of an export are here too, so that a page and its export agree on who
sees what: a column showing a field the visibility book may withhold (internal notes)
names it, and `visible_columns` and its values ask the book.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from math import ceil

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import contains_eager, lazyload

from app.clock import state_today
from app.extensions import db
from app.fieldwork.models import Observation, Rating, SupportAssignment, Visit
from app.fieldwork.services import assignments_with_delivery
from app.lists import Column, yes_no
from tenants.models import District
from tenants.visibility import badge, visible_value

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    items: list
    number: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        """The position of the page's first row among all rows, from 1."""
        return (self.number - 1) * PER_PAGE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0


@dataclass(frozen=True)
class Listing:
    """A filtered list: how many rows match, and a window of them (all of them with no limit)."""

    count: Callable[[], int]
    fetch: Callable[[int | None, int], list]

    def page(self, number: int) -> Page:
        total = self.count()
        pages = max(1, ceil(total / PER_PAGE))
        # Past the last page (filters narrowed since the link was made): show the last one.
        number = min(number, pages)
        return Page(self.fetch(PER_PAGE, (number - 1) * PER_PAGE), number, pages, total)

    def all(self) -> list:
        return self.fetch(None, 0)


def _listing(statement: Select, row: Callable | None = None) -> Listing:
    """A listing of a statement's entities, or of `row(*columns)` when it selects several."""

    def fetch(limit, offset):
        result = db.session.execute(statement.limit(limit).offset(offset))
        return list(result.scalars()) if row is None else [row(*columns) for columns in result]

    def count():
        return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))

    return Listing(count, fetch)


def _within(column, start: date | None, end: date | None) -> list:
    """Conditions keeping a date column within an optional range, both ends included."""
    return ([column >= start] if start else []) + ([column <= end] if end else [])


# --- visits -------------------------------------------------------------------------------------


def visit_listing(district: District, filters: dict) -> Listing:
    """The district's visits, newest first."""
    conditions = [Visit.district_id == district.id,
                  *_within(Visit.visited_on, filters["date_from"], filters["date_to"])]
    if filters["school"] is not None:
        conditions.append(Visit.school_id == filters["school"])
    if filters["lead"] is not None:
        conditions.append(Visit.lead_id == filters["lead"])
    if filters["kind"] is not None:
        conditions.append(Visit.kind == filters["kind"])
    if filters["has_follow_up"] is not None:
        has = Visit.follow_up_on.is_not(None)
        conditions.append(has if filters["has_follow_up"] else ~has)
    return _listing(
        select(Visit).where(*conditions)
        # The list shows no observations; the visit page does.
        .options(lazyload(Visit.observations))
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
    )


# --- observations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatedObservation:
    observation: Observation
    average: float | None
    rated: int


def observation_listing(district: District, filters: dict) -> Listing:
    """Observations of the district's visits, newest visit first, with their average rating."""
    summary = (
        select(Rating.district_id, Rating.observation_id,
               func.avg(Rating.rating).label("average"), func.count().label("rated"))
        .group_by(Rating.district_id, Rating.observation_id)
        .subquery()
    )
    conditions = [Observation.district_id == district.id,
                  *_within(Visit.visited_on, filters["date_from"], filters["date_to"])]
    if filters["school"] is not None:
        conditions.append(Visit.school_id == filters["school"])
    if filters["grade"] is not None:
        conditions.append(Observation.grade == filters["grade"])
    if filters["subject"] is not None:
        conditions.append(Observation.subject.icontains(filters["subject"].strip(), autoescape=True))
    if filters["rubric"] is not None:
        conditions.append(Observation.rubric_id == filters["rubric"])
    statement = (
        select(Observation, summary.c.average, func.coalesce(summary.c.rated, 0))
        .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
        .outerjoin(summary, and_(summary.c.district_id == Observation.district_id,
                                 summary.c.observation_id == Observation.id))
        .where(*conditions)
        # The summary stands in for the ratings; the visit comes from the join the filters need.
        .options(lazyload(Observation.ratings),
                 contains_eager(Observation.visit).lazyload(Visit.observations),
                 contains_eager(Observation.visit).lazyload(Visit.supports))
        .order_by(Visit.visited_on.desc(), Observation.id.desc())
    )
    return _listing(statement, lambda observation, average, rated: RatedObservation(
        observation, round(float(average), 2) if average is not None else None, rated))


# --- support assignments ------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportDelivery:
    assignment: SupportAssignment
    delivered_minutes: int

    @property
    def delivered_hours(self) -> float:
        return round(self.delivered_minutes / 60, 2)

    @property
    def delivered_share(self) -> int:
        """Delivered hours as a whole percentage of the planned hours."""
        return round(100 * self.delivered_minutes / (60 * self.assignment.planned_hours))


def assignment_listing(district: District, filters: dict) -> Listing:
    """The district's support assignments with the hours delivered against each, latest start first."""
    conditions = [SupportAssignment.district_id == district.id]
    for column, key in ((SupportAssignment.status, "status"), (SupportAssignment.support_type_id, "support_type"),
                        (SupportAssignment.lead_id, "lead"), (SupportAssignment.school_id, "school")):
        if filters[key] is not None:
            conditions.append(column == filters[key])
    return Listing(
        count=lambda: db.session.scalar(select(func.count()).select_from(SupportAssignment).where(*conditions)),
        fetch=lambda limit, offset: [
            SupportDelivery(assignment, minutes)
            for assignment, minutes in assignments_with_delivery(*conditions, limit=limit, offset=offset)
        ],
    )


# --- follow-ups ---------------------------------------------------------------------------------


def follow_up_listing(district: District, filters: dict) -> Listing:
    """Visits whose follow-up is not done, the longest overdue first."""
    conditions = [
        Visit.district_id == district.id,
        Visit.follow_up_on.is_not(None),
        Visit.follow_up_done.is_(False),
        *_within(Visit.follow_up_on, filters["date_from"], filters["date_to"]),
    ]
    if filters["lead"] is not None:
        conditions.append(Visit.lead_id == filters["lead"])
    return _listing(
        select(Visit).where(*conditions)
        .options(lazyload(Visit.observations), lazyload(Visit.supports))
        .order_by(Visit.follow_up_on, Visit.id)
    )


# --- export columns -----------------------------------------------------------------------------


INTERNAL_NOTES = Column(f"Internal notes ({badge('Visit', 'internal_notes')})",
                        lambda visit: visible_value(visit, "internal_notes"), shows=("Visit", "internal_notes"))

VISIT_COLUMNS = (
    Column("Date", lambda v: v.visited_on),
    Column("Place", lambda v: v.place),
    Column("Lead", lambda v: v.lead.name),
    Column("Kind", lambda v: v.kind.capitalize()),
    Column("Minutes", lambda v: v.minutes),
    Column("Purpose", lambda v: v.purpose),
    Column("Participants", lambda v: v.participants),
    Column("Supports", lambda v: "; ".join(s.support_type.name for s in v.supports)),
    Column("Shared notes", lambda v: v.shared_notes),
    Column("Next steps", lambda v: v.next_steps),
    Column("Follow-up on", lambda v: v.follow_up_on),
    Column("Follow-up done", lambda v: yes_no(v.follow_up_done)),
    INTERNAL_NOTES,
)

OBSERVATION_COLUMNS = (
    Column("Date", lambda r: r.observation.visit.visited_on),
    Column("Place", lambda r: r.observation.visit.place),
    Column("Lead", lambda r: r.observation.visit.lead.name),
    Column("Grade", lambda r: r.observation.grade),
    Column("Subject", lambda r: r.observation.subject),
    Column("Minutes", lambda r: r.observation.minutes),
    Column("Rubric", lambda r: str(r.observation.rubric)),
    Column("Look-fors rated", lambda r: r.rated),
    Column("Average rating", lambda r: r.average),
    Column("Feedback", lambda r: r.observation.feedback),
)

ASSIGNMENT_COLUMNS = (
    Column("Support", lambda d: d.assignment.support_type.name),
    Column("School", lambda d: d.assignment.school.name if d.assignment.school else "District-wide"),
    Column("Lead", lambda d: d.assignment.lead.name),
    Column("Starts", lambda d: d.assignment.starts_on),
    Column("Ends", lambda d: d.assignment.ends_on),
    Column("Status", lambda d: d.assignment.status.capitalize()),
    Column("Planned hours", lambda d: d.assignment.planned_hours),
    Column("Delivered hours", lambda d: d.delivered_hours),
    Column("Delivered minutes", lambda d: d.delivered_minutes),
)

FOLLOW_UP_COLUMNS = (
    Column("Follow-up on", lambda v: v.follow_up_on),
    Column("Overdue", lambda v: yes_no(is_overdue(v))),
    Column("Visit date", lambda v: v.visited_on),
    Column("Place", lambda v: v.place),
    Column("Lead", lambda v: v.lead.name),
    Column("Purpose", lambda v: v.purpose),
    Column("Next steps", lambda v: v.next_steps),
    INTERNAL_NOTES,
)


def is_overdue(visit: Visit, today: date | None = None) -> bool:
    return visit.follow_up_on < (today or state_today())
