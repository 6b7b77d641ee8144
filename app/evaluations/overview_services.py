"""What is read of principals' evaluations outside a cycle's own page: the evaluator's overview of a school year,
the home page's word on them, and the summative evaluation a district files.

Every query here goes through the circle's filter below the views (tenants/personnel.py): it asks for a district's
cycles and gets exactly those the viewer may see (their own as evaluator or principal, all of them for the
superintendent), perhaps none. No function here decides who sees a cycle.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.clock import school_year_start
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.evaluations.framework import OVERALL, Assessment, PerformanceRating, Step
from app.evaluations.models import EvaluationCycle, EvaluationReport, EvaluationStep
from app.evaluations.steps import states_of_steps
from app.extensions import db
from app.fieldwork.models import Visit
from app.fieldwork.services import schools_with_last_visit
from tenants.access import district_people_ids
from tenants.models import District
from tenants.roles import DISTRICT_STAFF_ROLES
from tenants.scope import Scope


def school_year_label(year: int) -> str:
    """2026 -> "2026-27": the school year that starts on 1 July of `year`."""
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class OverdueStep:
    step: Step
    due_on: date


@dataclass(frozen=True)
class CycleLine:
    """One principal's cycle as the overview lists it."""

    cycle: EvaluationCycle
    current_step: Step | None  # the first step not completed, in the framework's order; None once all five are
    current_due: date | None
    overdue: list[OverdueStep]  # due before today and not completed, in the framework's order
    last_visit: date | None  # the last visit to the principal's school, by either team
    last_coaching: date | None  # the last visit that coached the principal (`Visit.principal_id`)
    rating: PerformanceRating | None  # the overall rating of the latest issued summative, else formative
    rated_in: Assessment | None  # which of the two `rating` comes from
    summative: EvaluationReport | None  # the latest issued summative version: the one its PDF prints


@dataclass(frozen=True)
class Unstarted:
    """Principals with no cycle this school year that the viewer can see: whom to start."""

    principals: list[SchoolLeader]
    whole_district: bool  # the superintendent's: every principal of the district; else those of the viewer's clusters


@dataclass(frozen=True)
class Overview:
    school_year: int
    lines: list[CycleLine]
    distribution: list[tuple[PerformanceRating, int]]  # every level of the scale, Exemplary first, with its count
    unrated: int  # cycles with no formative or summative issued yet
    unstarted: Unstarted | None  # None for a viewer who starts no cycles here (a principal, the state monitor)

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


def overview_of(district: District, user, scope: Scope, school_year: int, today: date) -> Overview:
    """The district's cycles of `school_year` that the viewer may see, by principal, with what each needs.

    Six statements at most, whatever the number of cycles: the cycles (with principal, evaluator and school), their
    steps, the schools' last visits, the principals' last coaching, the issued versions, the principals unstarted."""
    cycles = list(db.session.scalars(
        select(EvaluationCycle)
        .where(EvaluationCycle.district_id == district.id, EvaluationCycle.school_year == school_year)
        .options(selectinload(EvaluationCycle.steps))))
    cycles.sort(key=lambda cycle: (cycle.principal.name, cycle.school.name, cycle.id))
    last_visits, last_coaching, issued = _visits_and_issued(district.id, cycles)
    lines = [_line(cycle, today, last_visits.get(cycle.school_id), last_coaching.get(cycle.principal_id),
                   issued.get(cycle.id, {})) for cycle in cycles]
    counts = Counter(line.rating for line in lines)
    return Overview(
        school_year=school_year,
        lines=lines,
        distribution=[(rating, counts[rating]) for rating in PerformanceRating],
        unrated=counts[None],
        unstarted=_unstarted(district, user, scope, school_year),
    )


def _visits_and_issued(district_id: int, cycles: list[EvaluationCycle]):
    """({school id: last visit}, {principal id: last coaching visit}, {cycle id: {assessment: latest issued version}})."""
    if not cycles:
        return {}, {}, {}
    with_last = schools_with_last_visit()
    last_visits = {school.id: last for school, last in db.session.execute(
        with_last.where(School.district_id == district_id, School.id.in_({c.school_id for c in cycles})))}
    last_coaching = dict(db.session.execute(
        select(Visit.principal_id, func.max(Visit.visited_on))
        .where(Visit.district_id == district_id, Visit.principal_id.in_({c.principal_id for c in cycles}))
        .group_by(Visit.principal_id)).all())
    issued: dict[int, dict[Assessment, EvaluationReport]] = {}
    for report in db.session.scalars(
            select(EvaluationReport)
            .where(EvaluationReport.district_id == district_id, EvaluationReport.cycle_id.in_({c.id for c in cycles}),
                   EvaluationReport.issued_at.is_not(None))
            .order_by(EvaluationReport.version)):
        issued.setdefault(report.cycle_id, {})[Assessment(report.assessment)] = report  # the latest version wins
    return last_visits, last_coaching, issued


def _line(cycle: EvaluationCycle, today: date, last_visit: date | None, last_coaching: date | None,
          issued: dict[Assessment, EvaluationReport]) -> CycleLine:
    states = states_of_steps(cycle.steps, today)
    current = next((state for state in states if state.current), None)
    rated_in = next((assessment for assessment in (Assessment.SUMMATIVE, Assessment.FORMATIVE)
                     if overall_rating(issued.get(assessment)) is not None), None)
    return CycleLine(
        cycle=cycle,
        current_step=current.step if current else None,
        current_due=current.row.due_on if current else None,
        overdue=[OverdueStep(state.step, state.row.due_on) for state in states if state.overdue],
        last_visit=last_visit,
        last_coaching=last_coaching,
        rating=overall_rating(issued.get(rated_in)) if rated_in else None,
        rated_in=rated_in,
        summative=issued.get(Assessment.SUMMATIVE),
    )


def overall_rating(report: EvaluationReport | None) -> PerformanceRating | None:
    """The overall rating an issued version carries in its frozen `content`, or None."""
    if report is None:
        return None
    ratings = (report.content or {}).get("ratings", [])
    return next((PerformanceRating(r["rating"]) for r in ratings if r.get("standard") == OVERALL), None)


def _unstarted(district: District, user, scope: Scope, school_year: int) -> Unstarted | None:
    """The superintendent: every principal of the district with no cycle this year. A leader or school supervisor
    who supervises clusters: their schools' principals with no cycle they can see (another evaluator's cycle is
    not theirs to know of). Nobody else starts cycles."""
    whole_district = scope.evaluations_of is not None and district.id in scope.evaluations_of
    if not whole_district and district.id not in district_people_ids(user, DISTRICT_STAFF_ROLES):
        return None
    in_clusters = select(SchoolCluster.id).where(SchoolCluster.district_id == district.id,
                                                 SchoolCluster.supervisor_id == user.id)
    if not whole_district and not db.session.scalar(select(in_clusters.exists())):
        return None
    started = select(EvaluationCycle.id).where(
        EvaluationCycle.district_id == SchoolLeader.district_id, EvaluationCycle.principal_id == SchoolLeader.user_id,
        EvaluationCycle.school_year == school_year)
    statement = select(SchoolLeader).where(SchoolLeader.district_id == district.id,
                                           SchoolLeader.position == Position.PRINCIPAL, ~started.exists())
    if not whole_district:
        statement = statement.where(SchoolLeader.school_id.in_(
            select(School.id).where(School.district_id == district.id, School.cluster_id.in_(in_clusters))))
    principals = sorted(db.session.scalars(statement), key=lambda leader: (leader.person.name, leader.school.name))
    return Unstarted(principals, whole_district)


def school_years_offered(district_id: int, *also: int) -> list[int]:
    """The school years of the district's cycles the viewer can see, and `also` (this year, the one asked), newest
    first."""
    seen = db.session.scalars(select(EvaluationCycle.school_year).distinct()
                              .where(EvaluationCycle.district_id == district_id))
    return sorted({*seen, *also}, reverse=True)


def latest_issued_summative(cycle: EvaluationCycle) -> EvaluationReport | None:
    """The summative evaluation as last issued (a correction is a later version), or None before one is."""
    return db.session.scalars(
        select(EvaluationReport)
        .where(EvaluationReport.district_id == cycle.district_id, EvaluationReport.cycle_id == cycle.id,
               EvaluationReport.assessment == Assessment.SUMMATIVE, EvaluationReport.issued_at.is_not(None))
        .order_by(EvaluationReport.version.desc()).limit(1)).first()


@dataclass(frozen=True)
class ToSign:
    """A cycle of the principal's with an issued version awaiting their signature."""

    district_slug: str
    cycle_id: int
    school_year: int

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


@dataclass(frozen=True)
class Evaluating:
    """An evaluator's principals in one district this school year, and how many of their steps are overdue."""

    district_slug: str
    district_name: str
    principals: int
    overdue_steps: int


@dataclass(frozen=True)
class EvaluationsAtHome:
    """What a person's home page says of evaluations: never their content, only that something needs them."""

    to_sign: list[ToSign]
    evaluating: list[Evaluating]
    superintendent_of: list[District]  # the districts whose every evaluation this person reads

    def __bool__(self) -> bool:
        return bool(self.to_sign or self.evaluating or self.superintendent_of)


def evaluations_at_home(user, scope: Scope, districts: list[District], today: date) -> EvaluationsAtHome | None:
    """For one of a district's own people: the cycles awaiting their signature (as a principal) and, as an evaluator,
    their principals of this school year with the steps overdue on `today`; the `districts` (those in reach, already
    read) whose evaluations they read as superintendent. One statement; none for the support team and admins, who
    are in no evaluation's circle."""
    if not district_people_ids(user):
        return None
    school_year = school_year_start(today).year
    cycle = EvaluationCycle
    overdue = (select(func.count(EvaluationStep.id))
               .where(EvaluationStep.district_id == cycle.district_id, EvaluationStep.cycle_id == cycle.id,
                      EvaluationStep.due_on < today, EvaluationStep.completed_on.is_(None))
               .scalar_subquery())
    latest, later = aliased(EvaluationReport), aliased(EvaluationReport)
    # The latest issued version of the formative or the summative, not signed: an earlier one a correction replaced
    # is not asked for again.
    awaiting = select(latest.id).where(
        latest.district_id == cycle.district_id, latest.cycle_id == cycle.id, latest.issued_at.is_not(None),
        latest.signed_at.is_(None),
        ~select(later.id).where(later.district_id == latest.district_id, later.cycle_id == latest.cycle_id,
                                later.assessment == latest.assessment, later.version > latest.version,
                                later.issued_at.is_not(None)).exists()).exists()
    rows = db.session.execute(
        select(District.slug, District.name, cycle.id, cycle.evaluator_id, cycle.principal_id, cycle.school_year,
               overdue, awaiting)
        .join(District, District.id == cycle.district_id)
        .where(or_(and_(cycle.evaluator_id == user.id, cycle.school_year == school_year),
                   and_(cycle.principal_id == user.id, awaiting)))
        .order_by(District.name, cycle.school_year.desc())).all()
    to_sign = [ToSign(slug, cycle_id, year) for slug, _, cycle_id, _, principal_id, year, _, awaits in rows
               if principal_id == user.id and awaits]
    evaluating: dict[str, Evaluating] = {}
    for slug, name, _, evaluator_id, _, year, overdue_steps, _ in rows:
        if evaluator_id == user.id and year == school_year:
            seen = evaluating.get(slug, Evaluating(slug, name, 0, 0))
            evaluating[slug] = Evaluating(slug, name, seen.principals + 1, seen.overdue_steps + overdue_steps)
    superintendent_of = [d for d in districts if scope.evaluations_of is not None and d.id in scope.evaluations_of]
    return EvaluationsAtHome(to_sign, list(evaluating.values()), superintendent_of)
