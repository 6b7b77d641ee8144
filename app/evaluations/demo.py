"""The demo's evaluation cycles: a school year of Worcester's principals at different steps, made through the
services as their people would (run again: nothing changes).

The superintendent login (superintendent@example.org) is granted "sees evaluations" and opens every cycle; each
principal's evaluator is the supervisor of their school's quadrant (the superintendent for the citywide schools).
The demo principal (principal@example.org) has a formative issued and waiting for their signature.
"""
from sqlalchemy import select

from app.accounts.models import User
from app.clock import state_today
from app.evaluations import services
from app.evaluations.framework import RATED, Assessment, GoalKind, Step
from app.evaluations.models import EvaluationCycle
from app.extensions import db
from tenants.models import District
from tenants.roles import Role

SUPERINTENDENT = "superintendent@example.org"
DEMO_PRINCIPAL = "principal@example.org"
# How far each cycle has come, in the order the principals are taken (the demo principal's first); the stages
# are those of `_advance`.
STAGES = ("formative_issued", "opened", "opened", "self_assessed", "goals", "goals", "implemented",
          "formative_signed", "formative_signed", "summative_signed", "summative_signed", "corrected")
GOALS = {
    GoalKind.STUDENT_LEARNING: ("Grade 3 students reading at benchmark rise from 41% to 55% on the spring screener",
                                "Weekly data meetings by grade; small-group tiered reading blocks",
                                "Winter screener: 48%; spring: 55%"),
    GoalKind.PROFESSIONAL_PRACTICE: ("Give every teacher written feedback within two days of each walkthrough",
                                     "A walkthrough calendar; a feedback template aligned to the look-fors",
                                     "Feedback log reviewed monthly with the supervisor"),
    GoalKind.SCHOOL_IMPROVEMENT: ("Cut chronic absence from 28% to 20%",
                                  "Attendance team meets weekly; home visits for students absent 10% or more",
                                  "Monthly attendance report; 24% by January"),
}
SELF_ASSESSMENT = ("Strengths in instructional leadership (I-B, I-E): the ILT now looks at student work every "
                   "month. Growth area: family engagement (III-A); conferences reached fewer than half of families.")
RATIONALE = {
    "I": "Walkthroughs show consistent small-group instruction; the ILT uses screener data to regroup students.",
    "II": "Schedules protect intervention blocks; the budget was closed on time.",
    "III": "Family conferences reached 62% of families, up from 45%; outreach in home languages has begun.",
    "IV": "Staff surveys show a shared vision; conflicts over duty schedules were resolved openly.",
    "overall": "A principal whose practice meets the standard, with family engagement as the next step.",
}
RESPONSE = ("I accept the ratings. On Standard III, the family events of the spring are not yet reflected; I will "
            "bring the attendance data to our next meeting.")


def load_demo_evaluations(district: District) -> int:
    """Open and advance a cycle for each of the first principals of `district`, once; the number of cycles made."""
    superintendent = db.session.scalars(select(User).where(User.email == SUPERINTENDENT)).one()
    for grant in superintendent.grants:
        if grant.role == Role.DISTRICT_LEADER and grant.district_id == district.id:
            grant.sees_evaluations = True
    db.session.flush()
    if db.session.scalar(select(EvaluationCycle.id).where(EvaluationCycle.district_id == district.id)
                         .limit(1)) is not None:
        return 0
    principals = sorted(services.eligible_principals(district.id),
                        key=lambda row: (row[0].email != DEMO_PRINCIPAL, row[1].name))
    year = services.school_years_offered(state_today())[0]
    for (principal, school), stage in zip(principals, STAGES, strict=False):
        supervisor = school.cluster.supervisor if school.cluster is not None else None
        evaluator = supervisor or superintendent
        cycle = services.open_cycle(district, superintendent, {
            "principal_id": principal.id, "school_year": year, "evaluator_id": evaluator.id,
            "plan_type": "self_directed_growth", "plan_months": 12, "formative_kind": "formative_assessment"})
        _advance(cycle, stage, principal, evaluator)
    return min(len(principals), len(STAGES))


def _advance(cycle: EvaluationCycle, stage: str, principal: User, evaluator: User) -> None:
    """Take the cycle as far as `stage`, each act by the person whose act it is."""
    order = ("opened", "self_assessed", "goals", "implemented", "formative_issued", "formative_signed",
             "summative_signed", "corrected")
    reached = order.index(stage)
    if reached >= order.index("self_assessed"):
        services.write_self_assessment(cycle, principal, SELF_ASSESSMENT, submit=True)
    if reached >= order.index("goals"):
        actions = [action.id for action in services.plan_actions_of(cycle.district_id)[:1]]
        for kind, (title, key_actions, benchmarks) in GOALS.items():
            services.save_goal(cycle, evaluator, {
                "kind": kind.value, "title": title, "key_actions": key_actions, "benchmarks": benchmarks,
                "action_ids": actions if kind is GoalKind.SCHOOL_IMPROVEMENT else []})
        for visit in services.visits_for_evidence(cycle)[:2]:
            services.add_evidence(cycle, evaluator, {"visit_id": visit.id, "indicators": ["I-B", "IV-A"]})
        services.complete_step(cycle, evaluator, Step.GOALS_AND_PLAN)
    if reached >= order.index("implemented"):
        services.complete_step(cycle, evaluator, Step.IMPLEMENTATION)
    if reached >= order.index("formative_issued"):
        formative = _rate_and_issue(cycle, evaluator, Assessment.FORMATIVE, "proficient")
    if reached >= order.index("formative_signed"):
        services.sign(cycle, principal, formative, None)
    if reached >= order.index("summative_signed"):
        summative = _rate_and_issue(cycle, evaluator, Assessment.SUMMATIVE, "proficient")
        services.sign(cycle, principal, summative, RESPONSE)
    if reached >= order.index("corrected"):
        services.open_correction(cycle, evaluator, Assessment.SUMMATIVE,
                                 "Standard III: the spring family events were left out of the evidence.")
        corrected = _rate_and_issue(cycle, evaluator, Assessment.SUMMATIVE, "proficient", standard_iii="exemplary")
        services.sign(cycle, principal, corrected, None)


def _rate_and_issue(cycle, evaluator, assessment, rating, standard_iii=None):
    ratings = {code: (standard_iii if code == "III" and standard_iii else rating, RATIONALE[code]) for code in RATED}
    progress = {goal.id: ("significant_progress", None) for goal in services.goals_of(cycle)}
    services.save_ratings(cycle, evaluator, assessment, ratings, progress)
    return services.issue(cycle, evaluator, assessment)
