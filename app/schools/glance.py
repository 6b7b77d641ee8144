"""A school at a glance: who leads it, when each team last visited, what is in progress there.

A fixed number of statements whatever the school's history (each part is one query, limited where it
lists rows), so that the page costs the same for a school visited twice and one visited two hundred times.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.orm import lazyload, selectinload

from app.clock import state_today
from app.districts.models import School, SchoolLeader
from app.extensions import db
from app.fieldwork.listing import follow_up_list
from app.fieldwork.models import AssignmentStatus, SupportAssignment, Visit
from app.fieldwork.services import with_delivery
from app.fieldwork.trends import WalkthroughTrends, walkthrough_trends
from app.forms import InvalidInput
from app.plans.models import Action, ActionSchool
from app.sql import days_between
from tenants.models import District
from tenants.roles import Team

RECENT_VISITS = 5
FOLLOW_UPS_SHOWN = 10


@dataclass(frozen=True)
class LastVisit:
    team: Team
    on: date | None
    days_since: int | None


@dataclass(frozen=True)
class SchoolAtAGlance:
    school: School
    last_visits: list[LastVisit]  # one per team, the support team first
    recent_visits: list[Visit]
    trends: WalkthroughTrends | None
    supports: list[SupportAssignment]
    follow_ups: list[Visit]
    open_follow_ups: int  # all of them; `follow_ups` shows the first few
    actions: list[Action]


def school_of(district: District, school_id: int) -> School | None:
    """The district's school with its cluster and leaders, in one statement (None if it is not the district's)."""
    return db.session.scalars(
        select(School).where(School.district_id == district.id, School.id == school_id)
        .options(selectinload(School.leaders).joinedload(SchoolLeader.person), selectinload(School.cluster))
    ).one_or_none()


def last_visits(school: School, today: date | None = None) -> list[LastVisit]:
    """The school's last visit by each team, and the days since (None: never)."""
    today = today or state_today()
    last = func.max(Visit.visited_on)
    found = {team: (on, days) for team, on, days in db.session.execute(
        select(Visit.team, last, days_between(last, today))
        .where(Visit.district_id == school.district_id, Visit.school_id == school.id, Visit.visited_on <= today)
        .group_by(Visit.team)
    )}
    return [LastVisit(team, *found.get(team.value, (None, None))) for team in Team]


def recent_visits(school: School, limit: int = RECENT_VISITS) -> list[Visit]:
    """The school's latest visits, newest first, with their co-observers."""
    return list(db.session.scalars(
        select(Visit).where(Visit.district_id == school.district_id, Visit.school_id == school.id)
        .options(lazyload(Visit.supports), lazyload(Visit.observations))
        .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(limit)
    ))


def supports_in_progress(school: School) -> list[SupportAssignment]:
    """The school's active supports, with planned against delivered hours."""
    return list(db.session.scalars(with_delivery(
        select(SupportAssignment).where(
            SupportAssignment.district_id == school.district_id, SupportAssignment.school_id == school.id,
            SupportAssignment.status == AssignmentStatus.ACTIVE,
        ).order_by(SupportAssignment.starts_on, SupportAssignment.id)
    )))


def actions_naming(school: School) -> list[Action]:
    """The plan actions that name the school, soonest due first."""
    return list(db.session.scalars(
        select(Action)
        .join(ActionSchool, and_(ActionSchool.district_id == Action.district_id, ActionSchool.action_id == Action.id))
        .where(ActionSchool.district_id == school.district_id, ActionSchool.school_id == school.id)
        .options(lazyload(Action.milestones), lazyload(Action.updates), lazyload(Action.schools))
        .order_by(Action.due_on, Action.id)
    ))


def school_trends(district: District, school: School) -> WalkthroughTrends | None:
    """The school's walkthrough trends on the default rubric, or None when no rubric is in use."""
    try:
        return walkthrough_trends(district, school_id=school.id)
    except InvalidInput:
        return None


def school_at_a_glance(district: District, school: School) -> SchoolAtAGlance:
    open_follow_ups = follow_up_list({"district_id": district.id, "school_id": school.id})
    return SchoolAtAGlance(
        school=school,
        last_visits=last_visits(school),
        recent_visits=recent_visits(school),
        trends=school_trends(district, school),
        supports=supports_in_progress(school),
        follow_ups=list(db.session.scalars(open_follow_ups.limit(FOLLOW_UPS_SHOWN))),
        open_follow_ups=db.session.scalar(select(func.count()).select_from(open_follow_ups.order_by(None).subquery())),
        actions=actions_naming(school),
    )
