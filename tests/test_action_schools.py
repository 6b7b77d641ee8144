"""An action may name the schools it is done in or for: chosen on its form, listed on its page and the schools'."""
import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.plans.impact import checklist
from app.plans.models import Action, ActionSchool
from tests.factories import SchoolFactory
from tests.test_equity_impact import answers_to


@pytest.fixture
def high(world):
    return SchoolFactory(district=world.home, name="Homeville High School 2")


def new_action_form(world, **changes) -> dict:
    ids = world.ids("own")
    form = {"strategy_id": ids["strategy"], "title": "Coach grade 4 math teams", "owner_id": world.leader.id,
            "starts_on": "2026-09-01", "due_on": "2027-06-30", "status": "not_started"}
    form |= {f"impact-{question_id}": answer for question_id, answer in answers_to(checklist()).items()}
    return form | changes


def edit_form(action: Action, **changes) -> dict:
    return {"strategy_id": action.strategy_id, "title": action.title, "owner_id": action.owner_id,
            "starts_on": action.starts_on.isoformat(), "due_on": action.due_on.isoformat(), "status": action.status,
            "allocated_cents": f"{action.allocated_cents / 100:.2f}", "spent_cents": f"{action.spent_cents / 100:.2f}",
            "provider_id": action.provider_id or "", "funding_source": action.funding_source or "", **changes}


def named(action_id: int) -> set[int]:
    return set(db.session.scalars(select(ActionSchool.school_id).where(ActionSchool.action_id == action_id)))


def test_a_new_action_names_schools_and_both_pages_list_them(client, auth, world, high):
    auth.sign_in(world.leader)
    plan_id = world.ids("own")["plan"]
    form = client.get(f"/districts/homeville/plans/{plan_id}/actions/new").text
    assert '<legend>Schools' in form and f'name="school_ids" value="{high.id}"' in form
    assert world.foreign_school.name not in form
    response = client.post(f"/districts/homeville/plans/{plan_id}/actions/new",
                           data=new_action_form(world, school_ids=[world.home_school.id, high.id]))
    assert response.status_code == 302, response.text
    action = db.session.scalars(select(Action).where(Action.title == "Coach grade 4 math teams")).one()
    assert named(action.id) == {world.home_school.id, high.id}
    page = client.get(f"/districts/homeville/actions/{action.id}").text
    assert f'<a href="/districts/homeville/schools/{high.id}">{high.name}</a>' in page
    assert "Coach grade 4 math teams" in client.get(f"/districts/homeville/schools/{high.id}").text


def test_changing_the_schools_keeps_the_audit_trail(client, auth, world, high):
    action = db.session.get(Action, (world.home.id, world.feature_ids["own"]["action"]))
    auth.sign_in(world.leader)
    url = f"/districts/homeville/actions/{action.id}/edit"
    assert client.post(url, data=edit_form(action, school_ids=[world.home_school.id])).status_code == 302
    assert named(action.id) == {world.home_school.id}
    form = client.get(url).text
    assert f'name="school_ids" value="{world.home_school.id}" id="school_ids" checked' in form
    assert client.post(url, data=edit_form(action, school_ids=[high.id])).status_code == 302
    assert named(action.id) == {high.id}
    events = db.session.execute(select(AuditEvent.action, AuditEvent.changes["school_id"][0],
                                       AuditEvent.changes["school_id"][1])
                                .where(AuditEvent.object_type == "ActionSchool").order_by(AuditEvent.id)).all()
    assert sorted(tuple(event) for event in events) == sorted([
        ("create", None, world.home_school.id), ("delete", world.home_school.id, None), ("create", None, high.id)])
    # No schools: district-wide again.
    assert client.post(url, data=edit_form(action)).status_code == 302
    assert named(action.id) == set()
    assert "District-wide" in client.get(f"/districts/homeville/actions/{action.id}").text


@pytest.mark.parametrize("bad, message", [
    ("foreign", "Choose schools of Homeville."),
    (987654321, "Choose schools of Homeville."),
    ("abc", "Choose schools from the list."),
])
def test_a_school_not_of_the_district_is_refused_and_nothing_is_stored(client, auth, world, bad, message):
    bad = world.foreign_school.id if bad == "foreign" else bad
    auth.sign_in(world.leader)
    plan_id = world.ids("own")["plan"]
    response = client.post(f"/districts/homeville/plans/{plan_id}/actions/new",
                           data=new_action_form(world, school_ids=[world.home_school.id, bad]))
    assert response.status_code == 422
    assert message in response.text
    # What was typed is kept.
    assert 'value="Coach grade 4 math teams"' in response.text
    assert f'name="school_ids" value="{world.home_school.id}" id="school_ids" checked' in response.text
    assert db.session.scalars(select(Action).where(Action.title == "Coach grade 4 math teams")).all() == []
    action = db.session.get(Action, (world.home.id, world.feature_ids["own"]["action"]))
    response = client.post(f"/districts/homeville/actions/{action.id}/edit",
                           data=edit_form(action, title="Renamed", school_ids=[bad]))
    assert response.status_code == 422 and message in response.text
    db.session.expire_all()
    assert action.title != "Renamed" and named(action.id) == set()
