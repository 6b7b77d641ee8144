"""Improvement plans for the test world: a small plan, a goal and a frozen report in each district."""
from datetime import date
from decimal import Decimal

from app.extensions import db
from app.plans.models import (
    Action,
    EquityGoal,
    ImprovementPlan,
    Measurement,
    Milestone,
    PlanStatus,
    Priority,
    Provider,
    Risk,
    StatusReport,
    Strategy,
)
from app.plans.reports import _plain, snapshot_of


def added(row):
    db.session.add(row)
    db.session.flush()
    return row


def plan_for(district, owner, title="Literacy for every learner", **fields) -> ImprovementPlan:
    fields = {"starts_on": date(2026, 7, 1), "ends_on": date(2029, 6, 30), "status": PlanStatus.ACTIVE} | fields
    return added(ImprovementPlan(district_id=district.id, title=title, **fields))


def priority_for(plan, title="Early literacy", position=1) -> Priority:
    return added(Priority(district_id=plan.district_id, plan_id=plan.id, title=title, position=position))


def strategy_for(priority, title="High-quality instructional materials in K-3") -> Strategy:
    return added(Strategy(district_id=priority.district_id, priority_id=priority.id, title=title))


def action_for(strategy, plan, owner, **fields) -> Action:
    fields = {"title": "Adopt a K-3 ELA curriculum", "starts_on": date(2026, 8, 1), "due_on": date(2027, 6, 30),
              "status": "on_track", "allocated_cents": 5_000_000, "spent_cents": 1_250_000} | fields
    return added(Action(district_id=plan.district_id, plan_id=plan.id, strategy_id=strategy.id, owner_id=owner.id,
                        **fields))


def goal_for(district, **fields) -> EquityGoal:
    fields = {"metric": "Grade 3 MCAS ELA, meeting or exceeding expectations (%)", "student_group": "English learners",
              "comparison_group": "All students", "baseline_value": Decimal("20.00"), "baseline_year": 2025,
              "target_value": Decimal("40.00"), "target_year": 2029, "direction": "higher"} | fields
    return added(EquityGoal(district_id=district.id, **fields))


def measurement_for(goal, year, value, comparison=None) -> Measurement:
    return added(Measurement(district_id=goal.district_id, goal_id=goal.id, year=year, value=Decimal(value),
                             comparison_value=None if comparison is None else Decimal(comparison)))


def report_for(plan, today=date(2026, 10, 1)) -> StatusReport:
    return added(StatusReport(district_id=plan.district_id, plan_id=plan.id,
                              snapshot=_plain(snapshot_of(plan, today, plan.starts_on))))


def add_plans(world) -> None:
    """A plan with one of everything in each district, and their ids for the isolation matrix."""
    for target, district, owner in (("own", world.home, world.leader), ("foreign", world.foreign, world.foreign_leader)):
        plan = plan_for(district, owner, title=f"{district.name} plan")
        strategy = strategy_for(priority_for(plan))
        provider = added(Provider(district_id=district.id, name=f"{district.name} Literacy Partners",
                                  contract_cents=4_000_000))
        action = action_for(strategy, plan, owner, provider_id=provider.id)
        milestone = added(Milestone(district_id=district.id, action_id=action.id, title="Curriculum chosen",
                                    target_on=date(2026, 12, 15)))
        risk = added(Risk(district_id=district.id, plan_id=plan.id, action_id=action.id, title="Late delivery",
                          severity="high"))
        goal = goal_for(district)
        measurement = measurement_for(goal, 2026, "24.00", "41.00")
        # Nothing depends on these: deleting them succeeds.
        spare_priority = priority_for(plan, "Attendance", 2)
        spare_strategy = strategy_for(spare_priority, "Family outreach")
        spare_provider = added(Provider(district_id=district.id, name=f"{district.name} Attendance Works"))
        db.session.expire(plan)
        world.feature_ids[target] = {
            "plan": plan.id, "strategy": strategy.id, "action": action.id, "milestone": milestone.id,
            "risk": risk.id, "goal": goal.id, "report": report_for(plan).id, "priority": strategy.priority_id,
            "leader": owner.id, "provider": provider.id, "measurement": measurement.id,
            "spare_priority": spare_priority.id, "spare_strategy": spare_strategy.id,
            "spare_provider": spare_provider.id,
        }
