"""A plan's school-year report: what was done and what slipped, what the year's actions were given and spent,
the equity goals' figures for the year and the support the district received from its support team.

Read live (not frozen, unlike an interval's status report): a year's report is asked for when the year is
over or nearly so, and says as of which day it reads (`as_of`).
"""
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, func, select

from app.clock import school_year_start, state_today
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from app.plans.equity import figures_of_goals, goals_with_progress
from app.plans.models import Action, ActionStatus, EquityGoal, ImprovementPlan, Priority, ProgressUpdate, Strategy
from tenants.roles import Team


@dataclass(frozen=True)
class ActionLine:
    """An action as the year's report lists it; `done_on` is its first "done" update (None if not recorded)."""

    action: Action
    priority: str
    done_on: date | None
    days_late: int | None  # past its due date when done, or at `as_of` when not done; None when on time


@dataclass(frozen=True)
class Spending:
    """Allocated and spent (cents) on a priority's actions that ran during the year."""

    priority: str
    actions: int
    allocated_cents: int
    spent_cents: int

    @property
    def over(self) -> bool:
        return self.spent_cents > self.allocated_cents


@dataclass(frozen=True)
class Support:
    """The district's support team's visits in the year (up to `as_of`)."""

    visits: int
    minutes: int
    observations: int
    schools: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass(frozen=True)
class AnnualReport:
    plan: ImprovementPlan
    school_year: int  # the year it starts: 2026 is 2026-27
    starts_on: date
    ends_on: date
    as_of: date  # the year's last day, or today while the year runs
    done: list[ActionLine]
    slipped: list[ActionLine]
    spending: list[Spending]
    goals: list[dict]  # equity.goal_figures, each with "year_point": the year's measurement or None
    support: Support

    @property
    def label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def total_allocated_cents(self) -> int:
        return sum(line.allocated_cents for line in self.spending)

    @property
    def total_spent_cents(self) -> int:
        return sum(line.spent_cents for line in self.spending)


def school_year_label(year: int) -> str:
    """2026 -> "2026-27"."""
    return f"{year}-{(year + 1) % 100:02d}"


def school_years_of(plan: ImprovementPlan) -> list[int]:
    """The school years a plan spans, up to the current one (a report of a year not begun says nothing)."""
    first = school_year_start(plan.starts_on).year
    last = min(school_year_start(plan.ends_on).year, school_year_start(state_today()).year)
    return list(range(first, last + 1))


def annual_report(plan: ImprovementPlan, school_year: int) -> AnnualReport:
    """The report of `plan` for the school year starting 1 July `school_year`.

    Raises ValueError when the plan does not span that year (`school_years_of`)."""
    if school_year not in school_years_of(plan):
        raise ValueError(f"{plan.title} has no school year {school_year_label(school_year)}")
    starts_on, ends_on = date(school_year, 7, 1), date(school_year + 1, 6, 30)
    as_of = min(ends_on, state_today())
    lines = _action_lines(plan, starts_on, ends_on, as_of)
    return AnnualReport(
        plan=plan, school_year=school_year, starts_on=starts_on, ends_on=ends_on, as_of=as_of,
        done=[line for line, _ in lines if _done_within(line, starts_on, ends_on)],
        slipped=[line for line, _ in lines if starts_on <= line.action.due_on <= as_of and line.days_late],
        spending=_spending([line for line, ran in lines if ran]),
        goals=_goals_of_year(plan, school_year),
        support=_support(plan.district_id, starts_on, as_of),
    )


def _action_lines(plan, starts_on: date, ends_on: date, as_of: date) -> list[tuple[ActionLine, bool]]:
    """Every action of the plan as a line, and whether it ran during the year (started by its end, due after its
    start); one statement."""
    first_done = (
        select(ProgressUpdate.district_id, ProgressUpdate.action_id,
               func.min(ProgressUpdate.reported_on).label("done_on"))
        .where(ProgressUpdate.district_id == plan.district_id, ProgressUpdate.status == ActionStatus.DONE)
        .group_by(ProgressUpdate.district_id, ProgressUpdate.action_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Action, Priority.title, first_done.c.done_on)
        .join(Strategy, and_(Strategy.district_id == Action.district_id, Strategy.id == Action.strategy_id))
        .join(Priority, and_(Priority.district_id == Strategy.district_id, Priority.id == Strategy.priority_id))
        .outerjoin(first_done, and_(first_done.c.district_id == Action.district_id,
                                    first_done.c.action_id == Action.id))
        .where(Action.district_id == plan.district_id, Action.plan_id == plan.id)
        .order_by(Priority.position, Priority.id, Action.due_on, Action.id)
    )
    lines = []
    for action, priority, done_on in rows:
        finished = done_on if done_on is not None else (as_of if action.status != ActionStatus.DONE else None)
        late = (finished - action.due_on).days if finished is not None and finished > action.due_on else None
        ran = action.starts_on <= ends_on and action.due_on >= starts_on
        lines.append((ActionLine(action, priority, done_on, late), ran))
    return lines


def _done_within(line: ActionLine, starts_on: date, ends_on: date) -> bool:
    """Done during the year: by its first "done" update; one marked done with no such update, by its due date."""
    if line.done_on is not None:
        return starts_on <= line.done_on <= ends_on
    return line.action.status == ActionStatus.DONE and starts_on <= line.action.due_on <= ends_on


def _spending(lines: list[ActionLine]) -> list[Spending]:
    by_priority: dict[str, list[ActionLine]] = {}
    for line in lines:
        by_priority.setdefault(line.priority, []).append(line)
    return [Spending(priority, len(found), sum(line.action.allocated_cents for line in found),
                     sum(line.action.spent_cents for line in found))
            for priority, found in by_priority.items()]


def _goals_of_year(plan, school_year: int) -> list[dict]:
    """The district's equity goals, each with the measurement of the year (measured in its spring: 2027 for
    2026-27)."""
    goals = figures_of_goals(goals_with_progress(EquityGoal.district_id == plan.district_id))
    spring = school_year + 1
    return [{**goal, "year_point": next((p for p in goal["points"] if p["year"] == spring), None)}
            for goal in goals]


def _support(district_id: int, starts_on: date, as_of: date) -> Support:
    """The support team's visits to the district from `starts_on` to `as_of`, one statement."""
    in_year = (Visit.district_id == district_id, Visit.team == Team.SUPPORT, Visit.visited_on >= starts_on,
               Visit.visited_on <= as_of)
    observed = (select(func.count()).select_from(Observation)
                .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
                .where(*in_year).scalar_subquery())
    visits, minutes, schools, observations = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Visit.minutes), 0), func.count(func.distinct(Visit.school_id)),
               observed).where(*in_year)
    ).one()
    return Support(visits=visits, minutes=int(minutes), observations=observations, schools=schools)


def default_school_year(plan: ImprovementPlan) -> int | None:
    """The year a reader most likely wants: the last one that has ended, else the one running; None before the
    plan's first year has begun."""
    years = school_years_of(plan)
    ended = school_year_start(state_today() - timedelta(days=365)).year
    return ended if ended in years else (years[-1] if years else None)
