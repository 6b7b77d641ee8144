"""Editing and deleting a plan's rows, observations as evidence, and the district's plan settings."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from rq import Queue
from sqlalchemy import select

from app import clock
from app.audit.models import AuditEvent
from app.extensions import db
from app.forms import InvalidInput
from app.plans import services
from app.plans.figures import StateFigure
from app.plans.health import plan_health
from app.plans.impact import ImpactAnswers, checklist
from app.plans.models import (
    Action,
    ActionEvidence,
    EquityGoal,
    ImprovementPlan,
    Measurement,
    Priority,
    Provider,
    Risk,
    RiskStatus,
    Strategy,
)
from tests.factories_plans import action_for, added
from workers.jobs import make_due_status_reports

TODAY = date(2026, 11, 1)


def _get(model, row_id):
    return db.session.scalars(select(model).where(model.id == row_id)).one_or_none()


def _deleted(model, row_id) -> list[dict]:
    """The audit trail's record of a deleted row: the values it held."""
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == model.__name__, AuditEvent.object_id == str(row_id), AuditEvent.action == "delete"))
    return [{name: pair[0] for name, pair in event.changes.items()} for event in events]


@pytest.fixture
def results_of_2027_out(monkeypatch):
    """The state's clock in September 2027: the school year of spring 2027 has ended."""
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2027, 9, 15, 15, 0, tzinfo=UTC))


@pytest.fixture
def ids(world):
    return world.ids("own")


# --- deleting: refused while in use, never orphaning, always in the trail -------------------------


def test_a_strategy_with_an_action_is_kept_until_the_action_moves(world, ids):
    strategy, action = _get(Strategy, ids["strategy"]), _get(Action, ids["action"])
    assert services.deletion_of(strategy).refused == (
        "It still has 1 action: move them to another strategy or delete them first.")
    with pytest.raises(services.StillInUse):
        services.delete(strategy)
    assert _get(Strategy, ids["strategy"]) is not None and _get(Action, ids["action"]) is not None

    plan = _get(ImprovementPlan, ids["plan"])
    moved = {name: getattr(action, name) for name in services.ACTION_FIELDS} | {"strategy_id": ids["spare_strategy"]}
    # A move to another strategy is a material change: the equity impact questions are answered again.
    impact = ImpactAnswers(world.leader, {question.id: "The same students." for question in checklist()})
    services.save_action(plan, moved, action, impact)
    services.delete(strategy)
    assert _get(Strategy, ids["strategy"]) is None
    assert _get(Action, ids["action"]).strategy_id == ids["spare_strategy"]
    assert _deleted(Strategy, ids["strategy"])[0]["title"] == "High-quality instructional materials in K-3"


def test_deleting_a_priority_takes_its_empty_strategies_unlinks_goals_and_renumbers(world, ids):
    plan = _get(ImprovementPlan, ids["plan"])
    first, spare = _get(Priority, ids["priority"]), _get(Priority, ids["spare_priority"])
    third = services.save_priority(plan, {"title": "Family partnership"})
    assert third.position == 3
    goal = _get(EquityGoal, ids["goal"])
    goal.priority_id = spare.id
    db.session.commit()
    assert services.deletion_of(first).refused.startswith("Its strategies still have 1 action")

    assert services.deletion_of(spare).consequences == [
        "Its strategy “Family outreach” (no actions) is deleted too.",
        f"The equity goal “{goal}” stays, linked to no priority.",
    ]
    services.delete(spare)
    db.session.expire_all()
    assert _get(Priority, ids["spare_priority"]) is None and _get(Strategy, ids["spare_strategy"]) is None
    assert _get(EquityGoal, ids["goal"]).priority_id is None
    assert [(p.title, p.position) for p in _get(ImprovementPlan, ids["plan"]).priorities] == [
        ("Early literacy", 1), ("Family partnership", 2)]
    assert _deleted(Strategy, ids["spare_strategy"])[0]["title"] == "Family outreach"
    assert _deleted(Priority, ids["spare_priority"])[0]["title"] == "Attendance"


def test_a_provider_serving_actions_is_kept(world, ids):
    provider = _get(Provider, ids["provider"])
    assert services.deletion_of(provider).refused == (
        "It serves 1 action: choose another provider, or none, on them first.")
    services.delete(_get(Provider, ids["spare_provider"]))
    assert _get(Provider, ids["spare_provider"]) is None and _get(Provider, ids["provider"]) is not None


@pytest.mark.usefixtures("results_of_2027_out")
def test_deleting_a_goal_deletes_its_measurements_each_in_the_trail(world, ids):
    goal = _get(EquityGoal, ids["goal"])
    services.save_measurement(goal, {"year": 2027, "value": StateFigure(Decimal("28")), "comparison_value": None})
    db.session.commit()  # as the view does: the goal's measurements are read again
    assert services.deletion_of(goal).consequences == [
        "Its measurement of 2026 is deleted too.", "Its measurement of 2027 is deleted too."]
    services.delete(goal)
    assert db.session.scalars(select(Measurement).where(Measurement.goal_id == ids["goal"])).all() == []
    assert _deleted(Measurement, ids["measurement"])[0]["value"] == "24.00"
    assert _deleted(EquityGoal, ids["goal"])[0]["student_group"] == "English learners"


# --- editing: the rules of adding ------------------------------------------------------------------


def test_a_goal_s_years_must_keep_its_measurements(world, ids):
    goal = _get(EquityGoal, ids["goal"])  # 2025 to 2029, measured in 2026
    data = {name: getattr(goal, name) for name in services.GOAL_FIELDS}
    with pytest.raises(InvalidInput) as refused:
        services.save_goal(world.home, data | {"baseline_year": 2027}, goal)
    assert refused.value.messages == {"baseline_year": [
        "The goal has measurements of 2026: keep them within its years, or delete them first."]}
    db.session.expire_all()
    assert _get(EquityGoal, ids["goal"]).baseline_year == 2025
    services.save_goal(world.home, data | {"target_year": 2026, "target_value": Decimal("30")}, goal)
    assert (goal.target_year, goal.target_value) == (2026, Decimal("30"))


@pytest.mark.usefixtures("results_of_2027_out")
def test_a_measurement_is_corrected_within_the_goal_s_years_and_once_a_year(world, ids):
    goal, measurement = _get(EquityGoal, ids["goal"]), _get(Measurement, ids["measurement"])
    other = services.save_measurement(goal, {"year": 2027, "value": StateFigure(Decimal("28")), "comparison_value": None})
    with pytest.raises(InvalidInput, match="Give a year from 2025 to 2029."):
        services.save_measurement(goal, {"year": 2030, "value": StateFigure(Decimal("30"))}, measurement)
    with pytest.raises(InvalidInput, match="2027 is already measured."):
        services.save_measurement(goal, {"year": 2027, "value": StateFigure(Decimal("30"))}, measurement)
    services.save_measurement(goal, {"year": 2026, "value": StateFigure(Decimal("25.50")), "comparison_value": None}, measurement)
    assert (measurement.value, measurement.comparison_value, other.year) == (Decimal("25.50"), None, 2027)


def test_a_provider_keeps_its_own_name_but_not_another_s(world, ids):
    provider = _get(Provider, ids["provider"])
    data = {"name": provider.name, "kind": "partner", "contract_cents": 500_000, "contract_starts_on": None,
            "contract_ends_on": None}
    services.save_provider(world.home, data, provider)
    assert (provider.kind, provider.contract_cents) == ("partner", 500_000)
    (edit,) = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Provider", AuditEvent.object_id == str(provider.id), AuditEvent.action == "update"))
    assert edit.changes == {"kind": ["provider", "partner"], "contract_cents": [4_000_000, 500_000]}
    with pytest.raises(InvalidInput, match="Homeville already has a provider of that name."):
        services.save_provider(world.home, data | {"name": "Homeville Attendance Works"}, provider)


def test_a_strategy_moves_only_to_a_priority_of_its_plan(world):
    own, foreign = world.ids("own"), world.ids("foreign")
    plan, strategy = _get(ImprovementPlan, own["plan"]), _get(Strategy, own["strategy"])
    with pytest.raises(InvalidInput, match="Choose a priority of this plan."):
        services.save_strategy(plan, {"priority_id": foreign["priority"], "title": "Moved away"}, strategy)
    services.save_strategy(plan, {"priority_id": own["spare_priority"], "title": "Structured literacy"}, strategy)
    db.session.expire_all()
    assert (_get(Strategy, own["strategy"]).priority_id, _get(Strategy, own["strategy"]).title) == (
        own["spare_priority"], "Structured literacy")


# --- observations as evidence ----------------------------------------------------------------------


def test_an_observation_is_linked_once_and_only_from_the_district(world, ids):
    action = _get(Action, ids["action"])
    first = services.link_evidence(action, {"observation_id": world.home_observation.id, "visit_id": None})
    again = services.link_evidence(action, {"observation_id": world.home_observation.id, "visit_id": None})
    services.link_evidence(action, {"visit_id": world.home_visit.id, "observation_id": None})
    assert first.id == again.id
    assert [(e.visit_id, e.observation_id) for e in services.evidence_of(action)] == [
        (None, world.home_observation.id), (world.home_visit.id, None)]
    with pytest.raises(InvalidInput, match="Choose an observation of Homeville."):
        services.link_evidence(action, {"observation_id": world.foreign_observation.id, "visit_id": None})


# --- the district's plan settings ------------------------------------------------------------------


def test_plan_health_and_the_report_schedule_follow_the_district_s_settings(world, ids, redis):
    plan = _get(ImprovementPlan, ids["plan"])
    # The action started on 1 Aug 2026 and never had an update: stale after 30 days, not after 120.
    assert plan_health(plan, TODAY).stale == 1
    services.save_plan_settings(world.home, {"reporting_interval": "monthly", "stale_after_days": 120})
    assert plan_health(plan, TODAY).stale == 0

    make_due_status_reports(TODAY.isoformat())
    due = {job.args[0]: job.args[1] for job in Queue("reports", connection=redis).get_jobs()}
    # Homeville reports monthly (November starts on the 1st), Faraway quarterly (from 1 Oct).
    assert due == {world.home.id: "2026-11-01", world.foreign.id: "2026-10-01"}


# --- the pages -------------------------------------------------------------------------------------


def test_a_lead_closes_a_risk_of_an_action_without_a_provider(client, auth, world, ids):
    """Loading such a risk once warned "Multiple rows returned ... District.region" (an error in this suite)."""
    plan, strategy = _get(ImprovementPlan, ids["plan"]), _get(Strategy, ids["strategy"])
    action = action_for(strategy, plan, world.leader, title="Unfunded", provider_id=None)
    risk = added(Risk(district_id=world.home.id, plan_id=plan.id, action_id=action.id, title="No vendor yet",
                      severity="high"))
    auth.sign_in(world.lead)
    closed = client.post(f"/districts/homeville/risks/{risk.id}/close")
    assert closed.status_code == 302 and closed.location.endswith(f"/districts/homeville/actions/{action.id}")
    db.session.expire_all()
    assert _get(Risk, risk.id).status == RiskStatus.CLOSED
    assert "Risk closed: No vendor yet." in client.get(closed.location).text


def test_a_viewer_neither_edits_nor_deletes(client, auth, world, ids):
    auth.sign_in(world.viewer)
    assert client.post(f"/districts/homeville/priorities/{ids['priority']}/edit",
                       data={"title": "Renamed"}).status_code == 403
    assert client.post(f"/districts/homeville/goals/{ids['goal']}/delete").status_code == 403
    assert client.post("/districts/homeville/plan/settings",
                       data={"reporting_interval": "monthly", "stale_after_days": "5"}).status_code == 403
    db.session.expire_all()
    assert _get(Priority, ids["priority"]).title == "Early literacy" and _get(EquityGoal, ids["goal"]) is not None
    assert world.home.stale_after_days == 30
    page = client.get(f"/districts/homeville/goals/{ids['goal']}").text
    assert "Delete the goal" not in page and "Correct a measurement" not in page


def test_edit_errors_are_shown_on_the_form_and_nothing_changes(client, auth, world, ids):
    auth.sign_in(world.leader)
    response = client.post(f"/districts/homeville/measurements/{ids['measurement']}/edit",
                           data={"year": "2031", "value": "30"})
    assert response.status_code == 422
    assert "Give a year from 2025 to 2029." in response.text and 'value="2031"' in response.text
    response = client.post("/districts/homeville/plan/settings", data={"reporting_interval": "weekly",
                                                                      "stale_after_days": "0"})
    assert response.status_code == 422 and "Between 1 and 365 days." in response.text
    db.session.expire_all()
    assert _get(Measurement, ids["measurement"]).year == 2026 and world.home.reporting_interval == "quarterly"


def test_deleting_asks_first_and_a_refusal_says_why(client, auth, world, ids):
    auth.sign_in(world.leader)
    page = client.get(f"/districts/homeville/goals/{ids['goal']}/delete").text
    assert "Its measurement of 2026 is deleted too." in page and "Delete the equity goal</button>" in page
    assert _get(EquityGoal, ids["goal"]) is not None  # asking deletes nothing

    page = client.get(f"/districts/homeville/strategies/{ids['strategy']}/delete").text
    assert "It cannot be deleted now" in page and "<button" not in page.split("<main")[1].split("</main>")[0]
    response = client.post(f"/districts/homeville/strategies/{ids['strategy']}/delete")
    assert response.status_code == 409 and "It still has 1 action" in response.text
    assert f'href="/districts/homeville/actions/{ids["action"]}/edit">Edit the action “Adopt a K-3' in response.text
    assert _get(Strategy, ids["strategy"]) is not None

    response = client.post(f"/districts/homeville/goals/{ids['goal']}/delete", follow_redirects=True)
    assert response.status_code == 200 and "Equity goal deleted: Grade 3 MCAS ELA" in response.text
    assert _get(EquityGoal, ids["goal"]) is None


def test_writes_aimed_at_another_district_are_refused(client, auth, world):
    own, foreign = world.ids("own"), world.ids("foreign")
    auth.sign_in(world.leader)
    response = client.post(f"/districts/homeville/strategies/{own['strategy']}/edit",
                           data={"priority_id": foreign["priority"], "title": "Moved away"})
    assert response.status_code == 422 and "Choose a priority of this plan." in response.text
    response = client.post(f"/districts/homeville/goals/{own['goal']}/edit", data={
        "metric": "M", "student_group": "S", "comparison_group": "C", "baseline_value": "1", "baseline_year": "2025",
        "target_value": "2", "target_year": "2029", "priority_id": foreign["priority"]})
    assert response.status_code == 422 and "Choose a priority of Homeville&#39;s plan." in response.text
    response = client.post(f"/districts/homeville/actions/{own['action']}/evidence",
                           data={"observation_id": world.foreign_observation.id})
    assert response.status_code == 422
    assert client.post(f"/districts/homeville/providers/{foreign['provider']}/delete").status_code == 404
    db.session.expire_all()
    assert _get(Strategy, own["strategy"]).priority_id == own["priority"]
    assert db.session.scalars(select(ActionEvidence)).all() == []
    assert _get(Provider, foreign["provider"]) is not None


def test_the_action_page_shows_its_evidence_with_links(client, auth, world, ids):
    auth.sign_in(world.leader)
    response = client.post(f"/districts/homeville/actions/{ids['action']}/evidence",
                           data={"observation_id": world.home_observation.id}, follow_redirects=True)
    assert "Observation linked as evidence." in response.text
    assert f"/districts/homeville/observations/{world.home_observation.id}" in response.text
    auth.sign_out()
    auth.sign_in(world.viewer)
    page = client.get(f"/districts/homeville/actions/{ids['action']}").text
    assert "Classroom observation:" in page and "Link observation" not in page
