"""A principal's evaluation cycle: who may do what in it, its steps in order, goals, evidence, ratings, issued
versions and signatures.

Who *reads* a cycle is decided below the views (tenants/personnel.py): a cycle outside the reader's circle is not
found. Who *writes what* is decided here: the evaluator keeps the cycle (plan, goals, evidence, ratings, steps,
issued versions, corrections), the principal writes the self-assessment and signs, the superintendent opens
cycles and reassigns evaluators. Someone of the circle trying what is not theirs raises `NotYours` (a 403 with
its message); input that breaks a rule raises `InvalidInput` (422), before anything is written. Every act adds
an `EvaluationEvent` to the cycle's own history. Nothing here commits: the view owns the transaction.
"""
from datetime import date

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.clock import state_today, stored_now
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.evaluations.framework import (
    INDICATORS,
    RATED,
    Assessment,
    FormativeKind,
    GoalKind,
    GoalProgress,
    PerformanceRating,
    PlanType,
    Step,
    rated_label,
)
from app.evaluations.models import (
    EvaluationCalendar,
    EvaluationCycle,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationGoal,
    EvaluationGoalAction,
    EvaluationGoalRating,
    EvaluationRating,
    EvaluationReport,
    EvaluationStep,
)
from app.evaluations.steps import StepState, in_step_order, states_of_steps
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from app.forms import InvalidInput
from app.mail import send_later
from app.plans.models import Action
from app.regional.services import school_year_start
from tenants.models import District
from tenants.roles import Role

# Largest uploaded artifact; what a principal's evidence (a plan, a slide deck, a photo of a board) needs.
MAX_FILE_BYTES = 5 * 1024 * 1024
# Artifacts people keep: extension -> (stored type, how the file's first bytes start; None: UTF-8 text).
FILE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "png": ("image/png", (b"\x89PNG",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    "txt": ("text/plain", None),
    "csv": ("text/csv", None),
}
# The state's usual pattern, when a district set no calendar for the year: (month, day), and whether it falls in
# the year the school year starts (autumn) or the next (spring).
USUAL_DATES = {
    "self_assessment_due": (10, 1, 0),
    "goals_due": (10, 15, 0),
    "formative_due": (2, 1, 1),
    "summative_due": (5, 15, 1),
}
# Which of a calendar's dates each step is due by; implementation runs until the formative and has none of its own.
STEP_DUE = {Step.SELF_ASSESSMENT: "self_assessment_due", Step.GOALS_AND_PLAN: "goals_due",
            Step.FORMATIVE: "formative_due", Step.SUMMATIVE: "summative_due"}
# Steps the evaluator marks done; the others are done by an act (submitting, issuing, signing).
STEPS_MARKED_DONE = (Step.GOALS_AND_PLAN, Step.IMPLEMENTATION)


class NotYours(PermissionError):
    """Someone who may read the cycle tried what is someone else's to do there (a 403 with this message)."""


# --- who is who ---------------------------------------------------------------------------------------------

def is_superintendent(user: User, district_id: int) -> bool:
    """A district leader granted "sees evaluations" in this district."""
    return any(g.role == Role.DISTRICT_LEADER and g.district_id == district_id and g.sees_evaluations
               for g in user.grants)


def is_district_leader(user: User, district_id: int) -> bool:
    return any(g.role == Role.DISTRICT_LEADER and g.district_id == district_id for g in user.grants)


def principal_school(district_id: int, user_id: int) -> School | None:
    """The school this person is the current principal of, or None."""
    return db.session.scalars(
        select(School).join(SchoolLeader, (SchoolLeader.district_id == School.district_id)
                            & (SchoolLeader.school_id == School.id))
        .where(School.district_id == district_id, SchoolLeader.user_id == user_id,
               SchoolLeader.position == Position.PRINCIPAL).order_by(School.name).limit(1)).first()


def eligible_principals(district_id: int) -> list[tuple[User, School]]:
    """The district's current principals with their school, by name."""
    rows = db.session.execute(
        select(User, School).join(SchoolLeader, SchoolLeader.user_id == User.id)
        .join(School, (School.district_id == SchoolLeader.district_id) & (School.id == SchoolLeader.school_id))
        .where(SchoolLeader.district_id == district_id, SchoolLeader.position == Position.PRINCIPAL)
        .order_by(User.name, School.name)).all()
    return [(user, school) for user, school in rows]


def eligible_evaluators(school: School) -> list[User]:
    """Who may evaluate the principal of `school`: the district's leaders and the supervisor of its cluster."""
    leaders = list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.DISTRICT_LEADER, RoleGrant.district_id == school.district_id,
               User.active.is_(True)).distinct()))
    supervisor = school.cluster.supervisor if school.cluster is not None else None
    people = {person.id: person for person in [*leaders, *([supervisor] if supervisor else [])]}
    return sorted(people.values(), key=lambda person: (person.name, person.id))


def evaluator_choices(district_id: int) -> list[User]:
    """Everyone who may evaluate some principal of the district: its leaders and its clusters' supervisors, by
    name (two statements); `open_cycle` checks the one chosen against the principal's school."""
    leaders = db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == Role.DISTRICT_LEADER, RoleGrant.district_id == district_id, User.active.is_(True)))
    supervisors = db.session.scalars(select(User).join(SchoolCluster, SchoolCluster.supervisor_id == User.id)
                                     .where(SchoolCluster.district_id == district_id))
    people = {person.id: person for person in [*leaders, *supervisors]}
    return sorted(people.values(), key=lambda person: (person.name, person.id))


def may_open_cycles(user: User, district: District) -> bool:
    """The district's leaders and the supervisors of its clusters: the people who may evaluate some principal."""
    if is_district_leader(user, district.id):
        return True
    return db.session.scalar(select(SchoolCluster.id).where(
        SchoolCluster.district_id == district.id, SchoolCluster.supervisor_id == user.id).limit(1)) is not None


def require_evaluator(cycle: EvaluationCycle, user: User) -> None:
    """NotYours for anyone but the cycle's evaluator."""
    if user.id != cycle.evaluator_id:
        raise NotYours(f"Only the cycle's evaluator, {cycle.evaluator.name}, changes its plan, goals, evidence "
                       "and ratings.")


def _require_principal(cycle: EvaluationCycle, user: User, what: str) -> None:
    if user.id != cycle.principal_id:
        raise NotYours(f"Only {cycle.principal.name}, the principal evaluated, {what}.")


def _event(cycle: EvaluationCycle, user: User, what: str) -> None:
    db.session.add(EvaluationEvent(district_id=cycle.district_id, cycle_id=cycle.id, user_id=user.id,
                                   what=what[:300], at=stored_now()))


# --- the calendar -------------------------------------------------------------------------------------------

def usual_calendar(school_year: int) -> dict[str, date]:
    """The state's usual dates for a school year (the year it starts): what a district without a calendar gets."""
    return {name: date(school_year + later, month, day) for name, (month, day, later) in USUAL_DATES.items()}


def calendar_dates(district_id: int, school_year: int) -> tuple[dict[str, date], bool]:
    """(the dates, whether the district set them) for a school year."""
    calendar = db.session.scalars(select(EvaluationCalendar).where(
        EvaluationCalendar.district_id == district_id, EvaluationCalendar.school_year == school_year)).one_or_none()
    if calendar is None:
        return usual_calendar(school_year), False
    return {name: getattr(calendar, name) for name in USUAL_DATES}, True


def _dates_in_order(values: dict, school_year: int) -> dict[str, list[str]]:
    """Messages for dates out of the school year (1 July to 30 June) or out of the steps' order."""
    errors, first, last = {}, date(school_year, 7, 1), date(school_year + 1, 6, 30)
    previous = None
    for name in USUAL_DATES:
        day = values.get(name)
        if day is None:
            continue
        if not first <= day <= last:
            errors[name] = [f"Give a date within the school year, from {first:%-d %B %Y} to {last:%-d %B %Y}."]
        elif previous is not None and day < previous:
            errors[name] = ["Give a date on or after the previous step's."]
        previous = day
    return errors


def save_calendar(district: District, data: dict) -> EvaluationCalendar:
    """Set the district's dates for a school year. `data`: school_year (int) and the four `*_due` dates."""
    errors = _dates_in_order(data, data["school_year"])
    if errors:
        raise InvalidInput(errors)
    calendar = db.session.scalars(select(EvaluationCalendar).where(
        EvaluationCalendar.district_id == district.id,
        EvaluationCalendar.school_year == data["school_year"])).one_or_none()
    calendar = calendar or EvaluationCalendar(district_id=district.id, school_year=data["school_year"])
    for name in USUAL_DATES:
        setattr(calendar, name, data[name])
    db.session.add(calendar)
    db.session.flush()
    return calendar


def school_years_offered(today: date) -> list[int]:
    """The school years a cycle may be opened for: this one and the next."""
    this_year = school_year_start(today).year
    return [this_year, this_year + 1]


# --- opening, the plan, the evaluator -----------------------------------------------------------------------

def open_cycle(district: District, actor: User, data: dict) -> EvaluationCycle:
    """Open a principal's cycle for a school year, its five steps due by the district's calendar.

    `data`: principal_id, school_year, evaluator_id (None: the actor), plan_type, plan_months, formative_kind.
    The superintendent names any eligible evaluator; another eligible evaluator names themselves.
    Raises NotYours for someone who may evaluate no principal, InvalidInput otherwise."""
    if not (is_superintendent(actor, district.id) or may_open_cycles(actor, district)):
        raise NotYours("Cycles are opened by the superintendent, or by a district leader or cluster supervisor "
                       "who will be the evaluator.")
    errors: dict[str, list[str]] = {}
    school = principal_school(district.id, data["principal_id"])
    principal = db.session.get(User, data["principal_id"]) if school is not None else None
    if principal is None:
        errors["principal_id"] = [f"Choose one of {district.name}'s principals from the list."]
    if data["school_year"] not in school_years_offered(state_today()):
        errors["school_year"] = ["Choose this school year or the next."]
    evaluator_id = data.get("evaluator_id") or actor.id
    if evaluator_id != actor.id and not is_superintendent(actor, district.id):
        errors["evaluator_id"] = ["Name yourself: the superintendent assigns other evaluators."]
    elif school is not None and evaluator_id not in {person.id for person in eligible_evaluators(school)}:
        errors["evaluator_id"] = [(f"{principal.name}'s evaluator is a district leader or the supervisor of "
                                  f"{school.name}'s cluster.")]
    errors |= _plan_problems(data)
    if not errors and db.session.scalar(select(EvaluationCycle.id).where(
            EvaluationCycle.district_id == district.id, EvaluationCycle.principal_id == principal.id,
            EvaluationCycle.school_year == data["school_year"])) is not None:
        # Said without naming the evaluator: the cycle may be one the actor does not see.
        errors["principal_id"] = [(f"{principal.name} already has an evaluation cycle for "
                                  f"{data['school_year']}-{(data['school_year'] + 1) % 100:02d}.")]
    if errors:
        raise InvalidInput(errors)
    cycle = EvaluationCycle(district_id=district.id, principal_id=principal.id, evaluator_id=evaluator_id,
                            school_id=school.id, school_year=data["school_year"], plan_type=data["plan_type"],
                            plan_months=data["plan_months"], formative_kind=data["formative_kind"],
                            opened_by_id=actor.id)
    db.session.add(cycle)
    db.session.flush()
    dates, _ = calendar_dates(district.id, data["school_year"])
    db.session.add_all(EvaluationStep(district_id=district.id, cycle_id=cycle.id, step=step,
                                      due_on=dates[STEP_DUE[step]] if step in STEP_DUE else None) for step in Step)
    evaluator = db.session.get(User, evaluator_id)
    _event(cycle, actor, f"Opened the cycle, with {evaluator.name} as evaluator")
    db.session.flush()
    return cycle


def _plan_problems(data: dict) -> dict[str, list[str]]:
    longest = PlanType(data["plan_type"]).longest_months
    if not 1 <= data["plan_months"] <= longest:
        return {"plan_months": [f"A {PlanType(data['plan_type']).label.lower()} runs 1 to {longest} months."]}
    return {}


def save_plan(cycle: EvaluationCycle, actor: User, data: dict) -> None:
    """The evaluator sets the plan type and length, the formative's kind and the steps' due dates.

    `data`: plan_type, plan_months, formative_kind, and the four `*_due` dates (None: no date)."""
    require_evaluator(cycle, actor)
    errors = _plan_problems(data) | _dates_in_order(data, cycle.school_year)
    if _issued(cycle, Assessment.FORMATIVE) and data["formative_kind"] != cycle.formative_kind:
        errors["formative_kind"] = ["The formative is issued already: its kind stays."]
    if errors:
        raise InvalidInput(errors)
    cycle.plan_type, cycle.plan_months = PlanType(data["plan_type"]), data["plan_months"]
    cycle.formative_kind = FormativeKind(data["formative_kind"])
    for row in steps_of(cycle):
        if row.step in STEP_DUE:
            row.due_on = data.get(STEP_DUE[row.step])
    _event(cycle, actor, f"Set the plan: {cycle.plan_type.label}, {cycle.plan_months} months, and the due dates")
    db.session.flush()


def reassign_evaluator(cycle: EvaluationCycle, actor: User, evaluator_id: int) -> None:
    """The superintendent hands the cycle to another eligible evaluator."""
    if not is_superintendent(actor, cycle.district_id):
        raise NotYours("Only the superintendent reassigns a cycle's evaluator.")
    eligible = {person.id: person for person in eligible_evaluators(cycle.school)}
    if evaluator_id not in eligible:
        raise InvalidInput({"evaluator_id": [(f"{cycle.principal.name}'s evaluator is a district leader or the "
                                             f"supervisor of {cycle.school.name}'s cluster.")]})
    if evaluator_id == cycle.evaluator_id:
        raise InvalidInput({"evaluator_id": [f"{eligible[evaluator_id].name} is the evaluator already."]})
    cycle.evaluator_id = evaluator_id
    _event(cycle, actor, f"Reassigned the cycle to {eligible[evaluator_id].name} as evaluator")
    db.session.flush()
    db.session.expire(cycle, ["evaluator"])


# --- steps --------------------------------------------------------------------------------------------------

def steps_of(cycle: EvaluationCycle) -> list[EvaluationStep]:
    """The cycle's five steps, in their order."""
    return in_step_order(db.session.scalars(select(EvaluationStep).where(
        EvaluationStep.district_id == cycle.district_id, EvaluationStep.cycle_id == cycle.id)).all())


def step_states(cycle: EvaluationCycle, today: date) -> list[StepState]:
    """Each step with whether it is done, due next, or overdue (not done, due before `today`)."""
    return states_of_steps(steps_of(cycle), today)


def _step_done(cycle: EvaluationCycle, step: Step) -> bool:
    return next(row for row in steps_of(cycle) if row.step == step).completed_on is not None


def _complete(cycle: EvaluationCycle, actor: User, step: Step) -> None:
    """Mark `step` done today, after every earlier step; InvalidInput (under "step") otherwise."""
    rows = steps_of(cycle)
    for row in rows:
        if row.step == step:
            if row.completed_on is not None:
                raise InvalidInput({"step": [f"Step {step.number}, {step.label.lower()}, is done already."]})
            row.completed_on, row.completed_by_id = state_today(), actor.id
            db.session.flush()
            return
        if row.completed_on is None:
            earlier = Step(row.step)
            raise InvalidInput({"step": [(f"Complete step {earlier.number}, {earlier.label.lower()}, first: the "
                                         f"steps are done in order.")]})


def complete_step(cycle: EvaluationCycle, actor: User, step: Step) -> None:
    """The evaluator marks step 2 (goals and plan: one goal of each kind) or step 3 (implementation) done."""
    require_evaluator(cycle, actor)
    if step not in STEPS_MARKED_DONE:
        how = {Step.SELF_ASSESSMENT: "the principal submits the self-assessment",
               Step.FORMATIVE: "you issue the formative", Step.SUMMATIVE: "the principal signs the summative"}[step]
        raise InvalidInput({"step": [f"Step {step.number} is done when {how}."]})
    if step == Step.GOALS_AND_PLAN:
        kinds = {GoalKind(goal.kind) for goal in goals_of(cycle)}
        missing = [kind.label.lower() for kind in GoalKind if kind not in kinds]
        if missing:
            raise InvalidInput({"step": [f"Add a {', a '.join(missing)} before completing step 2."]})
    _complete(cycle, actor, step)
    _event(cycle, actor, f"Completed step {step.number}: {step.label}")


def write_self_assessment(cycle: EvaluationCycle, actor: User, text: str | None, submit: bool) -> None:
    """The principal saves their self-assessment, or submits it (step 1 done); it is kept as submitted."""
    _require_principal(cycle, actor, "writes the self-assessment")
    done = next(row for row in steps_of(cycle) if row.step == Step.SELF_ASSESSMENT).completed_on
    if done is not None:
        raise InvalidInput({"self_assessment": [(f"You submitted your self-assessment on {done:%-d %B %Y}: it is "
                                                "part of the record now.")]})
    if submit and not (text or "").strip():
        raise InvalidInput({"self_assessment": ["Write your self-assessment before submitting it."]})
    cycle.self_assessment = text
    if submit:
        _complete(cycle, actor, Step.SELF_ASSESSMENT)
        _event(cycle, actor, "Submitted the self-assessment (step 1)")
    db.session.flush()


# --- goals --------------------------------------------------------------------------------------------------

GOAL_FIELDS = ("kind", "title", "key_actions", "benchmarks", "progress_notes")


def goals_of(cycle: EvaluationCycle) -> list[EvaluationGoal]:
    """The cycle's goals by kind, then as added."""
    order = list(GoalKind)
    goals = db.session.scalars(select(EvaluationGoal).where(
        EvaluationGoal.district_id == cycle.district_id, EvaluationGoal.cycle_id == cycle.id)
        .order_by(EvaluationGoal.id)).all()
    return sorted(goals, key=lambda goal: order.index(goal.kind))


def plan_actions_of(district_id: int) -> list[Action]:
    """The district's improvement plan actions a goal may point at, by title."""
    return list(db.session.scalars(select(Action).where(Action.district_id == district_id)
                                   .order_by(Action.title, Action.id)))


def save_goal(cycle: EvaluationCycle, actor: User, data: dict, goal: EvaluationGoal | None = None) -> EvaluationGoal:
    """Add a goal, or change one, with the plan actions it points at (`data["action_ids"]`, the district's)."""
    require_evaluator(cycle, actor)
    action_ids = set(data.get("action_ids") or [])
    known = set(db.session.scalars(select(Action.id).where(Action.district_id == cycle.district_id,
                                                           Action.id.in_(action_ids)))) if action_ids else set()
    if action_ids - known:
        raise InvalidInput({"action_ids": ["Choose actions of the district's improvement plan from the list."]})
    new = goal is None
    goal = goal or EvaluationGoal(district_id=cycle.district_id, cycle_id=cycle.id)
    for name in GOAL_FIELDS:
        setattr(goal, name, data.get(name))
    db.session.add(goal)
    db.session.flush()
    linked = {link.action_id: link for link in db.session.scalars(select(EvaluationGoalAction).where(
        EvaluationGoalAction.district_id == cycle.district_id, EvaluationGoalAction.goal_id == goal.id))}
    for action_id in linked.keys() - action_ids:
        db.session.delete(linked[action_id])
    db.session.add_all(EvaluationGoalAction(district_id=cycle.district_id, cycle_id=cycle.id, goal_id=goal.id,
                                            action_id=action_id) for action_id in sorted(action_ids - linked.keys()))
    _event(cycle, actor, f"{'Added' if new else 'Changed'} the {GoalKind(goal.kind).label.lower()} “{goal.title}”")
    db.session.flush()
    db.session.expire(goal, ["plan_actions"])
    return goal


def delete_goal(cycle: EvaluationCycle, actor: User, goal: EvaluationGoal) -> None:
    require_evaluator(cycle, actor)
    _event(cycle, actor, f"Deleted the {GoalKind(goal.kind).label.lower()} “{goal.title}”")
    db.session.delete(goal)
    db.session.flush()


# --- evidence -----------------------------------------------------------------------------------------------

def evidence_of(cycle: EvaluationCycle) -> list[EvaluationEvidence]:
    """The cycle's evidence, newest first (files not loaded)."""
    return list(db.session.scalars(select(EvaluationEvidence).where(
        EvaluationEvidence.district_id == cycle.district_id, EvaluationEvidence.cycle_id == cycle.id)
        .order_by(EvaluationEvidence.collected_on.desc(), EvaluationEvidence.id.desc())))


def _school_year_bounds(cycle: EvaluationCycle) -> tuple[date, date]:
    return date(cycle.school_year, 7, 1), date(cycle.school_year + 1, 6, 30)


def _visit_filter(cycle: EvaluationCycle):
    """Visits that are evidence of this principal's practice: at their school, or coaching them, in the year."""
    first, last = _school_year_bounds(cycle)
    return ((Visit.district_id == cycle.district_id) & Visit.visited_on.between(first, last)
            & ((Visit.school_id == cycle.school_id) | (Visit.principal_id == cycle.principal_id)))


def visits_for_evidence(cycle: EvaluationCycle) -> list[Visit]:
    """The visits the evaluator may link (with their observations), newest first."""
    return list(db.session.scalars(select(Visit).where(_visit_filter(cycle))
                                   .order_by(Visit.visited_on.desc(), Visit.id.desc())))


def indicator_problems(codes: list[str]) -> dict[str, list[str]]:
    unknown = [code for code in codes if code not in INDICATORS]
    if unknown:
        return {"indicators": [f"Choose indicators of the Standards from the list (not {', '.join(unknown)})."]}
    return {}


def checked_file(name: str, data: bytes) -> tuple[str, str]:
    """(file name, stored type) of an uploaded artifact; InvalidInput under "file" if it is too big or not what
    its name says. `data` may be one byte past the limit: enough to refuse it."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput({"file": [(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: upload a "
                                     "smaller file, or describe it in the note.")]})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        kinds = ", ".join(f".{ext}" for ext in FILE_TYPES)
        raise InvalidInput({"file": [f"{name}: upload a file of one of these kinds: {kinds}."]})
    stored_type, starts = FILE_TYPES[extension]
    if starts is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput({"file": [(f"{name} is not a text file: upload it as .{extension} only if it is "
                                         "plain text.")]}) from None
    elif not data.startswith(starts):
        raise InvalidInput({"file": [f"{name} is not a .{extension} file: its contents say otherwise."]})
    return name[-200:], stored_type


def add_evidence(cycle: EvaluationCycle, actor: User, data: dict,
                 upload: tuple[str, bytes] | None = None) -> EvaluationEvidence:
    """Link a visit or one of its observations, or add an artifact (a note, optionally a file), with indicators.

    `data`: visit_id or observation_id, or title (with note, collected_on); indicators (codes); note.
    A visit must be at the principal's school or coach the principal, within the cycle's school year; another
    district's visit is not found at all."""
    require_evaluator(cycle, actor)
    errors = indicator_problems(data.get("indicators") or [])
    evidence = EvaluationEvidence(district_id=cycle.district_id, cycle_id=cycle.id, note=data.get("note"),
                                  indicators=list(dict.fromkeys(data.get("indicators") or [])),
                                  added_by_id=actor.id)
    if data.get("observation_id") is not None:
        observation = db.session.scalars(select(Observation).join(Observation.visit).where(
            Observation.district_id == cycle.district_id, Observation.id == data["observation_id"])).one_or_none()
        if observation is None or not _qualifies(cycle, observation.visit):
            errors["observation_id"] = [_not_evidence(cycle)]
        else:
            visit = observation.visit
            evidence.visit_id, evidence.observation_id = visit.id, observation.id
            evidence.title = f"Classroom observation, grade {observation.grade} {observation.subject}, {visit.place}"
            evidence.collected_on = visit.visited_on
    elif data.get("visit_id") is not None:
        visit = db.session.scalars(select(Visit).where(Visit.district_id == cycle.district_id,
                                                       Visit.id == data["visit_id"])).one_or_none()
        if visit is None or not _qualifies(cycle, visit):
            errors["visit_id"] = [_not_evidence(cycle)]
        else:
            evidence.visit_id, evidence.collected_on = visit.id, visit.visited_on
            evidence.title = f"Visit to {visit.place}: {visit.purpose}"[:300]
    else:
        if not data.get("title"):
            errors["title"] = ["Name the artifact, or choose a visit or an observation."]
        evidence.title, evidence.collected_on = data.get("title"), data.get("collected_on") or state_today()
    if upload is not None:
        try:
            evidence.file_name, evidence.file_type = checked_file(*upload)
            evidence.file_data = upload[1]
        except InvalidInput as invalid:
            errors |= invalid.messages
    if errors:
        raise InvalidInput(errors)
    db.session.add(evidence)
    _event(cycle, actor, f"Added evidence: {evidence.title}")
    db.session.flush()
    return evidence


def _qualifies(cycle: EvaluationCycle, visit: Visit) -> bool:
    first, last = _school_year_bounds(cycle)
    return first <= visit.visited_on <= last and (
        visit.school_id == cycle.school_id or visit.principal_id == cycle.principal_id)


def _not_evidence(cycle: EvaluationCycle) -> str:
    return (f"Choose a visit of {cycle.school_year_label} at {cycle.school.name} or one that coached "
            f"{cycle.principal.name}, from the list.")


def delete_evidence(cycle: EvaluationCycle, actor: User, evidence: EvaluationEvidence) -> None:
    require_evaluator(cycle, actor)
    _event(cycle, actor, f"Removed evidence: {evidence.title}")
    db.session.delete(evidence)
    db.session.flush()


# --- ratings ------------------------------------------------------------------------------------------------

def ratings_of(cycle: EvaluationCycle, assessment: Assessment) -> dict[str, EvaluationRating]:
    """{rated code: rating} of one assessment."""
    return {row.standard: row for row in db.session.scalars(select(EvaluationRating).where(
        EvaluationRating.district_id == cycle.district_id, EvaluationRating.cycle_id == cycle.id,
        EvaluationRating.assessment == assessment))}


def goal_ratings_of(cycle: EvaluationCycle, assessment: Assessment) -> dict[int, EvaluationGoalRating]:
    """{goal id: progress} of one assessment."""
    return {row.goal_id: row for row in db.session.scalars(select(EvaluationGoalRating).where(
        EvaluationGoalRating.district_id == cycle.district_id, EvaluationGoalRating.cycle_id == cycle.id,
        EvaluationGoalRating.assessment == assessment))}


def reports_of(cycle: EvaluationCycle) -> list[EvaluationReport]:
    """Every version of the formative and the summative, formative first, oldest first."""
    return list(db.session.scalars(select(EvaluationReport).where(
        EvaluationReport.district_id == cycle.district_id, EvaluationReport.cycle_id == cycle.id)
        .order_by(EvaluationReport.assessment, EvaluationReport.version)))


def _versions(cycle: EvaluationCycle, assessment: Assessment) -> list[EvaluationReport]:
    return [report for report in reports_of(cycle) if report.assessment == assessment]


def _issued(cycle: EvaluationCycle, assessment: Assessment) -> list[EvaluationReport]:
    return [report for report in _versions(cycle, assessment) if report.issued_at is not None]


def _open_correction(cycle: EvaluationCycle, assessment: Assessment) -> EvaluationReport | None:
    return next((report for report in _versions(cycle, assessment) if report.issued_at is None), None)


def assessment_label(cycle: EvaluationCycle, assessment: Assessment) -> str:
    """"Formative assessment", "Formative evaluation" or "Summative evaluation"."""
    return FormativeKind(cycle.formative_kind).label if assessment == Assessment.FORMATIVE else "Summative evaluation"


def frozen_message(cycle: EvaluationCycle, assessment: Assessment) -> str | None:
    """Why this assessment's ratings cannot be changed now, or None when they can."""
    label = assessment_label(cycle, assessment).lower()
    if assessment == Assessment.SUMMATIVE and not _issued(cycle, Assessment.FORMATIVE):
        return f"Issue the {FormativeKind(cycle.formative_kind).label.lower()} first: a summative before a formative is refused."
    issued = _issued(cycle, assessment)
    if issued and _open_correction(cycle, assessment) is None:
        latest = issued[-1]
        signed = " and signed" if latest.signed_at else ""
        return (f"The {label} was issued{signed} (version {latest.version}): its ratings stay as issued. Open a "
                "correction to change them.")
    return None


def save_ratings(cycle: EvaluationCycle, actor: User, assessment: Assessment, ratings: dict, progress: dict) -> None:
    """The evaluator rates each Standard and overall, and progress toward each goal.

    `ratings`: {code of framework.RATED: (rating value or None, rationale or None)}; `progress`: {goal id:
    (GoalProgress value or None, note or None)}. A blank rating removes it. Refused (InvalidInput, nothing
    stored) outside the scales, for a summative before the formative is issued, and once issued until a
    correction is opened."""
    require_evaluator(cycle, actor)
    frozen = frozen_message(cycle, assessment)
    if frozen:
        raise InvalidInput({"assessment": [frozen]})
    errors = {}
    for code, (rating, _) in ratings.items():
        if code not in RATED:
            errors[f"rating-{code}"] = ["Rate the four Standards and overall only."]
        elif rating is not None and rating not in {r.value for r in PerformanceRating}:
            errors[f"rating-{code}"] = ["Choose Exemplary, Proficient, Needs improvement or Unsatisfactory."]
    goals = {goal.id: goal for goal in goals_of(cycle)}
    for goal_id, (value, _) in progress.items():
        if goal_id not in goals:
            errors[f"progress-{goal_id}"] = ["Rate progress toward this cycle's goals only."]
        elif value is not None and value not in {p.value for p in GoalProgress}:
            errors[f"progress-{goal_id}"] = [("Choose did not meet, some progress, significant progress, met or "
                                             "exceeded.")]
    if errors:
        raise InvalidInput(errors)
    _store(cycle, assessment, ratings, ratings_of(cycle, assessment), EvaluationRating, "standard", "rating",
           "rationale")
    _store(cycle, assessment, progress, goal_ratings_of(cycle, assessment), EvaluationGoalRating, "goal_id",
           "progress", "note")
    _event(cycle, actor, f"Saved the {assessment_label(cycle, assessment).lower()} ratings")
    db.session.flush()


def _store(cycle, assessment, given: dict, existing: dict, model, key: str, value: str, text: str) -> None:
    for code, (chosen, words) in given.items():
        row = existing.get(code)
        if chosen is None:
            if row is not None:
                db.session.delete(row)
            continue
        row = row or model(district_id=cycle.district_id, cycle_id=cycle.id, assessment=assessment, **{key: code})
        setattr(row, value, chosen)
        setattr(row, text, words)
        db.session.add(row)


# --- issuing, corrections, signatures -----------------------------------------------------------------------

def issue(cycle: EvaluationCycle, actor: User, assessment: Assessment) -> EvaluationReport:
    """Freeze the assessment as a version for the principal to sign (the first, or the open correction), and
    queue the mail that says one is ready. Issuing the formative completes step 4.

    Refused (InvalidInput under "assessment") before the steps before it are done, for a summative before the
    formative, once issued with no correction open, and with a Standard (or, for the summative, a goal) unrated."""
    require_evaluator(cycle, actor)
    frozen = frozen_message(cycle, assessment)
    if frozen:
        raise InvalidInput({"assessment": [frozen]})
    ratings, progress, goals = ratings_of(cycle, assessment), goal_ratings_of(cycle, assessment), goals_of(cycle)
    label = assessment_label(cycle, assessment)
    unrated = [rated_label(code) for code in RATED if code not in ratings]
    if unrated:
        raise InvalidInput({"assessment": [f"Rate {', '.join(unrated)} before issuing the {label.lower()}."]})
    if assessment == Assessment.SUMMATIVE and any(goal.id not in progress for goal in goals):
        raise InvalidInput({"assessment": ["Rate progress toward every goal before issuing the summative."]})
    report = _open_correction(cycle, assessment)
    if report is None:
        report = EvaluationReport(district_id=cycle.district_id, cycle_id=cycle.id, assessment=assessment, version=1)
        db.session.add(report)
    if assessment == Assessment.FORMATIVE and not _step_done(cycle, Step.FORMATIVE):  # a correction's is done
        _complete(cycle, actor, Step.FORMATIVE)
    report.content = _content(cycle, assessment, ratings, progress, goals)
    report.issued_at, report.issued_by_id = stored_now(), actor.id
    _event(cycle, actor, f"Issued the {label.lower()}, version {report.version}")
    db.session.flush()
    return report


def _content(cycle, assessment, ratings, progress, goals) -> dict:
    """What an issued version freezes (EvaluationReport's docstring gives the shape)."""
    def goal_row(goal):
        rated = progress.get(goal.id)
        value = GoalProgress(rated.progress) if rated else None
        kind = GoalKind(goal.kind)
        return {"kind": kind.value, "kind_label": kind.label, "title": goal.title,
                "progress": value.value if value else None, "progress_label": value.label if value else "Not rated",
                "note": rated.note if rated else None}

    return {
        "school_year": cycle.school_year_label, "principal": cycle.principal.name, "evaluator": cycle.evaluator.name,
        "school": cycle.school.name, "plan_type": PlanType(cycle.plan_type).label, "plan_months": cycle.plan_months,
        "assessment": assessment_label(cycle, assessment),
        "ratings": [{"standard": code, "label": rated_label(code), "rating": ratings[code].rating,
                     "rating_label": PerformanceRating(ratings[code].rating).label,
                     "rationale": ratings[code].rationale} for code in RATED],
        "goals": [goal_row(goal) for goal in goals],
        "evidence": [{"title": evidence.title, "collected_on": evidence.collected_on.isoformat(),
                      "indicators": list(evidence.indicators)} for evidence in evidence_of(cycle)],
    }


def announce(report: EvaluationReport, principal_id: int) -> bool:
    """Queue the mail telling the principal a version is ready to sign; call it after the report is committed."""
    return send_later("workers.jobs.send_evaluation_to_sign", report.district_id, principal_id, report.id)


def mail_evaluation_to_sign(district_id: int, principal_id: int, report_id: int) -> bool:
    """Mail the principal (once per version) that an evaluation is ready to sign: a link, never its content."""
    from app.mail import MailKind, link_to, send_once

    report = db.session.scalars(select(EvaluationReport).where(
        EvaluationReport.district_id == district_id, EvaluationReport.id == report_id)).one_or_none()
    principal = db.session.get(User, principal_id)
    if report is None or principal is None or report.issued_at is None or not principal.active:
        return False
    district = db.session.get(District, district_id)
    link = link_to("evaluations.cycle", slug=district.slug, cycle_id=report.cycle_id)
    text = f"Hello {principal.name},\n\nAn evaluation is ready for you to sign:\n{link}\n"
    return send_once(principal, MailKind.EVALUATION_TO_SIGN, f"evaluation report {district_id}/{report_id}",
                     "An evaluation is ready for you to sign", text)


def open_correction(cycle: EvaluationCycle, actor: User, assessment: Assessment, reason: str | None) -> EvaluationReport:
    """The evaluator opens the next version of an issued assessment, with the reason; its ratings can change
    again until it is issued. The earlier versions and their signatures stay."""
    require_evaluator(cycle, actor)
    issued = _issued(cycle, assessment)
    label = assessment_label(cycle, assessment).lower()
    if not issued:
        raise InvalidInput({"reason": [f"The {label} is not issued yet: change its ratings directly."]})
    if _open_correction(cycle, assessment) is not None:
        raise InvalidInput({"reason": [f"A correction of the {label} is open already: issue it first."]})
    if not (reason or "").strip():
        raise InvalidInput({"reason": ["Say why the issued version is corrected: the principal reads it."]})
    report = EvaluationReport(district_id=cycle.district_id, cycle_id=cycle.id, assessment=assessment,
                              version=issued[-1].version + 1, correction_reason=reason)
    db.session.add(report)
    _event(cycle, actor, f"Opened a correction of the {label} (version {report.version}): {reason}")
    db.session.flush()
    return report


def sign(cycle: EvaluationCycle, actor: User, report: EvaluationReport, response: str | None) -> None:
    """The principal acknowledges receipt of an issued version, with an optional written response; signing the
    summative completes step 5. Refused for anyone else (NotYours), twice, or when a newer version is issued."""
    _require_principal(cycle, actor, "signs their evaluation")
    label = assessment_label(cycle, report.assessment).lower()
    if report.issued_at is None:
        raise InvalidInput({"response": [f"This version of the {label} is not issued yet."]})
    if report.signed_at is not None:
        raise InvalidInput({"response": [f"You signed version {report.version} of the {label} already."]})
    newest = _issued(cycle, report.assessment)[-1]
    if newest.version > report.version:
        raise InvalidInput({"response": [f"Version {newest.version} of the {label} replaces this one: sign that."]})
    report.signed_at, report.signed_by_id, report.response = stored_now(), actor.id, response
    if report.assessment == Assessment.SUMMATIVE and not _step_done(cycle, Step.SUMMATIVE):
        _complete(cycle, actor, Step.SUMMATIVE)
    with_response = ", with a written response" if response else ""
    _event(cycle, actor, f"Signed the {label}, version {report.version}{with_response}")
    db.session.flush()


# --- reading ------------------------------------------------------------------------------------------------

def history_of(cycle: EvaluationCycle) -> list[EvaluationEvent]:
    """The cycle's own history, newest first."""
    return list(db.session.scalars(select(EvaluationEvent).where(
        EvaluationEvent.district_id == cycle.district_id, EvaluationEvent.cycle_id == cycle.id)
        .order_by(EvaluationEvent.at.desc(), EvaluationEvent.id.desc())))


def people_named(ids) -> dict[int, str]:
    """{user id: name} of the people who issued or signed versions, in one statement."""
    ids = {i for i in ids if i is not None}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).tuples().all()) if ids else {}

