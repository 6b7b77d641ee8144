"""The test world's evaluation cycles: one per district, and the people of the privacy axis.

In the home district, Pat Principal (of `home_school`) is evaluated by `world.supervisor`, the supervisor of
the cluster of that school; `world.privacy_people` (made at first use) adds who else matters to the rule: the
principal, the superintendent (a district leader granted "sees evaluations") and another school supervisor
of the district.
The foreign district's cycle is Fran Farprincipal's, evaluated by its leader. Each cycle carries a marker text
in every part a page could show, so that a test finds any leak by searching a response for it.
"""
from sqlalchemy import select

from app.accounts.models import User
from app.clock import state_today, stored_now
from app.evaluations.framework import Assessment, GoalKind, PerformanceRating, Step
from app.evaluations.models import (
    EvaluationCycle,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationGoal,
    EvaluationRating,
    EvaluationReport,
    EvaluationStep,
)
from app.extensions import db
from app.regional.services import school_year_start
from tenants.roles import Role

HOME_EVALUATION = "Evaluation: Pat must sharpen the grade 3 reading focus"
FOREIGN_EVALUATION = "Evaluation: Fran overspent the substitute budget"


def cycle_for(principal, evaluator, school, secret: str, school_year: int | None = None) -> EvaluationCycle:
    """A cycle at step 4 (the formative issued, unsigned), its text parts all carrying `secret` (the artifact's
    file too)."""
    today = state_today()
    year = school_year or school_year_start(today).year
    district_id = school.district_id
    cycle = EvaluationCycle(district_id=district_id, principal_id=principal.id, evaluator_id=evaluator.id,
                            school_id=school.id, school_year=year, self_assessment=f"{secret} (self-assessment)")
    db.session.add(cycle)
    db.session.flush()
    done = {Step.SELF_ASSESSMENT, Step.GOALS_AND_PLAN}
    db.session.add_all(EvaluationStep(district_id=district_id, cycle_id=cycle.id, step=step,
                                      completed_on=today if step in done else None) for step in Step)
    db.session.add_all(EvaluationGoal(district_id=district_id, cycle_id=cycle.id, kind=kind,
                                      title=f"{kind.label}: {secret}") for kind in GoalKind)
    db.session.add(EvaluationEvidence(district_id=district_id, cycle_id=cycle.id, title=f"Artifact: {secret}",
                                      collected_on=today, indicators=["I-B"], added_by_id=evaluator.id,
                                      file_name="notes.txt", file_type="text/plain", file_data=secret.encode()))
    db.session.add(EvaluationRating(district_id=district_id, cycle_id=cycle.id, assessment=Assessment.FORMATIVE,
                                    standard="I", rating=PerformanceRating.PROFICIENT, rationale=secret))
    db.session.add(EvaluationReport(district_id=district_id, cycle_id=cycle.id, assessment=Assessment.FORMATIVE,
                                    version=1, issued_at=stored_now(), issued_by_id=evaluator.id,
                                    content={"assessment": "Formative assessment",
                                             "ratings": [{"standard": "I", "label": "Standard I: Instructional "
                                                          "Leadership", "rating": "proficient",
                                                          "rating_label": "Proficient", "rationale": secret}],
                                             "goals": [], "evidence": []}))
    db.session.add(EvaluationEvent(district_id=district_id, cycle_id=cycle.id, user_id=evaluator.id,
                                   what=f"Opened the cycle ({secret})"))
    db.session.flush()
    return cycle


def add_evaluations(world) -> None:
    """A cycle in each district, and the ids of its parts for the matrix."""
    for target, district, school, evaluator, leader, secret in (
            ("own", world.home, world.home_school, world.supervisor, world.leader, HOME_EVALUATION),
            ("foreign", world.foreign, world.foreign_school, world.foreign_leader, world.foreign_leader,
             FOREIGN_EVALUATION)):
        principal = db.session.get(User, world.feature_ids[target]["principal"])
        cycle = cycle_for(principal, evaluator, school, secret)
        parts = {"evaluation_goal": EvaluationGoal, "evaluation_evidence": EvaluationEvidence,
                 "evaluation_report": EvaluationReport}
        world.feature_ids[target] |= {"cycle": cycle.id, "evaluation_leader": leader.id, **{
            name: db.session.scalars(select(model.id).where(model.cycle_id == cycle.id).order_by(model.id)).first()
            for name, model in parts.items()}}


def add_privacy_people(world) -> dict:
    """The privacy axis's people: the home cycle's principal, the superintendent, another supervisor."""
    from tests.factories import person

    superintendent = person(Role.DISTRICT_LEADER, district=world.home, name="Sam Superintendent")
    superintendent.grants[0].sees_evaluations = True
    other_supervisor = person(Role.SCHOOL_SUPERVISOR, district=world.home, name="Otto Othersupervisor")
    db.session.flush()
    return {"principal": db.session.get(User, world.feature_ids["own"]["principal"]),
            "superintendent": superintendent, "other_supervisor": other_supervisor}
