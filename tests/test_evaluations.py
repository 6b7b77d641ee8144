"""A principal's evaluation cycle (app/evaluations/services.py): who may open and write what, the steps in their
order, goals, evidence, ratings, issued versions, corrections, signatures and the mail; and the bad input a person
may send (a rating outside the scale, a summative before a formative, signing someone else's evaluation, editing
after signature): a clear message, nothing stored."""
from datetime import date

import pytest
from sqlalchemy import func, select

from app.clock import state_today
from app.districts.models import School
from app.evaluations import services
from app.evaluations.framework import RATED, Assessment, GoalKind, Step
from app.evaluations.models import (
    EvaluationCalendar,
    EvaluationCycle,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationGoal,
    EvaluationGoalAction,
    EvaluationRating,
    EvaluationReport,
    EvaluationStep,
)
from app.extensions import db
from app.forms import InvalidInput
from app.mail import SentMail
from tenants.roles import Role
from tests.factories import UserFactory, grant, observation, visit
from tests.factories_school_people import leader_for
from tests.test_api import counted_statements
from tests.test_notifications import body, run_worker

THIS_YEAR = services.school_years_offered(state_today())[0]
IN_THE_YEAR = date(THIS_YEAR, 10, 5)


@pytest.fixture
def principal(world):
    """Hana, principal of Homeville High, a school of the cluster `world.supervisor` supervises."""
    high = db.session.scalars(select(School).where(School.name == "Homeville High")).one()
    high.cluster_id = world.feature_ids["own"]["cluster"]
    person = UserFactory(name="Hana Highprincipal")
    grant(person, Role.DISTRICT_VIEWER, district=world.home, title="Principal")
    leader_for(high, person)
    return person


def opened(world, principal, actor=None, **data) -> EvaluationCycle:
    details = {"principal_id": principal.id, "school_year": THIS_YEAR, "evaluator_id": None,
               "plan_type": "self_directed_growth", "plan_months": 12, "formative_kind": "formative_assessment"}
    return services.open_cycle(world.home, actor or world.supervisor, details | data)


def goals_of_each_kind(cycle, evaluator) -> list[EvaluationGoal]:
    return [services.save_goal(cycle, evaluator, {"kind": kind.value, "title": f"A {kind.label.lower()}"})
            for kind in GoalKind]


def at_step_4(world, principal) -> EvaluationCycle:
    """A cycle with its self-assessment submitted, goals set and the plan implemented: the formative is next."""
    cycle = opened(world, principal)
    services.write_self_assessment(cycle, principal, "I lead the ILT well; family outreach lags.", submit=True)
    goals_of_each_kind(cycle, world.supervisor)
    services.complete_step(cycle, world.supervisor, Step.GOALS_AND_PLAN)
    services.complete_step(cycle, world.supervisor, Step.IMPLEMENTATION)
    return cycle


def rate(cycle, evaluator, assessment, rating="proficient", progress="met") -> None:
    services.save_ratings(cycle, evaluator, assessment,
                          {code: (rating, f"Rationale for {code}") for code in RATED},
                          {goal.id: (progress, None) for goal in services.goals_of(cycle)})


def rows(model, cycle) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.cycle_id == cycle.id))


def done_steps(cycle) -> list[str]:
    return [state.step.value for state in services.step_states(cycle, state_today()) if state.done]


# --- opening --------------------------------------------------------------------------------------------------

def test_a_cycle_opens_with_its_five_steps_due_by_the_usual_dates(world, principal):
    cycle = opened(world, principal)
    assert (cycle.evaluator_id, cycle.school.name) == (world.supervisor.id, "Homeville High")
    due = {state.step: state.row.due_on for state in services.step_states(cycle, state_today())}
    assert due == {Step.SELF_ASSESSMENT: date(THIS_YEAR, 10, 1), Step.GOALS_AND_PLAN: date(THIS_YEAR, 10, 15),
                   Step.IMPLEMENTATION: None, Step.FORMATIVE: date(THIS_YEAR + 1, 2, 1),
                   Step.SUMMATIVE: date(THIS_YEAR + 1, 5, 15)}
    assert [e.what for e in services.history_of(cycle)] == ["Opened the cycle, with Sol Supervisor as evaluator"]


def test_a_cycle_takes_the_district_s_calendar(world, principal):
    services.save_calendar(world.home, {"school_year": THIS_YEAR, "self_assessment_due": date(THIS_YEAR, 9, 20),
                                        "goals_due": date(THIS_YEAR, 10, 10), "formative_due": date(THIS_YEAR + 1, 1, 15),
                                        "summative_due": date(THIS_YEAR + 1, 5, 1)})
    steps = services.step_states(opened(world, principal), state_today())
    assert [state.row.due_on for state in steps] == [date(THIS_YEAR, 9, 20), date(THIS_YEAR, 10, 10), None,
                                                     date(THIS_YEAR + 1, 1, 15), date(THIS_YEAR + 1, 5, 1)]


def test_calendar_dates_out_of_order_or_out_of_the_year_are_refused(world):
    with pytest.raises(InvalidInput) as refused:
        services.save_calendar(world.home, {"school_year": THIS_YEAR, "self_assessment_due": date(THIS_YEAR, 6, 1),
                                            "goals_due": date(THIS_YEAR, 10, 10), "formative_due": date(THIS_YEAR, 10, 1),
                                            "summative_due": date(THIS_YEAR + 1, 5, 1)})
    assert refused.value.messages["self_assessment_due"][0].startswith("Give a date within the school year")
    assert refused.value.messages["formative_due"] == ["Give a date on or after the previous step's."]
    assert db.session.scalar(select(func.count()).select_from(EvaluationCalendar)) == 0


def test_who_may_open_a_cycle_and_name_its_evaluator(world, principal):
    superintendent, other = world.privacy_people["superintendent"], world.privacy_people["other_supervisor"]
    with pytest.raises(services.NotYours):
        opened(world, principal, actor=other)  # supervises no cluster, leads nothing
    with pytest.raises(services.NotYours):
        opened(world, principal, actor=world.privacy_people["principal"])
    with pytest.raises(InvalidInput) as refused:
        opened(world, principal, actor=world.leader, evaluator_id=world.supervisor.id)
    assert refused.value.messages == {"evaluator_id": ["Name yourself: the superintendent assigns other evaluators."]}
    with pytest.raises(InvalidInput) as refused:
        opened(world, principal, actor=superintendent, evaluator_id=other.id)  # not the cluster's supervisor
    assert "the supervisor of Homeville High's cluster" in refused.value.messages["evaluator_id"][0]
    with pytest.raises(InvalidInput) as refused:
        opened(world, principal, actor=world.leader, principal_id=world.viewer.id)  # a viewer, not a principal
    assert refused.value.messages == {"principal_id": ["Choose one of Homeville's principals from the list."]}
    assert rows(EvaluationStep, EvaluationCycle(id=-1)) == 0
    cycle = opened(world, principal, actor=superintendent, evaluator_id=world.supervisor.id)
    assert cycle.evaluator_id == world.supervisor.id and cycle.opened_by_id == superintendent.id


def test_one_cycle_per_principal_per_school_year(world, principal):
    opened(world, principal)
    with pytest.raises(InvalidInput) as refused:
        opened(world, principal, actor=world.leader)
    assert refused.value.messages == {
        "principal_id": [f"Hana Highprincipal already has an evaluation cycle for {THIS_YEAR}-{(THIS_YEAR + 1) % 100:02d}."]}
    assert opened(world, principal, school_year=THIS_YEAR + 1).school_year == THIS_YEAR + 1


def test_a_plan_longer_than_its_type_allows_is_refused(world, principal):
    with pytest.raises(InvalidInput) as refused:
        opened(world, principal, plan_type="directed_growth", plan_months=18)
    assert refused.value.messages == {"plan_months": ["A directed growth plan runs 1 to 12 months."]}
    cycle = opened(world, principal, plan_months=24)
    with pytest.raises(services.NotYours):
        services.save_plan(cycle, world.privacy_people["superintendent"], {
            "plan_type": "developing", "plan_months": 12, "formative_kind": "formative_evaluation"})


def test_only_the_superintendent_reassigns_the_evaluator_and_to_an_eligible_one(world, principal):
    cycle = opened(world, principal)
    superintendent = world.privacy_people["superintendent"]
    with pytest.raises(services.NotYours):
        services.reassign_evaluator(cycle, world.supervisor, world.leader.id)
    with pytest.raises(InvalidInput):
        services.reassign_evaluator(cycle, superintendent, world.privacy_people["other_supervisor"].id)
    services.reassign_evaluator(cycle, superintendent, world.leader.id)
    assert cycle.evaluator.name == "Lia Leader"
    assert services.history_of(cycle)[0].what == "Reassigned the cycle to Lia Leader as evaluator"


# --- steps ----------------------------------------------------------------------------------------------------

def test_steps_are_completed_in_their_order(world, principal):
    cycle = opened(world, principal)
    with pytest.raises(InvalidInput) as refused:
        services.complete_step(cycle, world.supervisor, Step.IMPLEMENTATION)
    assert refused.value.messages == {"step": ["Complete step 1, self-assessment, first: the steps are done in order."]}
    with pytest.raises(services.NotYours):
        services.write_self_assessment(cycle, world.supervisor, "Written for them", submit=True)
    with pytest.raises(InvalidInput):
        services.write_self_assessment(cycle, principal, "  ", submit=True)
    services.write_self_assessment(cycle, principal, "A draft", submit=False)
    assert done_steps(cycle) == []
    services.write_self_assessment(cycle, principal, "My self-assessment", submit=True)
    assert done_steps(cycle) == ["self_assessment"]
    with pytest.raises(InvalidInput) as refused:
        services.write_self_assessment(cycle, principal, "Rewritten", submit=False)
    assert "it is part of the record now" in refused.value.messages["self_assessment"][0]
    assert cycle.self_assessment == "My self-assessment"
    with pytest.raises(InvalidInput) as refused:
        services.complete_step(cycle, world.supervisor, Step.FORMATIVE)
    assert refused.value.messages == {"step": ["Step 4 is done when you issue the formative."]}


def test_step_2_needs_a_goal_of_each_kind(world, principal):
    cycle = opened(world, principal)
    services.write_self_assessment(cycle, principal, "Mine", submit=True)
    services.save_goal(cycle, world.supervisor, {"kind": "student_learning", "title": "Grade 3 reading"})
    with pytest.raises(InvalidInput) as refused:
        services.complete_step(cycle, world.supervisor, Step.GOALS_AND_PLAN)
    assert refused.value.messages == {"step": [
        "Add a professional practice goal, a school improvement goal before completing step 2."]}
    services.save_goal(cycle, world.supervisor, {"kind": "professional_practice", "title": "Feedback cycles"})
    services.save_goal(cycle, world.supervisor, {"kind": "school_improvement", "title": "Attendance"})
    services.complete_step(cycle, world.supervisor, Step.GOALS_AND_PLAN)
    state = services.step_states(cycle, state_today())
    assert done_steps(cycle) == ["self_assessment", "goals_and_plan"] and state[2].current


def test_overdue_steps_are_those_not_done_past_their_date(world, principal):
    cycle = opened(world, principal)
    states = services.step_states(cycle, date(THIS_YEAR, 10, 16))
    assert [s.overdue for s in states] == [True, True, False, False, False]
    assert [s.current for s in states] == [True, False, False, False, False]


# --- goals ----------------------------------------------------------------------------------------------------

def test_a_goal_points_at_actions_of_the_district_s_plan_only(world, principal):
    cycle = opened(world, principal)
    own_action = world.feature_ids["own"]["action"]
    goal = services.save_goal(cycle, world.supervisor, {
        "kind": "school_improvement", "title": "Tiered attendance supports", "key_actions": "Home visits",
        "benchmarks": "Chronic absence under 15% by February", "action_ids": [own_action]})
    assert [link.action_id for link in goal.plan_actions] == [own_action]
    with pytest.raises(InvalidInput) as refused:
        services.save_goal(cycle, world.supervisor, {"kind": "school_improvement", "title": "Changed",
                                                     "action_ids": [world.feature_ids["foreign"]["action"]]}, goal)
    assert refused.value.messages == {"action_ids": ["Choose actions of the district's improvement plan from the list."]}
    services.save_goal(cycle, world.supervisor, {"kind": "school_improvement", "title": "Changed", "action_ids": []},
                       goal)
    assert rows(EvaluationGoalAction, cycle) == 0 and goal.title == "Changed"
    with pytest.raises(services.NotYours):
        services.delete_goal(cycle, principal, goal)
    services.delete_goal(cycle, world.supervisor, goal)
    assert rows(EvaluationGoal, cycle) == 0


# --- evidence -------------------------------------------------------------------------------------------------

def test_evidence_is_a_visit_of_the_principal_s_school_or_coaching_them_in_the_year(world, principal):
    cycle = opened(world, principal)
    high = cycle.school
    at_school = visit(world.home, world.lead, high, visited_on=IN_THE_YEAR, purpose="Walkthrough")
    coaching_elsewhere = visit(world.home, world.supervisor, world.home_school, visited_on=IN_THE_YEAR,
                               principal_id=principal.id, purpose="Coaching")
    last_year = visit(world.home, world.lead, high, visited_on=date(THIS_YEAR, 6, 1))
    evidence = services.add_evidence(cycle, world.supervisor, {"visit_id": at_school.id, "indicators": ["I-B", "I-B"]})
    assert (evidence.title, evidence.collected_on, evidence.indicators) == (
        "Visit to Homeville High: Walkthrough", IN_THE_YEAR, ["I-B"])
    services.add_evidence(cycle, world.supervisor, {"visit_id": coaching_elsewhere.id})
    linked = services.add_evidence(cycle, world.supervisor, {"observation_id": observation(at_school, grade="3").id})
    assert linked.visit_id == at_school.id and linked.title.startswith("Classroom observation, grade 3 Mathematics")
    message = (f"Choose a visit of {cycle.school_year_label} at Homeville High or one that coached Hana Highprincipal, "
               "from the list.")
    for refused_visit in (world.home_visit, last_year, world.foreign_visit):  # another school; last year; another district
        with pytest.raises(InvalidInput) as refused:
            services.add_evidence(cycle, world.supervisor, {"visit_id": refused_visit.id})
        assert refused.value.messages == {"visit_id": [message]}
    with pytest.raises(InvalidInput) as refused:
        services.add_evidence(cycle, world.supervisor, {"observation_id": world.foreign_observation.id})
    assert refused.value.messages == {"observation_id": [message]}
    assert rows(EvaluationEvidence, cycle) == 3


def test_an_artifact_with_unknown_indicators_or_a_bad_file_is_refused(world, principal):
    cycle = opened(world, principal)
    with pytest.raises(InvalidInput) as refused:
        services.add_evidence(cycle, world.supervisor, {"title": "Entry plan", "indicators": ["I-B", "V-Z"]},
                              ("plan.pdf", b"not a pdf"))
    assert refused.value.messages == {
        "indicators": ["Choose indicators of the Standards from the list (not V-Z)."],
        "file": ["plan.pdf is not a .pdf file: its contents say otherwise."]}
    with pytest.raises(InvalidInput) as refused:
        services.add_evidence(cycle, world.supervisor, {"title": "Video"}, ("walk.mp4", b"..."))
    assert refused.value.messages["file"][0].startswith("walk.mp4: upload a file of one of these kinds: .pdf")
    with pytest.raises(InvalidInput) as refused:
        services.add_evidence(cycle, world.supervisor, {"title": "Big"},
                              ("big.pdf", b"%PDF" + b"0" * services.MAX_FILE_BYTES))
    assert refused.value.messages == {
        "file": ["big.pdf is larger than 5 MB: upload a smaller file, or describe it in the note."]}
    with pytest.raises(InvalidInput) as refused:
        services.add_evidence(cycle, world.supervisor, {"note": "no title"})
    assert refused.value.messages == {"title": ["Name the artifact, or choose a visit or an observation."]}
    assert rows(EvaluationEvidence, cycle) == 0
    kept = services.add_evidence(cycle, world.supervisor, {"title": "ILT agendas", "indicators": ["IV-E"]},
                                 ("agendas.pdf", b"%PDF-1.7 agendas"))
    assert (kept.file_name, kept.file_type, kept.collected_on) == ("agendas.pdf", "application/pdf", state_today())


def test_an_artifact_s_file_is_downloaded_by_the_circle_only(client, auth, world):
    cycle_id, evidence_id = world.feature_ids["own"]["cycle"], world.feature_ids["own"]["evaluation_evidence"]
    url = f"/districts/homeville/evaluations/{cycle_id}/evidence/{evidence_id}/file"
    auth.sign_in(world.privacy_people["principal"])
    response = client.get(url)
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("Evaluation: Pat")
    assert response.headers["Content-Disposition"] == 'attachment; filename="notes.txt"'
    auth.sign_out()
    auth.sign_in(world.leader)
    assert client.get(url).status_code == 404


# --- ratings, issuing, signing ----------------------------------------------------------------------------------

def test_a_rating_outside_the_scale_is_refused_beside_its_field_and_nothing_is_stored(client, auth, world, principal):
    cycle = at_step_4(world, principal)
    db.session.commit()
    auth.sign_in(world.supervisor)
    response = client.post(f"/districts/homeville/evaluations/{cycle.id}/formative/ratings",
                           data={"rating-I": "superb", "rationale-I": "Strong ILT", "rating-II": "proficient"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose Exemplary, Proficient, Needs improvement or Unsatisfactory." in page
    assert "Strong ILT" in page  # what was typed is kept
    assert rows(EvaluationRating, cycle) == 0
    with pytest.raises(InvalidInput) as refused:
        services.save_ratings(cycle, world.supervisor, Assessment.FORMATIVE, {"V": ("proficient", None)}, {})
    assert refused.value.messages == {"rating-V": ["Rate the four Standards and overall only."]}


def test_a_summative_before_a_formative_is_refused_and_nothing_stored(client, auth, world, principal):
    cycle = at_step_4(world, principal)
    db.session.commit()
    auth.sign_in(world.supervisor)
    response = client.post(f"/districts/homeville/evaluations/{cycle.id}/summative/ratings",
                           data={**{f"rating-{code}": "proficient" for code in RATED}, "issue": "yes"})
    assert response.status_code == 422
    assert "a summative before a formative is refused" in response.get_data(as_text=True)
    assert rows(EvaluationRating, cycle) == 0 and rows(EvaluationReport, cycle) == 0


def test_issuing_needs_every_standard_rated_and_freezes_the_version(world, principal):
    cycle = at_step_4(world, principal)
    services.save_ratings(cycle, world.supervisor, Assessment.FORMATIVE, {"I": ("exemplary", "Strong ILT")}, {})
    with pytest.raises(InvalidInput) as refused:
        services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    assert refused.value.messages["assessment"][0].startswith("Rate Standard II: Management and Operations, ")
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    report = services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    assert report.version == 1 and done_steps(cycle)[-1] == "formative"
    content = report.content
    assert content["assessment"] == "Formative assessment" and content["school"] == "Homeville High"
    assert [r["standard"] for r in content["ratings"]] == ["I", "II", "III", "IV", "overall"]
    assert content["ratings"][0] == {"standard": "I", "label": "Standard I: Instructional Leadership",
                                     "rating": "proficient", "rating_label": "Proficient", "rationale": "Rationale for I"}
    assert content["goals"][0]["progress_label"] == "Met" and content["plan_type"] == "Self-directed growth plan"
    with pytest.raises(InvalidInput) as refused:
        rate(cycle, world.supervisor, Assessment.FORMATIVE, rating="exemplary")
    assert refused.value.messages["assessment"][0].startswith("The formative assessment was issued (version 1)")
    assert services.ratings_of(cycle, Assessment.FORMATIVE)["I"].rating == "proficient"


def test_the_principal_signs_and_responds_a_correction_is_the_next_version(world, principal):
    cycle = at_step_4(world, principal)
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    formative = services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    rate(cycle, world.supervisor, Assessment.SUMMATIVE)
    first = services.issue(cycle, world.supervisor, Assessment.SUMMATIVE)
    for someone_else in (world.supervisor, world.privacy_people["superintendent"]):
        with pytest.raises(services.NotYours):
            services.sign(cycle, someone_else, first, None)
    services.sign(cycle, principal, first, "I disagree with the rating on Standard III.")
    assert first.response.startswith("I disagree") and done_steps(cycle)[-1] == "summative"
    with pytest.raises(InvalidInput) as refused:
        services.sign(cycle, principal, first, None)
    assert refused.value.messages == {"response": ["You signed version 1 of the summative evaluation already."]}
    with pytest.raises(InvalidInput) as refused:  # editing after signature
        rate(cycle, world.supervisor, Assessment.SUMMATIVE, rating="exemplary")
    assert refused.value.messages["assessment"][0].startswith("The summative evaluation was issued and signed")
    with pytest.raises(InvalidInput):
        services.open_correction(cycle, world.supervisor, Assessment.SUMMATIVE, " ")
    correction = services.open_correction(cycle, world.supervisor, Assessment.SUMMATIVE, "Standard III misread")
    rate(cycle, world.supervisor, Assessment.SUMMATIVE, rating="exemplary")
    second = services.issue(cycle, world.supervisor, Assessment.SUMMATIVE)
    assert second is correction and second.version == 2 and second.content["ratings"][0]["rating"] == "exemplary"
    assert first.content["ratings"][0]["rating"] == "proficient" and first.signed_at is not None  # the first stays
    services.sign(cycle, principal, formative, None)
    assert [(r.assessment, r.version, r.signed_at is not None) for r in services.reports_of(cycle)] == [
        ("formative", 1, True), ("summative", 1, True), ("summative", 2, False)]
    history = [e.what for e in services.history_of(cycle)][:4]
    assert history == ["Signed the formative assessment, version 1", "Issued the summative evaluation, version 2",
                       "Saved the summative evaluation ratings",
                       "Opened a correction of the summative evaluation (version 2): Standard III misread"]


def test_an_older_version_is_not_signed_once_a_newer_one_is_issued(world, principal):
    cycle = at_step_4(world, principal)
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    first = services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    services.open_correction(cycle, world.supervisor, Assessment.FORMATIVE, "Wrong school year in the rationale")
    services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    with pytest.raises(InvalidInput) as refused:
        services.sign(cycle, principal, first, None)
    assert refused.value.messages == {"response": ["Version 2 of the formative assessment replaces this one: sign that."]}
    assert first.signed_at is None


def test_signing_someone_else_s_evaluation_is_forbidden_and_changes_nothing(client, auth, world):
    cycle_id, report_id = world.feature_ids["own"]["cycle"], world.feature_ids["own"]["evaluation_report"]
    auth.sign_in(world.privacy_people["superintendent"])
    response = client.post(f"/districts/homeville/evaluations/{cycle_id}/reports/{report_id}/sign",
                           data={"response": "Signed for Pat"})
    assert response.status_code == 403
    assert "Only Pat Principal, the principal evaluated, signs their evaluation." in response.get_data(as_text=True)
    report = db.session.get(EvaluationReport, (world.home.id, report_id))
    db.session.refresh(report)
    assert report.signed_at is None and report.response is None


def test_issuing_mails_the_principal_that_something_is_to_sign_and_nothing_of_it(client, auth, world, principal,
                                                                                    mailbox, redis):
    cycle = at_step_4(world, principal)
    rate(cycle, world.supervisor, Assessment.FORMATIVE, rating="needs_improvement")
    db.session.commit()
    auth.sign_in(world.supervisor)
    response = client.post(f"/districts/homeville/evaluations/{cycle.id}/formative/ratings",
                           data={**{f"rating-{code}": "needs_improvement" for code in RATED}, "issue": "yes"})
    assert response.status_code == 302
    run_worker(redis)
    run_worker(redis)  # a second delivery sends nothing more
    (mail,) = mailbox.messages
    assert mail["To"] == principal.email and mail["Subject"] == "An evaluation is ready for you to sign"
    text = body(mail)
    assert f"/districts/homeville/evaluations/{cycle.id}" in text
    for content in ("Needs improvement", "needs", "Homeville High", "goal", "Standard", "Sol Supervisor", "Rationale"):
        assert content not in text
    assert db.session.scalar(select(func.count()).select_from(SentMail)) == 1


# --- the page -------------------------------------------------------------------------------------------------

def test_the_cycle_page_shows_where_it_stands_to_each_of_the_circle(client, auth, world, principal):
    cycle = at_step_4(world, principal)
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    rate(cycle, world.supervisor, Assessment.SUMMATIVE, rating="exemplary")  # a draft: not the principal's to read
    db.session.commit()
    url = f"/districts/homeville/evaluations/{cycle.id}"
    auth.sign_in(world.supervisor)
    page = client.get(url).get_data(as_text=True)
    assert "Save and issue to Hana Highprincipal" in page and "Awaiting the principal's signature" in page
    auth.sign_out()
    auth.sign_in(principal)
    page = client.get(url).get_data(as_text=True)
    assert "Sign formative assessment, version 1" in page and "Exemplary" not in page
    assert "Issued the formative assessment, version 1" in page  # the history
    auth.sign_out()
    auth.sign_in(world.privacy_people["superintendent"])
    page = client.get(url).get_data(as_text=True)
    assert "Exemplary" in page and "Reassign to" in page and "Save and issue" not in page
    # The principal's page links their cycles for those who may read them.
    principal_page = f"/districts/homeville/principals/{principal.id}"
    assert url in client.get(principal_page).get_data(as_text=True)
    auth.sign_out()
    auth.sign_in(world.leader)
    assert url not in client.get(principal_page).get_data(as_text=True)


def test_the_cycle_page_sends_no_statement_per_goal_evidence_or_version(client, auth, world, principal):
    cycle = at_step_4(world, principal)
    action = world.feature_ids["own"]["action"]

    def grow(n: int) -> None:
        services.save_goal(cycle, world.supervisor, {"kind": "school_improvement", "title": f"Goal {n}",
                                                     "action_ids": [action]})
        services.add_evidence(cycle, world.supervisor, {"title": f"Artifact {n}", "indicators": ["I-A"]})
        observation(visit(world.home, world.lead, cycle.school, visited_on=IN_THE_YEAR, purpose=f"Visit {n}"))

    grow(0)
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    db.session.commit()
    auth.sign_in(world.supervisor)
    url = f"/districts/homeville/evaluations/{cycle.id}"
    client.get(url)
    with counted_statements() as before:
        assert client.get(url).status_code == 200
    for n in range(1, 4):
        grow(n)
    services.open_correction(cycle, world.supervisor, Assessment.FORMATIVE, "A fourth goal")
    rate(cycle, world.supervisor, Assessment.FORMATIVE)
    services.issue(cycle, world.supervisor, Assessment.FORMATIVE)
    db.session.commit()
    client.get(url)
    with counted_statements() as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_the_events_of_a_cycle_stay_in_its_own_history(world, principal):
    cycle = at_step_4(world, principal)
    assert rows(EvaluationEvent, cycle) == 7  # opened, submitted, three goals, two steps
