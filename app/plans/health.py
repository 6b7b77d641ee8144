"""Plan health, derived in SQL from the plan's rows, never typed in.

Five counts: actions overdue (not done, past due), actions with no update in
the district's `stale_after_days` (not done, started, and neither a progress
update nor the start in that many days), actions whose spend is over their allocation,
milestones missed (target date passed, not met) and open high risks. The same
statements count per priority, per plan and per district.
"""
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.plans.models import (
    Action,
    ActionStatus,
    ImprovementPlan,
    Milestone,
    PlanStatus,
    ProgressUpdate,
    Risk,
    RiskSeverity,
    RiskStatus,
    Strategy,
)
from tenants.models import District


@dataclass(frozen=True)
class PlanHealth:
    actions: int = 0
    overdue: int = 0
    stale: int = 0
    over_budget: int = 0
    milestones_missed: int = 0
    open_high_risks: int = 0

    @property
    def problems(self) -> int:
        return self.overdue + self.stale + self.over_budget + self.milestones_missed + self.open_high_risks

    def summary(self, stale_after_days: int) -> str:
        """One line: what needs attention, or that nothing does."""
        parts = [
            (self.overdue, "overdue", "overdue"),
            (self.stale, f"no update in {stale_after_days} days", f"no update in {stale_after_days} days"),
            (self.over_budget, "over budget", "over budget"),
            (self.milestones_missed, "milestone missed", "milestones missed"),
            (self.open_high_risks, "open high risk", "open high risks"),
        ]
        named = [f"{count} {one if count == 1 else many}" for count, one, many in parts if count]
        return " · ".join(named) if named else f"{self.actions} actions, nothing needs attention"

    def as_dict(self) -> dict:
        return asdict(self)


def _counts(key, plan_ids: list[int], stale_after: dict[int, int], today: date, by_priority: bool) -> dict:
    """Count health per `key` (a column: district, plan or priority) over the actions of the plans.

    `stale_after` gives each district's days without an update.
    """
    if not plan_ids:
        return {}
    # Each district has its own staleness: the cut-off date per district, as one CASE.
    cutoff = case({district_id: today - timedelta(days=days) for district_id, days in stale_after.items()},
                  value=Action.district_id)
    last_update = _last_updates()
    not_done = Action.status != ActionStatus.DONE
    stale = and_(not_done, Action.starts_on <= today,
                 func.coalesce(last_update.c.reported_on, Action.starts_on) < cutoff)
    counted = select(
        key,
        func.count(),
        func.sum(case((and_(not_done, Action.due_on < today), 1), else_=0)),
        func.sum(case((stale, 1), else_=0)),
        func.sum(case((Action.spent_cents > Action.allocated_cents, 1), else_=0)),
    ).select_from(Action).outerjoin(last_update, and_(last_update.c.district_id == Action.district_id,
                                  last_update.c.action_id == Action.id))
    counted = _by_priority(counted) if by_priority else counted
    rows = db.session.execute(counted.where(Action.plan_id.in_(plan_ids)).group_by(key))
    found = {k: {"actions": n, "overdue": o or 0, "stale": s or 0, "over_budget": b or 0} for k, n, o, s, b in rows}

    missed = select(key, func.count()).select_from(Milestone).join(
        Action, and_(Action.district_id == Milestone.district_id, Action.id == Milestone.action_id)
    )
    missed = _by_priority(missed) if by_priority else missed
    for k, count in db.session.execute(
        missed.where(Action.plan_id.in_(plan_ids), Milestone.met_on.is_(None), Milestone.target_on < today).group_by(key)
    ):
        found.setdefault(k, {})["milestones_missed"] = count
    return found


def _open_high_risks(key, plan_ids: list[int]) -> dict:
    rows = db.session.execute(
        select(key, func.count()).select_from(Risk)
        .where(Risk.plan_id.in_(plan_ids), Risk.status == RiskStatus.OPEN, Risk.severity == RiskSeverity.HIGH)
        .group_by(key)
    )
    return dict(rows.all())


def _last_updates():
    return (
        select(ProgressUpdate.district_id, ProgressUpdate.action_id,
               func.max(ProgressUpdate.reported_on).label("reported_on"))
        .group_by(ProgressUpdate.district_id, ProgressUpdate.action_id)
        .subquery()
    )


def _by_priority(statement):
    return statement.join(Strategy, and_(Strategy.district_id == Action.district_id, Strategy.id == Action.strategy_id))


def _stale_after(plan: ImprovementPlan) -> dict[int, int]:
    return {plan.district_id: plan.district.stale_after_days}


def plan_health(plan: ImprovementPlan, today: date | None = None) -> PlanHealth:
    """The health of one plan."""
    today = today or date.today()
    found = _counts(Action.plan_id, [plan.id], _stale_after(plan), today, by_priority=False).get(plan.id, {})
    found["open_high_risks"] = _open_high_risks(Risk.plan_id, [plan.id]).get(plan.id, 0)
    return PlanHealth(**found)


def health_by_priority(plan: ImprovementPlan, today: date | None = None) -> dict[int, PlanHealth]:
    """The health of each priority of a plan; risks count where they block an action of it."""
    today = today or date.today()
    found = _counts(Strategy.priority_id, [plan.id], _stale_after(plan), today, by_priority=True)
    risks = db.session.execute(
        _by_priority(
            select(Strategy.priority_id, func.count()).select_from(Risk)
            .join(Action, and_(Action.district_id == Risk.district_id, Action.id == Risk.action_id))
        )
        .where(Risk.plan_id == plan.id, Risk.status == RiskStatus.OPEN, Risk.severity == RiskSeverity.HIGH)
        .group_by(Strategy.priority_id)
    )
    for priority_id, count in risks:
        found.setdefault(priority_id, {})["open_high_risks"] = count
    return {priority.id: PlanHealth(**found.get(priority.id, {})) for priority in plan.priorities}


def plan_health_by_district(district_ids, today: date | None = None) -> dict[int, PlanHealth]:
    """Plan health of each district's active plans, for rollups: four SQL statements however many districts.

    Run it inside `tenants.lookup.cross_district_reads()` (or any scope that reads
    these districts): the tenant filter still applies. Districts with no active
    plan answer an empty `PlanHealth()`.
    """
    today = today or date.today()
    district_ids = list(district_ids)
    # Only the columns the counts need: loading whole plans would load their priorities too.
    plans = db.session.execute(
        select(ImprovementPlan.id, District.id, District.stale_after_days)
        .join(District, District.id == ImprovementPlan.district_id)
        .where(ImprovementPlan.district_id.in_(district_ids), ImprovementPlan.status == PlanStatus.ACTIVE)
    ).all()
    plan_ids = [plan_id for plan_id, _, _ in plans]
    found = _counts(Action.district_id, plan_ids, {d: days for _, d, days in plans}, today, by_priority=False)
    for district_id, count in _open_high_risks(Risk.district_id, plan_ids).items():
        found.setdefault(district_id, {})["open_high_risks"] = count
    return {district_id: PlanHealth(**found.get(district_id, {})) for district_id in district_ids}
