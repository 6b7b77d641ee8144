"""The rules of improvement plans, equity goals and providers.

Functions take the district (or a row of it) and the acting user explicitly and
work within the current tenant scope; they raise `InvalidInput` with messages
per field and store nothing then. They flush but never commit: the view or the
job that calls them owns the transaction. Rows point at each other through ids the
services set, always within the row's own district.

Deleting never orphans a row nor drops one silently: a priority, strategy or
provider that actions still use is refused (`StillInUse`) until the actions are
moved or deleted; what goes with a deleted row (a goal's measurements, a
priority's empty strategies) is deleted row by row, so the audit trail keeps
each one's values.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, select

from app.accounts.models import RoleGrant, User
from app.clock import state_today, stored_now
from app.districts.models import School
from app.extensions import db
from app.fieldwork.listing import visit_list
from app.fieldwork.models import Observation, Visit
from app.forms import InvalidInput
from app.plans.figures import figure_problem
from app.plans.impact import ImpactAnswers, impact_round
from app.plans.models import (
    Action,
    ActionEvidence,
    ActionSchool,
    EquityGoal,
    ImprovementPlan,
    Measurement,
    Milestone,
    PlanStatus,
    Priority,
    ProgressUpdate,
    Provider,
    Risk,
    RiskStatus,
    Strategy,
)
from app.text import day, dollars
from tenants.models import District

PLAN_FIELDS = ("title", "starts_on", "ends_on", "status")
SETTINGS_FIELDS = ("reporting_interval", "stale_after_days")
ACTION_FIELDS = ("strategy_id", "title", "owner_id", "starts_on", "due_on", "status", "allocated_cents",
                 "spent_cents", "funding_source", "provider_id")
# Open before closed ("open" > "closed"), the most severe first.
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
GOAL_FIELDS = ("metric", "student_group", "comparison_group", "baseline_value", "baseline_year", "target_value",
               "target_year", "direction", "priority_id")
PROVIDER_FIELDS = ("name", "kind", "contract_cents", "contract_starts_on", "contract_ends_on")


class StillInUse(Exception):
    """A row others still depend on; its `deletion` says what to do first and lists the actions in the way."""

    def __init__(self, deletion: "Deletion"):
        super().__init__(deletion.refused)
        self.deletion = deletion


def _apply(row, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(row, name, data[name])


def _taken(model, district_id: int, row, *conditions) -> bool:
    """Whether another row of `model` in this district (not `row`, the one being changed) meets the conditions."""
    others = [model.id != row.id] if row is not None else []
    return db.session.scalar(select(model.id).where(model.district_id == district_id, *conditions, *others)
                             .limit(1)) is not None


def _one_of(model, district_id: int, row_id, *conditions):
    """The row of `model` with this id in this district, or None."""
    if row_id is None:
        return None
    return db.session.scalars(
        select(model).where(model.district_id == district_id, model.id == row_id, *conditions)
    ).one_or_none()


def _added(row):
    """Add the row and flush it: its id and server defaults are read back; the caller commits."""
    db.session.add(row)
    db.session.flush()
    db.session.refresh(row)
    return row


# --- reading ------------------------------------------------------------------------------------


def current_plan(district: District) -> ImprovementPlan | None:
    """The plan a district works on now: the active one, else the newest draft."""
    return db.session.scalars(
        select(ImprovementPlan)
        .where(ImprovementPlan.district_id == district.id, ImprovementPlan.status != PlanStatus.CLOSED)
        .order_by(ImprovementPlan.status != PlanStatus.ACTIVE, ImprovementPlan.starts_on.desc())
        .limit(1)
    ).first()


def people_of(district: District) -> list[User]:
    """Everyone holding a role in the district: who may own an action or a risk."""
    return list(db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.district_id == district.id, User.active)
        .distinct().order_by(User.name)
    ))


def providers_of(district: District) -> list[Provider]:
    return list(db.session.scalars(select(Provider).where(Provider.district_id == district.id).order_by(Provider.name)))


def providers_with_spend(district: District) -> list[tuple[Provider, int, int]]:
    """Each provider with the spend of the actions it serves, and how many they are."""
    served = (
        select(Action.district_id, Action.provider_id, func.sum(Action.spent_cents).label("spent"),
               func.count().label("actions"))
        .where(Action.district_id == district.id, Action.provider_id.is_not(None))
        .group_by(Action.district_id, Action.provider_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Provider, func.coalesce(served.c.spent, 0), func.coalesce(served.c.actions, 0))
        .outerjoin(served, and_(served.c.district_id == Provider.district_id, served.c.provider_id == Provider.id))
        .where(Provider.district_id == district.id)
        .order_by(Provider.name)
    )
    return [(provider, int(spent), int(actions)) for provider, spent, actions in rows]


def actions_of_provider(provider: Provider) -> list[Action]:
    return list(db.session.scalars(
        select(Action).where(Action.district_id == provider.district_id, Action.provider_id == provider.id)
        .order_by(Action.due_on)
    ))


def risks_of(plan: ImprovementPlan, *conditions) -> list[Risk]:
    return list(db.session.scalars(
        select(Risk).where(Risk.district_id == plan.district_id, Risk.plan_id == plan.id, *conditions)
        .order_by(Risk.status.desc(), case(SEVERITY_ORDER, value=Risk.severity), Risk.id)
    ))


def open_risks(plan: ImprovementPlan) -> list[Risk]:
    return risks_of(plan, Risk.status == RiskStatus.OPEN)


def upcoming(plan: ImprovementPlan, today: date, days: int = 30) -> list[tuple[date, str, Action]]:
    """Action due dates and milestone targets not done, from overdue to `days` ahead, soonest first."""
    horizon = date.fromordinal(today.toordinal() + days)
    actions = db.session.scalars(
        select(Action).where(Action.district_id == plan.district_id, Action.plan_id == plan.id,
                             Action.status != "done", Action.due_on <= horizon)
    )
    milestones = db.session.execute(
        select(Milestone, Action)
        .join(Action, and_(Action.district_id == Milestone.district_id, Action.id == Milestone.action_id))
        .where(Action.plan_id == plan.id, Milestone.met_on.is_(None), Milestone.target_on <= horizon)
    )
    due = [(a.due_on, f"Action due: {a.title}", a) for a in actions]
    due += [(m.target_on, f"Milestone: {m.title}", a) for m, a in milestones]
    return sorted(due, key=lambda item: item[0])


def recent_observations(district: District, limit: int = 50) -> list[Observation]:
    return list(db.session.scalars(
        select(Observation).join(Visit, and_(Visit.district_id == Observation.district_id,
                                             Visit.id == Observation.visit_id))
        .where(Observation.district_id == district.id)
        .order_by(Visit.visited_on.desc(), Observation.id.desc()).limit(limit)
    ))


def evidence_of(action: Action) -> list[ActionEvidence]:
    return list(db.session.scalars(
        select(ActionEvidence).where(ActionEvidence.district_id == action.district_id,
                                     ActionEvidence.action_id == action.id).order_by(ActionEvidence.id)
    ))


def recent_visits(district: District, limit: int = 10, cluster_id: int | None = None) -> list[Visit]:
    """The district's latest visits (to the schools of one of its clusters, if given), newest first."""
    filters = {"district_id": district.id, "cluster_id": cluster_id}
    return list(db.session.scalars(visit_list(filters).limit(limit)))


# --- writing ------------------------------------------------------------------------------------


def save_plan(district: District, data: dict, plan: ImprovementPlan | None = None) -> ImprovementPlan:
    plan = plan or ImprovementPlan(district_id=district.id)
    _apply(plan, data, PLAN_FIELDS)
    return _added(plan)


def save_plan_settings(district: District, data: dict) -> District:
    """Set how often the district reports status and when an action without updates counts as stale."""
    _apply(district, data, SETTINGS_FIELDS)
    return _added(district)


def save_priority(plan: ImprovementPlan, data: dict, priority: Priority | None = None) -> Priority:
    """Add a priority at the end of the plan, or rename one."""
    if priority is None:
        position = 1 + (db.session.scalar(
            select(func.max(Priority.position)).where(Priority.district_id == plan.district_id,
                                                      Priority.plan_id == plan.id)
        ) or 0)
        priority = Priority(district_id=plan.district_id, plan_id=plan.id, position=position)
    priority.title = data["title"]
    return _added(priority)


def save_strategy(plan: ImprovementPlan, data: dict, strategy: Strategy | None = None) -> Strategy:
    """Add a strategy to a priority of the plan, or change one (moving it to another priority moves its actions)."""
    if _one_of(Priority, plan.district_id, data["priority_id"], Priority.plan_id == plan.id) is None:
        raise InvalidInput({"priority_id": ["Choose a priority of this plan."]})
    strategy = strategy or Strategy(district_id=plan.district_id)
    _apply(strategy, data, ("priority_id", "title"))
    return _added(strategy)


def save_action(plan: ImprovementPlan, data: dict, action: Action | None = None,
                impact: ImpactAnswers | None = None) -> Action:
    """Add an action to a plan's strategy, or change one; owner, strategy and provider must be the district's.

    A new action, or a material change, needs answers to the equity impact checklist, stored in the same transaction.
    """
    district = plan.district
    errors = {}
    strategy = _one_of(Strategy, plan.district_id, data.get("strategy_id"))
    if strategy is None or strategy.priority.plan_id != plan.id:
        errors["strategy_id"] = ["Choose a strategy of this plan."]
    if data.get("owner_id") not in {person.id for person in people_of(district)}:
        errors["owner_id"] = [f"Choose a person of {district.name}."]
    if data.get("provider_id") is not None and _one_of(Provider, plan.district_id, data["provider_id"]) is None:
        errors["provider_id"] = [f"Choose a provider of {district.name}."]
    errors |= _outside_the_plan(plan, data)
    schools = _schools_named(district, data.get("school_ids") or [])
    if schools is None:
        errors["school_ids"] = [f"Choose schools of {district.name}."]
    asked = impact_round(action, data)
    if asked:
        errors |= asked.problems(impact)
    if errors:
        raise InvalidInput(errors)
    action = action or Action(district_id=plan.district_id, plan_id=plan.id)
    _apply(action, data, ACTION_FIELDS)
    if asked:
        asked.record(action, impact)
    action = _added(action)
    if "school_ids" in data:
        _name_schools(action, schools)
    return action


def _schools_named(district: District, school_ids: list[int]) -> list[School] | None:
    """The district's schools with these ids, or None if an id is not one of them (another district's, unknown)."""
    wanted = set(school_ids)
    if not wanted:
        return []
    found = list(db.session.scalars(select(School).where(School.district_id == district.id, School.id.in_(wanted))))
    return found if len(found) == len(wanted) else None


def _name_schools(action: Action, schools: list[School]) -> None:
    """Make the action name exactly these schools: a row added or deleted per change, each in the audit trail."""
    named = {row.school_id: row for row in db.session.scalars(
        select(ActionSchool).where(ActionSchool.district_id == action.district_id, ActionSchool.action_id == action.id))}
    wanted = {school.id for school in schools}
    for school_id, row in named.items():
        if school_id not in wanted:
            db.session.delete(row)
    for school_id in wanted - named.keys():
        db.session.add(ActionSchool(district_id=action.district_id, action_id=action.id, school_id=school_id))
    db.session.flush()
    db.session.expire(action, ["schools"])


def _outside_the_plan(plan: ImprovementPlan, data: dict) -> dict[str, list[str]]:
    """Messages for an action's start or due date outside its plan's period: an action of 1900 is a typing slip."""
    period = f"{day(plan.starts_on)} to {day(plan.ends_on)}"
    errors = {}
    for name, what in (("starts_on", "Start"), ("due_on", "Set the due date")):
        when = data.get(name)
        if when is not None and not plan.starts_on <= when <= plan.ends_on:
            errors[name] = [f"{what} within the plan's period, {period}."]
    return errors


def budget_warning(action: Action) -> str | None:
    """What is unusual, not wrong, in an action's budget: more spent than allocated (saved, but said)."""
    if action.spent_cents > action.allocated_cents:
        return (f"Saved, but check the budget: {dollars(action.spent_cents)} spent is more than the "
                f"{dollars(action.allocated_cents)} allocated.")
    return None


def _before_the_action(action: Action, when: date, what: str) -> list[str]:
    if when < action.starts_on:
        return [f"{what} on or after the action's start, {day(action.starts_on)}."]
    return []


def save_provider(district: District, data: dict, provider: Provider | None = None) -> Provider:
    """Add a provider or partner, or change one; names are unique in a district."""
    if _taken(Provider, district.id, provider, Provider.name == data["name"]):
        raise InvalidInput({"name": [f"{district.name} already has a provider of that name."]})
    provider = provider or Provider(district_id=district.id)
    _apply(provider, data, PROVIDER_FIELDS)
    return _added(provider)


def post_progress_update(action: Action, author: User, data: dict) -> ProgressUpdate:
    """Record a dated status and narrative; the action takes the reported status."""
    if data.get("milestone_id") is not None and _one_of(
        Milestone, action.district_id, data["milestone_id"], Milestone.action_id == action.id
    ) is None:
        raise InvalidInput({"milestone_id": ["Choose a milestone of this action."]})
    if data["reported_on"] > state_today():
        raise InvalidInput({"reported_on": ["A progress update cannot be dated in the future."]})
    if early := _before_the_action(action, data["reported_on"], "Date the update"):
        raise InvalidInput({"reported_on": early})
    update = ProgressUpdate(district_id=action.district_id, action_id=action.id, author_id=author.id,
                            reported_on=data["reported_on"], status=data["status"], narrative=data["narrative"],
                            milestone_id=data.get("milestone_id"))
    action.status = data["status"]
    return _added(update)


def add_milestone(action: Action, data: dict) -> Milestone:
    """Add a milestone to an action: its target comes on or after the action's start."""
    if early := _before_the_action(action, data["target_on"], "Set the target"):
        raise InvalidInput({"target_on": early})
    return _added(Milestone(district_id=action.district_id, action_id=action.id, **data))


def mark_milestone_met(milestone: Milestone, on: date) -> None:
    milestone.met_on = on
    db.session.flush()


def add_risk(action: Action, data: dict) -> Risk:
    """Record a risk or blocking issue on the action it blocks."""
    if data.get("owner_id") is not None and data["owner_id"] not in {p.id for p in people_of(action.district)}:
        raise InvalidInput({"owner_id": [f"Choose a person of {action.district.name}."]})
    return _added(Risk(district_id=action.district_id, plan_id=action.plan_id, action_id=action.id, **data))


def close_risk(risk: Risk) -> None:
    risk.status = RiskStatus.CLOSED
    db.session.flush()


def sign_off_review(action: Action, reviewer: User, data: dict) -> None:
    """Record the quality review of an action: who, when, and what they said."""
    action.reviewed_by_id = reviewer.id
    action.reviewed_at = stored_now()
    action.review_comment = data.get("review_comment")
    db.session.flush()


def link_evidence(action: Action, data: dict) -> ActionEvidence:
    """Link a visit, or one classroom observation, of the district to the action it served, once."""
    name, model = ("visit_id", Visit) if data.get("visit_id") is not None else ("observation_id", Observation)
    row = _one_of(model, action.district_id, data[name])
    if row is None:
        kind = "a visit" if model is Visit else "an observation"
        raise InvalidInput({name: [f"Choose {kind} of {action.district.name}."]})
    column = getattr(ActionEvidence, name)
    existing = db.session.scalars(select(ActionEvidence).where(
        ActionEvidence.district_id == action.district_id, ActionEvidence.action_id == action.id,
        column == row.id)).one_or_none()
    return existing or _added(ActionEvidence(district_id=action.district_id, action_id=action.id, **{name: row.id}))


def save_goal(district: District, data: dict, goal: EquityGoal | None = None) -> EquityGoal:
    """Add an equity goal, or change one; its measurements must stay within its years."""
    errors = {}
    if data.get("priority_id") is not None and _one_of(Priority, district.id, data["priority_id"]) is None:
        errors["priority_id"] = [f"Choose a priority of {district.name}'s plan."]
    outside = [m.year for m in (goal.measurements if goal else [])
               if not data["baseline_year"] <= m.year <= data["target_year"]]
    if outside:
        years = ", ".join(str(year) for year in outside)
        errors["baseline_year" if min(outside) < data["baseline_year"] else "target_year"] = [
            f"The goal has measurements of {years}: keep them within its years, or delete them first."]
    if errors:
        raise InvalidInput(errors)
    goal = goal or EquityGoal(district_id=district.id)
    _apply(goal, data, GOAL_FIELDS)
    return _added(goal)


def last_school_year_ended(today: date) -> int:
    """The spring year of the last school year that has ended (school years end on 30 June)."""
    return today.year if today.month >= 7 else today.year - 1


def save_measurement(goal: EquityGoal, data: dict, measurement: Measurement | None = None) -> Measurement:
    """Record a year's figures, or correct them; the year lies within the goal's years and is measured once.

    `data`: year (int), value and comparison_value (StateFigure; the comparison may be None).
    A suppressed value is stored as suppressed, with no value; a suppressed comparison as none.
    Raises InvalidInput with every problem, per field.
    """
    errors = {}
    latest = last_school_year_ended(state_today())
    if not goal.baseline_year <= data["year"] <= goal.target_year:
        errors["year"] = [f"Give a year from {goal.baseline_year} to {goal.target_year}."]
    elif data["year"] > latest:
        errors["year"] = [f"The school year of spring {data['year']} has not ended yet: give a year up to {latest}."]
    elif _taken(Measurement, goal.district_id, measurement, Measurement.goal_id == goal.id,
                Measurement.year == data["year"]):
        errors["year"] = [f"{data['year']} is already measured."]
    value, comparison = data["value"], data.get("comparison_value")
    for name, figure in (("value", value), ("comparison_value", comparison)):
        problem = figure and figure_problem(goal.metric, figure)
        if problem:
            errors[name] = [problem]
    if errors:
        raise InvalidInput(errors)
    measurement = measurement or Measurement(district_id=goal.district_id, goal_id=goal.id)
    measurement.year, measurement.value, measurement.suppressed = data["year"], value.value, value.suppressed
    measurement.comparison_value = comparison.value if comparison else None
    return _added(measurement)


# --- deleting -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    """What deleting a row would do: refused (and why), or what goes or changes with it."""

    refused: str | None = None
    blocking: list = field(default_factory=list)  # the actions that must move first
    consequences: list[str] = field(default_factory=list)
    also_deleted: list = field(default_factory=list)
    unlinked_goals: list = field(default_factory=list)


def _actions_where(district_id: int, *conditions) -> list[Action]:
    return list(db.session.scalars(select(Action).where(Action.district_id == district_id, *conditions)
                                   .order_by(Action.due_on, Action.id)))


def _actions(actions: list[Action]) -> str:
    return "1 action" if len(actions) == 1 else f"{len(actions)} actions"


def _priority_deletion(priority: Priority) -> Deletion:
    strategies = list(db.session.scalars(select(Strategy).where(Strategy.district_id == priority.district_id,
                                                                Strategy.priority_id == priority.id)))
    actions = _actions_where(priority.district_id, Action.strategy_id.in_([s.id for s in strategies]))
    if actions:
        return Deletion(refused=f"Its strategies still have {_actions(actions)}: move them to another strategy "
                                "or delete them first.", blocking=actions)
    goals = list(db.session.scalars(select(EquityGoal).where(EquityGoal.district_id == priority.district_id,
                                                             EquityGoal.priority_id == priority.id)))
    consequences = [f"Its strategy “{s.title}” (no actions) is deleted too." for s in strategies]
    consequences += [f"The equity goal “{g}” stays, linked to no priority." for g in goals]
    return Deletion(consequences=consequences, also_deleted=strategies, unlinked_goals=goals)


def _strategy_deletion(strategy: Strategy) -> Deletion:
    actions = _actions_where(strategy.district_id, Action.strategy_id == strategy.id)
    if actions:
        return Deletion(refused=f"It still has {_actions(actions)}: move them to another strategy or delete them "
                                "first.", blocking=actions)
    return Deletion()


def _provider_deletion(provider: Provider) -> Deletion:
    actions = _actions_where(provider.district_id, Action.provider_id == provider.id)
    if actions:
        return Deletion(refused=f"It serves {_actions(actions)}: choose another provider, or none, on them first.",
                        blocking=actions)
    return Deletion()


def _goal_deletion(goal: EquityGoal) -> Deletion:
    measurements = goal.measurements
    return Deletion(consequences=[f"Its measurement of {m.year} is deleted too." for m in measurements],
                    also_deleted=measurements)


DELETIONS = {Priority: _priority_deletion, Strategy: _strategy_deletion, Provider: _provider_deletion,
             EquityGoal: _goal_deletion, Measurement: lambda measurement: Deletion()}


def deletion_of(row) -> Deletion:
    """What deleting this priority, strategy, provider, goal or measurement would do."""
    return DELETIONS[type(row)](row)


def delete(row) -> None:
    """Delete the row and what goes with it, or raise StillInUse; each deleted row stays in the audit trail."""
    # Lock the row first: an action added to it meanwhile is then counted, never deleted by a cascade.
    model = type(row)
    db.session.execute(select(model.id).where(model.district_id == row.district_id, model.id == row.id)
                       .with_for_update())
    deletion = deletion_of(row)
    if deletion.refused:
        raise StillInUse(deletion)
    for goal in deletion.unlinked_goals:
        goal.priority_id = None
    for dependent in deletion.also_deleted:
        db.session.delete(dependent)
    # Dependents first: the database's cascades must find nothing left to delete behind the audit trail.
    db.session.flush()
    db.session.delete(row)
    if isinstance(row, Priority):
        # The plan's priorities stay numbered 1, 2, 3 ...
        for later in db.session.scalars(select(Priority).where(
                Priority.district_id == row.district_id, Priority.plan_id == row.plan_id,
                Priority.position > row.position)):
            later.position -= 1
    db.session.flush()
