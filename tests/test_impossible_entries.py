"""What cannot be is refused with a message on its field (nothing stored); what is unusual is saved, and said."""
from datetime import UTC, date, datetime

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.fieldwork.models import Observation, SupportAssignment, Visit
from app.fieldwork.services import record_observation, update_observation, update_visit
from app.forms import InvalidInput
from app.plans import services
from app.plans.figures import read_state_figure
from app.plans.impact import checklist
from app.plans.models import Action, EquityGoal, ImprovementPlan, Milestone, Provider
from tests import factories
from tests.factories import SchoolFactory
from tests.factories_plans import goal_for
from tests.test_api import bearer, new_observation, new_visit

PLAN_PERIOD = "within the plan&#39;s period, 1 Jul 2026 to 30 Jun 2029."


@pytest.fixture
def frozen(monkeypatch):
    """The state's clock at 15 November 2026: the school year of spring 2026 has ended, 2027's has not."""
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 11, 15, 15, 0, tzinfo=UTC))


@pytest.fixture
def leader(client, auth, world):
    auth.sign_in(world.leader)
    return world.ids("own")


def _get(model, row_id):
    return db.session.scalars(select(model).where(model.id == row_id)).one()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _action_form(ids, world, **fields) -> dict:
    answers = {f"impact-{question.id}": "English learners in grade 3." for question in checklist()}
    return {"strategy_id": ids["strategy"], "title": "Tutoring", "owner_id": world.leader.id,
            "starts_on": "2026-09-01", "due_on": "2027-06-30", "status": "not_started"} | answers | fields


@pytest.mark.parametrize("fields, message", [
    ({"starts_on": "1900-01-01"}, "Give a date from 2000 to 2100."),
    ({"due_on": "2999-12-31"}, "Give a date from 2000 to 2100."),
    ({"starts_on": "2026-01-05"}, "Start " + PLAN_PERIOD),
    ({"due_on": "2030-06-30"}, "Set the due date " + PLAN_PERIOD),
])
def test_an_action_outside_its_plan_s_period_is_refused(client, leader, world, fields, message):
    before = count(Action)
    response = client.post(f"/districts/homeville/plans/{leader['plan']}/actions/new",
                           data=_action_form(leader, world, **fields))
    assert response.status_code == 422 and message in response.text
    assert count(Action) == before


def test_the_service_refuses_an_action_outside_its_plan_for_every_caller(world, leader):
    plan = _get(ImprovementPlan, leader["plan"])
    action = _get(Action, leader["action"])
    data = {name: getattr(action, name) for name in services.ACTION_FIELDS} | {"due_on": date(2031, 1, 1)}
    with pytest.raises(InvalidInput) as refused:
        services.save_action(plan, data, action)
    assert refused.value.messages["due_on"] == [
        "Set the due date within the plan's period, 1 Jul 2026 to 30 Jun 2029."]


def test_a_milestone_or_an_update_before_its_action_starts_is_refused(client, leader, frozen):
    action = _get(Action, leader["action"])
    start = f"{action.starts_on.day} {action.starts_on:%b %Y}"
    milestones = count(Milestone)
    response = client.post(f"/districts/homeville/actions/{action.id}/milestones",
                           data={"title": "Tutors hired", "target_on": "2026-07-15"})
    assert response.status_code == 422
    assert f'id="milestone-target_on-error">Set the target on or after the action&#39;s start, {start}.' in response.text
    assert count(Milestone) == milestones
    response = client.post(f"/districts/homeville/actions/{action.id}/updates",
                           data={"reported_on": "2026-07-20", "status": "on_track", "narrative": "Early start"})
    assert response.status_code == 422
    assert f'id="update-reported_on-error">Date the update on or after the action&#39;s start, {start}.' in response.text


def test_a_plan_of_1900_to_2999_is_refused(client, leader):
    before = count(ImprovementPlan)
    response = client.post("/districts/homeville/plan/new", data={
        "title": "Forever", "starts_on": "1900-01-01", "ends_on": "2999-12-31", "status": "draft"})
    assert response.status_code == 422
    assert 'id="starts_on-error">Give a date from 2000 to 2100.' in response.text
    assert 'id="ends_on-error">Give a date from 2000 to 2100.' in response.text
    assert count(ImprovementPlan) == before


def test_a_support_or_a_provider_contract_of_1900_is_refused(client, auth, world):
    auth.sign_in(world.director)
    before = count(SupportAssignment)
    response = client.post("/districts/homeville/assignments/new", data={
        "support_type_id": factories.support_type("Data inquiry").id, "lead_id": world.lead.id,
        "starts_on": "1900-01-01", "planned_hours": "24"})
    assert response.status_code == 422 and "Give a date from 2000 to 2100." in response.text
    assert count(SupportAssignment) == before
    auth.sign_in(world.leader)
    response = client.post("/districts/homeville/providers", data={
        "name": "Old Partner", "kind": "provider", "contract_starts_on": "1900-01-01"})
    assert response.status_code == 422 and "Give a date from 2000 to 2100." in response.text
    assert db.session.scalars(select(Provider).where(Provider.name == "Old Partner")).all() == []


def test_a_measurement_of_a_school_year_not_ended_is_refused(world, frozen):
    goal = goal_for(world.home, baseline_year=2024, target_year=2030)
    with pytest.raises(InvalidInput) as refused:
        services.save_measurement(goal, {"year": 2027, "value": read_state_figure("30")})
    assert refused.value.messages == {
        "year": ["The school year of spring 2027 has not ended yet: give a year up to 2026."]}
    assert services.save_measurement(goal, {"year": 2026, "value": read_state_figure("30")}).year == 2026


def test_a_measurement_for_2035_on_the_goal_s_page(client, leader, world, frozen):
    goal = goal_for(world.home, baseline_year=2024, target_year=2035)
    response = client.post(f"/districts/homeville/goals/{goal.id}/measurements", data={"year": "2035", "value": "31"})
    assert response.status_code == 422
    assert 'id="year-error">The school year of spring 2035 has not ended yet: give a year up to 2026.' in response.text


@pytest.mark.parametrize("direction, target, message", [
    ("higher", "15", "Higher is better: set a target above the baseline (20.00), or choose"),
    ("lower", "25", "Lower is better: set a target below the baseline (20.00), or choose"),
])
def test_a_goal_whose_target_goes_the_wrong_way_is_refused(client, leader, direction, target, message):
    before = count(EquityGoal)
    response = client.post("/districts/homeville/goals", data={
        "metric": "Grade 3 MCAS ELA (%)", "student_group": "English learners", "comparison_group": "All students",
        "baseline_value": "20.00", "baseline_year": "2025", "target_value": target, "target_year": "2029",
        "direction": direction})
    assert response.status_code == 422
    assert f'id="target_value-error">{escape(message)}' in response.text
    assert count(EquityGoal) == before


OBSERVATION_TOO_LONG = "The visit lasted 90 minutes: an observation in it lasts at most as long."


def test_a_200_minute_observation_in_a_90_minute_visit_is_refused(client, auth, world):
    auth.sign_in(world.lead)
    assert world.home_visit.minutes == 90
    before = count(Observation)
    response = client.post(f"/districts/homeville/visits/{world.home_visit.id}/observations/new",
                           data={"grade": "5", "subject": "Science", "minutes": "200"})
    assert response.status_code == 422 and OBSERVATION_TOO_LONG in response.text
    response = client.post("/api/v1/observations", headers=bearer(world.lead),
                           json=new_observation(minutes=200) | {"visit_id": world.home_visit.id})
    assert response.status_code == 422
    assert response.json["error"]["errors"] == {"minutes": [OBSERVATION_TOO_LONG]}
    response = client.post("/api/v1/visits", headers=bearer(world.lead),
                           json=new_visit(world, minutes=90, observations=[new_observation(minutes=200)]))
    assert response.status_code == 422
    assert response.json["error"]["errors"] == {"observations.0.minutes": [OBSERVATION_TOO_LONG]}
    assert count(Observation) == before


def test_an_observation_and_its_visit_stay_within_each_other_when_changed(world):
    with pytest.raises(InvalidInput) as refused:
        update_observation(world.home_observation, {"minutes": 120})
    assert refused.value.messages == {"minutes": [OBSERVATION_TOO_LONG]}
    with pytest.raises(InvalidInput) as refused:
        update_visit(world.home_visit, {"minutes": world.home_observation.minutes - 5})
    assert refused.value.messages == {"minutes": [
        f"One of its classroom observations lasted {world.home_observation.minutes} minutes: "
        "a visit lasts at least as long."]}
    with pytest.raises(InvalidInput):
        record_observation(world.home_visit, new_observation(minutes=91))


def test_a_support_for_one_school_on_a_visit_to_another_is_refused(client, auth, world):
    auth.sign_in(world.lead)
    other = SchoolFactory(district=world.home, name="Second Street School")
    db.session.flush()
    before = count(Visit)
    message = "Choose supports of the school visited: Homeville Elementary is for another school."
    response = client.post("/api/v1/visits", headers=bearer(world.lead), json=new_visit(world, school_id=other.id))
    assert response.status_code == 422
    assert response.json["error"]["errors"] == {"support_ids": [message]}
    response = client.patch(f"/api/v1/visits/{world.home_visit.id}", headers=bearer(world.lead),
                            json={"school_id": other.id})
    assert response.status_code == 422 and response.json["error"]["errors"] == {"support_ids": [message]}
    # A visit to the district office may serve any school's support.
    response = client.post("/api/v1/visits", headers=bearer(world.lead), json=new_visit(world, school_id=None))
    assert response.status_code == 201
    assert count(Visit) == before + 1


def test_spent_above_allocated_is_saved_with_a_warning(client, leader, world):
    response = client.post(f"/districts/homeville/plans/{leader['plan']}/actions/new", follow_redirects=True,
                           data=_action_form(leader, world, title="Over budget", allocated_cents="1,000",
                                             spent_cents="1500.00"))
    assert response.status_code == 200
    assert ('class="flash flash-warning">Saved, but check the budget: $1,500.00 spent is more than the $1,000.00 '
            "allocated.") in response.text
    assert db.session.scalars(select(Action).where(Action.title == "Over budget")).one().spent_cents == 150_000
