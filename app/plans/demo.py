"""Demo improvement plans and equity goals for the demo districts needing assistance (run again: nothing changes)."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import RoleGrant, User
from app.districts.models import School
from app.extensions import db
from app.plans import models
from app.plans.impact import ImpactAnswers, ImpactRound, checklist
from tenants.models import District

# metric, student group, comparison group, baseline, target, direction, [(year, value, comparison)]
DEMO_GOALS = [
    ("Grade 3 MCAS ELA, meeting or exceeding expectations (%)", "English learners", "All students",
     "12.0", "30.0", "higher", [(2025, "14.5", "31.0"), (2026, "19.0", "33.0")]),
    ("Chronic absenteeism (%)", "Students with disabilities", "All students",
     "34.0", "22.0", "lower", [(2025, "33.5", "24.0"), (2026, "32.0", "23.5")]),
]

# Answers to the shipped equity impact checklist, in its order, for the curriculum action.
DEMO_IMPACT_ANSWERS = [
    "All K-3 students; first English learners and students with disabilities, who are furthest from grade level.",
    "It could, if EL and special education teachers miss the training: they join every session, with materials "
    "in Spanish and Portuguese for families.",
    "Grade 3 MCAS ELA by student group each fall, and the curriculum's unit checks by student group each term.",
    "The English Learner Parent Advisory Council and the Special Education Parent Advisory Council reviewed the "
    "choice in the spring and asked for take-home books in home languages.",
]

CURRICULUM = "Adopt and train on a K-3 ELA curriculum"
HOME_VISITS = "Home visits for students chronically absent"
# action title -> (grade spans of the schools it names, how many): the elementary schools needing focused
# support first for the curriculum, the middle schools for the home visits.
ACTION_SCHOOLS = {CURRICULUM: (("K-5", "PK-K"), 4), HOME_VISITS: (("6-8",), 3)}


def load_demo_plans(today: date) -> int:
    """Give each demo district requiring assistance a plan and two equity goals, once; the demo loader commits."""
    districts = db.session.scalars(
        select(District).where(District.accountability_status.in_(
            ["focused_targeted_support", "broad_comprehensive_support"]))
    ).all()
    made = 0
    for district in districts:
        if db.session.scalar(select(models.ImprovementPlan.id).where(models.ImprovementPlan.district_id == district.id)):
            _name_schools(district)
            continue
        owner = db.session.scalars(
            select(User).join(RoleGrant).where(RoleGrant.district_id == district.id).order_by(User.id)
        ).first()
        if owner is None:
            continue
        _plan(district, owner, today)
        _name_schools(district)
        made += 1
    db.session.flush()
    return made


def _name_schools(district: District) -> None:
    """The schools the demo plan's actions are done in, once (a plan from before actions named schools gets them)."""
    if db.session.scalar(select(models.ActionSchool.id).where(models.ActionSchool.district_id == district.id).limit(1)):
        return
    schools = db.session.scalars(select(School).where(School.district_id == district.id).order_by(School.name)).all()
    actions = db.session.scalars(select(models.Action).where(
        models.Action.district_id == district.id, models.Action.title.in_(ACTION_SCHOOLS))).all()
    for action in actions:
        spans, how_many = ACTION_SCHOOLS[action.title]
        fitting = [s for s in schools if s.grade_span in spans]
        fitting.sort(key=lambda s: s.accountability_category != "focused_targeted_support")
        for school in fitting[:how_many]:
            db.session.add(models.ActionSchool(district_id=district.id, action_id=action.id, school_id=school.id))


def _add(row):
    db.session.add(row)
    db.session.flush()
    return row


def _plan(district: District, owner: User, today: date) -> None:
    year_start = date(today.year if today.month >= 7 else today.year - 1, 7, 1)
    d = district.id
    plan = _add(models.ImprovementPlan(district_id=d, title=f"{district.name} District Improvement Plan",
                                starts_on=year_start, ends_on=year_start.replace(year=year_start.year + 3),
                                status="active"))
    literacy = _add(models.Priority(district_id=d, plan_id=plan.id, position=1, title="Early literacy for every learner"))
    attendance = _add(models.Priority(district_id=d, plan_id=plan.id, position=2, title="Students in school every day"))
    materials = _add(models.Strategy(district_id=d, priority_id=literacy.id,
                              title="High-quality instructional materials in K-3"))
    families = _add(models.Strategy(district_id=d, priority_id=attendance.id, title="Family outreach and home visits"))
    partner = _add(models.Provider(district_id=d, name="Commonwealth Literacy Partners", contract_cents=18_000_000,
                            contract_starts_on=year_start, contract_ends_on=year_start.replace(year=year_start.year + 1)))
    adopt = _add(models.Action(district_id=d, plan_id=plan.id, strategy_id=materials.id, owner_id=owner.id,
                        title=CURRICULUM, starts_on=year_start + timedelta(days=30),
                        due_on=today + timedelta(days=45), status="on_track", allocated_cents=15_000_000,
                        spent_cents=9_250_000, funding_source="Title I", provider_id=partner.id))
    _add(models.ProgressUpdate(district_id=d, action_id=adopt.id, reported_on=today - timedelta(days=9), status="on_track",
                        narrative="All K-3 teachers finished the summer institute; coaching cycles begin next week.",
                        author_id=owner.id))
    _add(models.Milestone(district_id=d, action_id=adopt.id, title="Curriculum in every K-3 classroom",
                   target_on=today + timedelta(days=20)))
    questions = checklist()[:len(DEMO_IMPACT_ANSWERS)]
    answers = {q.id: text for q, text in zip(questions, DEMO_IMPACT_ANSWERS)}
    ImpactRound([], questions).record(adopt, ImpactAnswers(owner, answers))
    outreach = _add(models.Action(district_id=d, plan_id=plan.id, strategy_id=families.id, owner_id=owner.id,
                           title=HOME_VISITS, starts_on=year_start,
                           due_on=today - timedelta(days=10), status="at_risk", allocated_cents=4_000_000,
                           spent_cents=4_350_000, funding_source="State grant"))
    _add(models.Milestone(district_id=d, action_id=outreach.id, title="First round of home visits",
                   target_on=today - timedelta(days=25)))
    _add(models.Risk(district_id=d, plan_id=plan.id, action_id=outreach.id, title="Two family liaison positions unfilled",
              severity="high", owner_id=owner.id, mitigation="Posting shared with community partners."))
    for metric, group, comparison, baseline, target, direction, points in DEMO_GOALS:
        goal = _add(models.EquityGoal(district_id=d, priority_id=literacy.id if "ELA" in metric else attendance.id,
                               metric=metric, student_group=group, comparison_group=comparison,
                               baseline_value=Decimal(baseline), baseline_year=2024, target_value=Decimal(target),
                               target_year=2028, direction=direction))
        for year, value, compared in points:
            _add(models.Measurement(district_id=d, goal_id=goal.id, year=year, value=Decimal(value),
                             comparison_value=Decimal(compared)))
