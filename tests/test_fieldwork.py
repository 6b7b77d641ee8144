"""Field work: recording visits and observations, assignments, leads, the caseload, rubric versions."""
import uuid
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import event, func, select

from app.audit.models import AuditEvent
from app.clock import state_today
from app.extensions import db
from app.fieldwork.models import Observation, Rating, Rubric, SupportAssignment, Visit, VisitSupport
from app.fieldwork.schemas import VisitSchema
from app.fieldwork.services import (
    caseload_for,
    new_rubric_version,
    record_observation,
    record_visit,
    rubric_has_ratings,
    update_visit,
)
from app.forms import InvalidInput, load
from tenants.roles import Role
from tests import factories
from tests.factories import SchoolFactory


def visit_input(world, **overrides) -> dict:
    raw = {"client_uuid": str(uuid.uuid4()), "school_id": world.home_school.id, "visited_on": "2026-10-20",
           "minutes": 75, "kind": "formal", "purpose": "Principal coaching", "support_ids": [world.home_assignment.id]}
    return load(VisitSchema(), raw | overrides)


def observation_input(rating=3, **overrides) -> dict:
    rubric = factories.default_rubric()
    return {"rubric_id": rubric.id, "grade": "3", "subject": "ELA", "minutes": 20, "feedback": "Strong launch.",
            "ratings": [{"look_for_id": rubric.look_fors[0].id, "rating": rating, "evidence": "Goal on the board"}]
            } | overrides


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- services -----------------------------------------------------------------------------------


def test_record_visit_stores_supports_and_observations(world):
    data = visit_input(world, observations=[observation_input(), observation_input(rating=4)])
    visit, created = record_visit(world.home, world.lead, data)
    assert created and visit.lead_id == world.lead.id and visit.place == "Homeville Elementary"
    assert [s.id for s in visit.supports] == [world.home_assignment.id]
    assert sorted(r.rating for o in visit.observations for r in o.ratings) == [3, 4]


def test_the_same_client_uuid_stores_one_visit(world):
    data = visit_input(world)
    first, created = record_visit(world.home, world.lead, data)
    again, created_again = record_visit(world.home, world.lead, data | {"minutes": 5})
    assert created and not created_again and again.id == first.id and again.minutes == 75
    assert db.session.scalar(select(func.count()).where(Visit.client_uuid == str(data["client_uuid"]))) == 1


def test_a_school_of_another_district_is_refused(world):
    before = count(Visit)
    with pytest.raises(InvalidInput) as refused:
        record_visit(world.home, world.lead, visit_input(world, school_id=world.foreign_school.id))
    assert refused.value.messages == {"school_id": ["Choose a school of Homeville, or the district office."]}
    assert count(Visit) == before


def test_a_support_of_another_district_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        record_visit(world.home, world.lead, visit_input(world, support_ids=[world.foreign_assignment.id]))
    assert "support_ids" in refused.value.messages


def test_one_bad_observation_stores_neither_visit_nor_observations(world):
    visits, observations = count(Visit), count(Observation)
    data = visit_input(world, observations=[observation_input(), observation_input(rating=7)])
    with pytest.raises(InvalidInput) as refused:
        record_visit(world.home, world.lead, data)
    assert refused.value.messages == {"observations.1.ratings.0.rating": ["Rate from 1 to 4."]}
    assert (count(Visit), count(Observation)) == (visits, observations)


def test_a_look_for_of_another_rubric_is_refused(world):
    other = Rubric(name="Other rubric", scale_min=1, scale_max=3)
    other.look_fors = [factories.LookFor(position=1, title="Elsewhere")] if hasattr(factories, "LookFor") else []
    db.session.add(other)
    db.session.flush()
    data = observation_input()
    with pytest.raises(InvalidInput) as refused:
        record_observation(world.home_visit, data | {"rubric_id": other.id})
    assert refused.value.messages == {"ratings.0.look_for_id": ["Choose a look-for of Other rubric."]}


@pytest.mark.parametrize("field, value, message", [
    ("visited_on", (state_today() + timedelta(days=30)).isoformat(), "A visit cannot be dated in the future."),
    ("minutes", 2000, "Between 1 and 1440 minutes (a day)."),
    ("kind", "telepathic", "Choose one from the list."),
    ("follow_up_on", "2026-10-01", "The follow-up comes on or after the visit."),
    ("purpose", "x" * 301, "Use at most 300 characters."),
])
def test_visit_input_is_checked_per_field(world, field, value, message):
    raw = {"client_uuid": str(uuid.uuid4()), "visited_on": "2026-10-20", "minutes": 60, "kind": "formal",
           "purpose": "Coaching"} | {field: value}
    with pytest.raises(InvalidInput) as refused:
        load(VisitSchema(), raw)
    assert refused.value.messages == {field: [message]}


def test_update_visit_replaces_its_supports(world):
    second = factories.assignment(world.home, world.lead)
    update_visit(world.home_visit, {"support_ids": [second.id], "minutes": 45})
    assert [s.id for s in world.home_visit.supports] == [second.id] and world.home_visit.minutes == 45


def test_an_update_cannot_move_the_follow_up_before_the_stored_visit(world):
    with pytest.raises(InvalidInput) as refused:
        update_visit(world.home_visit, {"follow_up_on": world.home_visit.visited_on - timedelta(days=1)})
    assert refused.value.messages == {"follow_up_on": ["The follow-up comes on or after the visit."]}


def test_a_new_rubric_version_leaves_the_old_one_under_its_ratings(world):
    rubric = factories.default_rubric()
    assert rubric_has_ratings(rubric.id)
    copy = new_rubric_version(rubric)
    assert (copy.version, copy.active, rubric.active) == (2, True, False)
    assert [lf.title for lf in copy.look_fors] == [lf.title for lf in rubric.look_fors]
    assert not rubric_has_ratings(copy.id)


# --- the caseload -------------------------------------------------------------------------------


def test_caseload_figures_are_derived_from_visits(world):
    today = date(2026, 11, 23)
    never = SchoolFactory(district=world.home, name="Homeville Never Visited")
    factories.visit(world.home, world.lead, world.home_school, supports=[world.home_assignment], minutes=30,
                    visited_on=today - timedelta(days=40), follow_up_on=today - timedelta(days=2), next_steps="Send data")
    factories.visit(world.home, world.lead, None, visited_on=today - timedelta(days=3), follow_up_on=today + timedelta(days=4))
    factories.visit(world.home, world.lead, None, visited_on=today - timedelta(days=1), follow_up_on=today + timedelta(days=20))
    caseload = caseload_for(world.lead, today)
    # The world's visit (90 minutes) and this one (30 minutes) served the home assignment: 2 hours.
    assert [(a.id, minutes) for a, minutes in caseload.supports] == [(world.home_assignment.id, 120)]
    assert [v.next_steps for v in caseload.overdue] == ["Send data"]
    assert [v.follow_up_on for v in caseload.due_this_week] == [today + timedelta(days=4)]
    bands = {row.school.name: row.band for row in caseload.unvisited}
    assert bands == {"Homeville Never Visited": "never visited", "Homeville High": "never visited",
                     "Homeville Elementary": "30–59 days"}
    assert caseload.unvisited[0].school.name in ("Homeville High", never.name)
    assert [d.name for d in caseload.districts] == ["Homeville"]
    assert caseload.recent[0].visited_on == today - timedelta(days=1)


def statements(fn) -> int:
    count = 0

    def counter(*args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def test_caseload_page_query_count_does_not_grow_with_rows(client, auth, world):
    def add_caseload_rows(how_many: int):
        for _ in range(how_many):
            school = SchoolFactory(district=world.home)
            extra = factories.assignment(world.home, world.lead, school)
            factories.observation(factories.visit(world.home, world.lead, school, supports=[extra],
                                                  visited_on=state_today() - timedelta(days=45),
                                                  follow_up_on=state_today() - timedelta(days=1)))
        db.session.expire_all()

    auth.sign_in(world.lead)
    add_caseload_rows(1)
    few = statements(lambda: client.get("/"))
    add_caseload_rows(10)
    assert statements(lambda: client.get("/")) == few


# --- pages --------------------------------------------------------------------------------------


def visit_form(world, **overrides) -> dict:
    return {"client_uuid": str(uuid.uuid4()), "school_id": str(world.home_school.id), "visited_on": "2026-10-20",
            "minutes": "60", "kind": "informal", "purpose": "Walkthrough with the principal",
            "support_ids": [str(world.home_assignment.id)], "shared_notes": "Great routines",
            "internal_notes": "Principal seems stretched", "follow_up_on": "2026-10-27"} | overrides


def test_lead_logs_a_visit_and_a_double_tap_stores_it_once(client, auth, world):
    auth.sign_in(world.lead)
    form = visit_form(world)
    first = client.post("/districts/homeville/visits/new", data=form)
    assert first.status_code == 302
    second = client.post("/districts/homeville/visits/new", data=form, follow_redirects=True)
    assert "This visit was already saved." in second.text
    assert first.headers["Location"] == second.request.path
    assert db.session.scalar(select(func.count()).where(Visit.client_uuid == form["client_uuid"])) == 1
    page = client.get(first.headers["Location"]).text
    assert "Walkthrough with the principal" in page and "Principal seems stretched" in page


def test_the_visit_form_explains_errors_and_stores_nothing(client, auth, world):
    auth.sign_in(world.lead)
    before = count(Visit)
    response = client.post("/districts/homeville/visits/new",
                           data=visit_form(world, minutes="0", school_id=str(world.foreign_school.id), purpose=""))
    assert response.status_code == 422
    assert "Between 1 and 1440 minutes (a day)." in response.text
    assert "Write the purpose." in response.text
    assert 'aria-invalid="true"' in response.text
    assert count(Visit) == before


def test_the_visit_form_checks_the_school_after_the_fields(client, auth, world):
    auth.sign_in(world.lead)
    response = client.post("/districts/homeville/visits/new", data=visit_form(world, school_id=str(world.foreign_school.id)))
    assert response.status_code == 422 and "Choose a school of Homeville, or the district office." in response.text


def test_lead_adds_a_rated_observation(client, auth, world):
    auth.sign_in(world.lead)
    rubric = factories.default_rubric()
    first, second = rubric.look_fors[0], rubric.look_fors[1]
    response = client.post(f"/districts/homeville/visits/{world.home_visit.id}/observations/new",
                           data={"grade": "K", "subject": "Mathematics", "minutes": "25", "feedback": "Try turn and talk",
                                 f"rating-{first.id}": "2", f"evidence-{first.id}": "No goal posted",
                                 f"rating-{second.id}": "4"})
    assert response.status_code == 302
    observation = db.session.scalars(select(Observation).where(Observation.subject == "Mathematics",
                                                               Observation.grade == "K")).one()
    assert sorted((r.look_for_id, r.rating, r.evidence) for r in observation.ratings) == [
        (first.id, 2, "No goal posted"), (second.id, 4, None)]


def test_an_observation_rating_off_the_scale_is_named_by_its_look_for(client, auth, world):
    auth.sign_in(world.lead)
    look_for = factories.default_rubric().look_fors[2]
    before = count(Rating)
    response = client.post(f"/districts/homeville/visits/{world.home_visit.id}/observations/new",
                           data={"grade": "5", "subject": "Science", "minutes": "10", f"rating-{look_for.id}": "9"})
    assert response.status_code == 422 and "Rate from 1 to 4." in response.text
    assert count(Rating) == before


def test_lead_edits_an_observation_on_its_own_rubric_version(client, auth, world):
    observation = world.home_observation
    first, second, third = factories.default_rubric().look_fors[:3]
    rated_on = observation.rubric_id
    auth.sign_in(world.lead)
    page = client.get(f"/districts/homeville/observations/{observation.id}").text
    assert "Edit observation" in page and "Delete observation" in page
    new_rubric_version(observation.rubric)  # the observation stays on the version it was rated on
    url = f"/districts/homeville/observations/{observation.id}/edit"
    form = client.get(url).text
    assert f'name="rating-{first.id}" value="3" checked' in form and f'name="rating-{second.id}" value="2" checked' in form
    assert escape(f"Seen: {first.title.lower()}") in form and 'value="Mathematics"' in form
    response = client.post(url, data={"grade": "5", "subject": "Science", "minutes": "30", "feedback": "Model it",
                                      f"rating-{first.id}": "4", f"evidence-{first.id}": "Goal read aloud",
                                      f"rating-{second.id}": "", f"rating-{third.id}": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/observations/{observation.id}")
    db.session.expire_all()
    assert (observation.grade, observation.subject, observation.minutes, observation.feedback,
            observation.rubric_id) == ("5", "Science", 30, "Model it", rated_on)
    assert [(r.look_for_id, r.rating, r.evidence) for r in observation.ratings] == [
        (first.id, 4, "Goal read aloud"), (third.id, 1, None)]
    changed = {(e.object_type, e.action) for e in events_by_lead(world)}
    assert {("Observation", "update"), ("Rating", "update"), ("Rating", "delete"), ("Rating", "create")} <= changed


def events_by_lead(world) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == world.lead.id)).all()


def test_a_refused_observation_edit_keeps_what_was_typed(client, auth, world):
    observation = world.home_observation
    first = factories.default_rubric().look_fors[0]
    auth.sign_in(world.lead)
    response = client.post(f"/districts/homeville/observations/{observation.id}/edit",
                           data={"grade": "5", "subject": "Typed subject", "minutes": "200",
                                 f"rating-{first.id}": "1", f"evidence-{first.id}": "Typed evidence"})
    assert response.status_code == 422
    assert "Between 1 and 240 minutes." not in response.text
    assert escape("The visit lasted 90 minutes: an observation in it lasts at most as long.") in response.text
    assert 'value="Typed subject"' in response.text and "Typed evidence" in response.text
    assert f'name="rating-{first.id}" value="1" checked' in response.text
    db.session.expire_all()
    assert (observation.subject, observation.minutes, sorted(r.rating for r in observation.ratings)) == (
        "Mathematics", 20, [2, 3])


def test_lead_deletes_an_observation_with_its_ratings_after_confirming(client, auth, world):
    observation_id = world.home_observation.id
    auth.sign_in(world.lead)
    url = f"/districts/homeville/observations/{observation_id}/delete"
    unconfirmed = client.post(url, data={})
    assert unconfirmed.status_code == 422 and "Tick the box to confirm the deletion." in unconfirmed.text
    assert db.session.scalar(select(func.count()).where(Observation.id == observation_id)) == 1
    response = client.post(url, data={"confirm": "yes"}, follow_redirects=True)
    assert response.request.path == f"/districts/homeville/visits/{world.home_visit.id}"
    assert "Observation deleted." in response.text
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(Observation.id == observation_id)) == 0
    assert db.session.scalar(select(func.count()).where(Rating.observation_id == observation_id)) == 0
    deleted = sorted(e.object_type for e in events_by_lead(world) if e.action == "delete")
    assert deleted == ["Observation", "Rating", "Rating"]


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_district_people_can_neither_edit_nor_delete_observations(client, auth, world, who):
    auth.sign_in(getattr(world, who))
    page = client.get(f"/districts/homeville/observations/{world.home_observation.id}").text
    assert "Grade 4 Mathematics" in page
    assert "Edit observation" not in page and "Delete observation" not in page


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_district_people_read_visits_without_internal_notes(client, auth, world, who):
    auth.sign_in(getattr(world, who))
    page = client.get(f"/districts/homeville/visits/{world.home_visit.id}").text
    assert world.HOME_SHARED in page and world.HOME_INTERNAL not in page
    assert "Edit visit" not in page and "Add a classroom observation" not in page


def test_district_viewer_cannot_log_visits(client, auth, world):
    auth.sign_in(world.viewer)
    assert client.post("/districts/homeville/visits/new", data=visit_form(world)).status_code == 403


@pytest.mark.parametrize("who", ["leader", "supervisor"])
def test_district_staff_log_the_district_s_own_visits(client, auth, world, who):
    auth.sign_in(getattr(world, who))
    assert client.post("/districts/homeville/visits/new", data=visit_form(world)).status_code == 302
    visit = db.session.scalars(select(Visit).order_by(Visit.id.desc())).first()
    assert (visit.lead_id, visit.team) == (getattr(world, who).id, "district")
    # The support team's visit is theirs to read, not to change.
    assert client.post(f"/districts/homeville/visits/{world.home_visit.id}/edit", data=visit_form(world)).status_code == 403


def test_director_assigns_a_lead_who_then_reaches_the_district(client, auth, world):
    newcomer = factories.person(Role.ASSISTANCE_LEAD, district=world.foreign, name="Nia Newcomer")
    auth.sign_in(world.director)
    assert "Nia Newcomer" in client.get("/districts/homeville/leads").text
    assert client.post("/districts/homeville/leads", data={"user_id": newcomer.id}).status_code == 302
    auth.sign_out()
    auth.sign_in(newcomer)
    assert client.get("/districts/homeville").status_code == 200
    auth.sign_out()
    auth.sign_in(world.director)
    client.post("/districts/homeville/leads", data={"user_id": newcomer.id, "action": "remove"})
    auth.sign_out()
    auth.sign_in(newcomer)
    assert client.get("/districts/homeville").status_code == 404


def test_only_platform_leads_can_be_assigned(client, auth, world):
    auth.sign_in(world.director)
    response = client.post("/districts/homeville/leads", data={"user_id": world.viewer.id}, follow_redirects=True)
    assert escape("Choose one of the platform's assistance leads.") in response.text
    assert not any(g.role == Role.ASSISTANCE_LEAD for g in world.viewer.grants)


def test_director_records_a_support_assignment(client, auth, world):
    auth.sign_in(world.director)
    response = client.post("/districts/homeville/assignments/new", data={
        "support_type_id": factories.support_type("Data inquiry").id, "lead_id": world.lead.id,
        "starts_on": "2026-09-01", "ends_on": "2027-06-30", "planned_hours": "24", "status": "active"})
    assert response.status_code == 302
    saved = db.session.scalars(select(SupportAssignment).where(SupportAssignment.planned_hours == 24)).one()
    assert (saved.school_id, saved.support_type.name) == (None, "Data inquiry")


def test_a_support_needs_one_of_the_district_s_leads_and_ends_after_it_starts(client, auth, world):
    auth.sign_in(world.director)
    response = client.post("/districts/homeville/assignments/new", data={
        "support_type_id": factories.support_type().id, "lead_id": world.foreign_lead.id,
        "starts_on": "2026-09-01", "ends_on": "2026-08-01", "planned_hours": "24"})
    assert response.status_code == 422 and "The end comes on or after the start." in response.text
    response = client.post("/districts/homeville/assignments/new", data={
        "support_type_id": factories.support_type().id, "lead_id": world.foreign_lead.id,
        "starts_on": "2026-09-01", "planned_hours": "24"})
    assert response.status_code == 422 and escape("Choose one of Homeville's assistance leads.") in response.text


def test_lead_home_is_the_caseload(client, auth, world):
    auth.sign_in(world.lead)
    page = client.get("/").text
    assert "<h1>Your caseload</h1>" in page and "Supports in progress" in page
    assert f"/districts/homeville/visits/{world.home_visit.id}" in page


def test_admin_cannot_edit_a_rubric_with_ratings(client, auth, world):
    auth.sign_in(world.admin)
    rubric = factories.default_rubric()
    response = client.post(f"/admin/rubric/edit/?id={rubric.id}", data={
        "name": "Renamed", "scale_min": "1", "scale_max": "5", "active": "y"}, follow_redirects=True)
    assert "This rubric has ratings" in response.text
    db.session.expire_all()
    assert (rubric.name, rubric.scale_max) == ("Classroom walkthrough", 4)
    assert count(VisitSupport) >= 2
