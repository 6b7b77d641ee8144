"""The JSON API under /api/v1: visits, observations, schools and assignments; tokens, CSRF, errors, the spec."""
import re
import threading
import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from openapi_spec_validator import validate
from sqlalchemy import event, func, select

from app.accounts.models import ApiToken
from app.accounts.tokens import issue_token
from app.extensions import db
from app.fieldwork import services as fieldwork_services
from app.fieldwork.models import Observation, Visit
from tenants.roles import Role
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import clear_committed_data


def new_visit(world, **fields) -> dict:
    """A visit body that succeeds for the home district's lead."""
    return {
        "district_id": world.home.id, "client_uuid": str(uuid.uuid4()), "school_id": world.home_school.id,
        "visited_on": "2026-10-20", "minutes": 60, "kind": "formal", "purpose": "Walkthrough with the principal",
        "support_ids": [world.home_assignment.id], "shared_notes": "Shared with the district",
        "internal_notes": "Kept within the team", **fields,
    }


def new_observation(ratings=(3, 4), **fields) -> dict:
    rubric = factories.default_rubric()
    return {
        "rubric_id": rubric.id, "grade": "3", "subject": "Reading", "minutes": 20, "feedback": "Clear objective.",
        "ratings": [{"look_for_id": look_for.id, "rating": value, "evidence": "Seen"}
                    for look_for, value in zip(rubric.look_fors, ratings)],
        **fields,
    }


def on_its_own(app, client, method: str, url: str, **options):
    """Send a request in an app context of its own, as a server does: no user or rows cached from the test."""
    with app.app_context():
        return client.open(url, method=method, **options)


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {issue_token(user, 'test client')}"}


def visit_count(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(Visit).filter_by(**where))


def keys_anywhere(value) -> set:
    """Every key of a JSON document, however deep."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_anywhere(v)}
    return set()


# --- visits ---------------------------------------------------------------------------------------


def test_lead_records_a_visit_with_its_observations(client, auth, world):
    auth.sign_in(world.lead)
    body = new_visit(world, observations=[new_observation(), new_observation((2, 2), grade="5", subject="Math")])
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 201, response.json
    visit = response.json
    assert visit["lead_id"] == world.lead.id and visit["district_id"] == world.home.id
    assert visit["client_uuid"] == body["client_uuid"] and visit["support_ids"] == [world.home_assignment.id]
    assert visit["internal_notes"] == "Kept within the team"
    assert [o["subject"] for o in visit["observations"]] == ["Reading", "Math"]
    assert [r["rating"] for r in visit["observations"][1]["ratings"]] == [2, 2]
    assert client.get(f"/api/v1/visits/{visit['id']}").json == visit


def test_a_resubmitted_client_uuid_answers_the_stored_visit(client, auth, world):
    auth.sign_in(world.lead)
    body = new_visit(world)
    first = client.post("/api/v1/visits", json=body)
    again = client.post("/api/v1/visits", json={**body, "purpose": "Sent again from the phone's queue"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json
    assert visit_count(client_uuid=body["client_uuid"]) == 1


def test_visit_list_filters_and_pages(client, auth, world):
    other_school = factories.SchoolFactory(district=world.home)
    factories.visit(world.home, world.lead, other_school, visited_on=date(2026, 9, 1))
    factories.visit(world.home, world.lead, world.home_school, visited_on=date(2026, 11, 2))
    auth.sign_in(world.director)

    def visit_dates(query):
        response = client.get(f"/api/v1/visits?{query}")
        assert response.status_code == 200, response.json
        return [v["visited_on"] for v in response.json]

    # The world's district visit (its supervisor's, 28 September) is listed with the support team's.
    assert visit_dates(f"district_id={world.home.id}") == ["2026-11-02", "2026-10-05", "2026-09-28", "2026-09-01"]
    assert visit_dates(f"school_id={other_school.id}") == ["2026-09-01"]
    assert visit_dates(f"lead_id={world.foreign_lead.id}") == []
    assert visit_dates("from=2026-10-01&to=2026-10-31") == ["2026-10-05"]
    response = client.get("/api/v1/visits?page=2&page_size=3")
    assert len(response.json) == 1
    assert '"total": 4' in response.headers["X-Pagination"]
    assert client.get(f"/api/v1/visits?district_id={world.foreign.id}").status_code == 404


def test_lead_changes_a_visit_partially(client, auth, world):
    auth.sign_in(world.lead)
    url = f"/api/v1/visits/{world.home_visit.id}"
    response = client.patch(url, json={"minutes": 45, "support_ids": []})
    assert response.status_code == 200, response.json
    assert response.json["minutes"] == 45 and response.json["support_ids"] == []
    assert response.json["purpose"] == "Principal coaching"
    response = client.patch(url, json={"school_id": world.foreign_school.id, "client_uuid": str(uuid.uuid4())})
    assert response.status_code == 422
    assert set(response.json["error"]["errors"]) == {"client_uuid"}
    response = client.patch(url, json={"school_id": world.foreign_school.id})
    assert response.status_code == 422 and "school_id" in response.json["error"]["errors"]


def test_validation_errors_name_their_fields_and_store_nothing(client, auth, world):
    auth.sign_in(world.lead)
    body = new_visit(world, minutes=0, kind="telepathic", observations=[new_observation(), {"grade": "13"}])
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 422 and response.is_json
    errors = response.json["error"]["errors"]
    assert {"minutes", "kind", "observations.1.grade", "observations.1.subject", "observations.1.rubric_id"} <= set(errors)
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert visit_count(client_uuid=body["client_uuid"]) == 0


def test_a_visit_with_one_bad_observation_stores_neither(client, auth, world):
    """The second observation breaks a rule only the database can check: nothing of the visit lands."""
    auth.sign_in(world.lead)
    observations_before = db.session.scalar(select(func.count()).select_from(Observation))
    body = new_visit(world, observations=[new_observation(), new_observation((3, 9))])
    response = client.post("/api/v1/visits", json=body)
    assert response.status_code == 422
    assert response.json["error"]["errors"] == {"observations.1.ratings.1.rating": ["Rate from 1 to 4."]}
    assert visit_count(client_uuid=body["client_uuid"]) == 0
    assert db.session.scalar(select(func.count()).select_from(Observation)) == observations_before


# --- observations ---------------------------------------------------------------------------------


def test_observations_list_record_read_and_change(client, auth, world):
    auth.sign_in(world.lead)
    listed = client.get(f"/api/v1/observations?visit_id={world.home_visit.id}").json
    assert [o["id"] for o in listed] == [world.home_observation.id]
    response = client.post("/api/v1/observations", json={"visit_id": world.home_visit.id, **new_observation()})
    assert response.status_code == 201, response.json
    created = response.json
    assert created["visit_id"] == world.home_visit.id and len(created["ratings"]) == 2
    url = f"/api/v1/observations/{created['id']}"
    response = client.patch(url, json={"feedback": "Follow up on exit tickets.", "subject": "  Writing "})
    assert response.status_code == 200
    assert (response.json["feedback"], response.json["subject"], response.json["grade"]) == (
        "Follow up on exit tickets.", "Writing", "3")
    assert client.get(url).json == response.json
    response = client.patch(url, json={"grade": "13", "ratings": []})
    assert response.status_code == 422 and set(response.json["error"]["errors"]) == {"grade", "ratings"}


def test_an_observation_of_another_district_s_visit_is_not_found(client, auth, world):
    auth.sign_in(world.lead)
    body = {"visit_id": world.foreign_visit.id, **new_observation()}
    assert client.post("/api/v1/observations", json=body).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Observation)
                             .where(Observation.visit_id == world.foreign_visit.id)) == 1


# --- schools and assignments ----------------------------------------------------------------------


def test_schools_and_assignments_of_the_districts_in_reach(client, auth, world):
    auth.sign_in(world.leader)
    schools = client.get("/api/v1/schools").json
    assert sorted(s["name"] for s in schools) == ["Homeville Elementary", "Homeville High"]
    assert {a["id"] for a in client.get("/api/v1/assignments").json} == {world.home_assignment.id}
    auth.sign_out()
    auth.sign_in(world.admin)
    schools = client.get(f"/api/v1/schools?district_id={world.foreign.id}").json
    assert sorted(s["name"] for s in schools) == ["Faraway High", "Faraway Middle"]
    assert {a["id"] for a in client.get(f"/api/v1/assignments?district_id={world.foreign.id}").json} == {
        world.foreign_assignment.id}


# --- internal notes -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["district_leader", "district_viewer"])
def test_district_roles_never_receive_internal_notes(client, auth, world, role):
    auth.sign_in(world.people()[role])
    for url in ("/api/v1/visits", f"/api/v1/visits/{world.home_visit.id}", "/api/v1/observations",
                f"/api/v1/observations/{world.home_observation.id}"):
        response = client.get(url)
        assert response.status_code == 200
        assert world.HOME_INTERNAL not in response.text
        # The support team's notes are not theirs; the district's own visit's are its staff's only.
        for visit in (response.json if isinstance(response.json, list) else [response.json]):
            if "internal_notes" in visit:
                assert visit.get("team") == "district" and role in ("district_leader", "school_supervisor")
    assert client.get(f"/api/v1/visits/{world.home_visit.id}").json["shared_notes"] == world.HOME_SHARED


def test_internal_notes_are_decided_per_district(client, auth, world):
    """A lead in one district who only views another reads the first one's internal notes only."""
    factories.grant(world.lead, Role.DISTRICT_VIEWER, district=world.foreign)
    auth.sign_in(world.lead)
    visits = {v["district_id"]: v for v in client.get("/api/v1/visits?team=support_team").json}
    assert visits[world.home.id]["internal_notes"] == world.HOME_INTERNAL
    assert "internal_notes" not in visits[world.foreign.id]
    assert client.patch(f"/api/v1/visits/{world.foreign_visit.id}", json={"minutes": 5}).status_code == 403


# --- signing in: session, tokens, strangers, CSRF -------------------------------------------------


def test_strangers_get_401_json(app, client, world):
    for headers in ({}, {"Authorization": "Bearer rsp_not-a-token"}, {"Authorization": "Basic abc"}):
        response = on_its_own(app, client, "GET", "/api/v1/visits", headers=headers)
        assert response.status_code == 401 and response.is_json
        assert "Bearer" in response.json["error"]["message"]


def test_a_token_made_on_the_page_signs_in_until_revoked(app, client, auth, world):
    auth.sign_in(world.lead)
    page = client.post("/account/tokens", data={"name": "Field tablet"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(rsp_[^"]+)"', page.text).group(1)
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.lead.id)).one()
    assert token.token_hash != secret and secret not in client.get("/account/tokens").text

    program = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    response = on_its_own(app, program, "POST", "/api/v1/visits", json=new_visit(world), headers=headers)
    assert response.status_code == 201 and response.json["lead_id"] == world.lead.id
    db.session.refresh(token)
    assert token.last_used_at is not None
    # The token's scope is its owner's: another district is not found.
    assert on_its_own(app, program, "GET", f"/api/v1/visits/{world.foreign_visit.id}", headers=headers).status_code == 404
    # Only the API takes tokens: pages still ask to sign in.
    assert on_its_own(app, program, "GET", "/", headers=headers).status_code == 302

    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    response = on_its_own(app, program, "GET", "/api/v1/visits", headers=headers)
    assert response.status_code == 401 and response.is_json


def test_nobody_revokes_another_person_s_token(app, client, auth, world):
    secret_headers = bearer(world.lead)
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.lead.id)).one()
    auth.sign_in(world.leader)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/account/tokens").status_code == 200
    assert on_its_own(app, app.test_client(), "GET", "/api/v1/schools", headers=secret_headers).status_code == 200


def test_a_token_of_an_inactive_person_signs_nobody_in(app, client, world):
    headers = bearer(world.lead)
    world.lead.active = False
    db.session.commit()
    assert on_its_own(app, client, "GET", "/api/v1/visits", headers=headers).status_code == 401


def test_cookie_sessions_need_the_csrf_token_and_bearer_tokens_do_not(app, client, auth, world, monkeypatch):
    auth.sign_in(world.lead)
    headers = bearer(world.lead)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    refused = client.post("/api/v1/visits", json=new_visit(world))
    assert refused.status_code == 400 and refused.is_json and "CSRF" in refused.json["error"]["message"]
    assert client.patch(f"/api/v1/visits/{world.home_visit.id}", json={"minutes": 5}).status_code == 400
    csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account/tokens").text).group(1)
    accepted = client.post("/api/v1/visits", json=new_visit(world), headers={"X-CSRFToken": csrf_token})
    assert accepted.status_code == 201
    program = app.test_client()
    assert on_its_own(app, program, "POST", "/api/v1/visits", json=new_visit(world), headers=headers).status_code == 201
    assert client.get("/api/v1/visits").status_code == 200


# --- the spec, the reference page, query counts ---------------------------------------------------


def test_the_spec_is_valid_openapi_and_the_reference_page_lists_it(client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)
    assert {"/api/v1/visits", "/api/v1/visits/{visit_id}", "/api/v1/observations", "/api/v1/schools",
            "/api/v1/assignments"} <= set(spec["paths"])
    assert set(spec["components"]["securitySchemes"]) == {"bearerToken", "browserSession"}
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "<script" not in page.text
    assert "POST /api/v1/visits" in page.text and 'href="/api/v1/openapi.json"' in page.text


@contextmanager
def counted_statements():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    connection = db.engines[None]
    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def test_visit_list_statements_do_not_grow_with_rows(app, client, auth, world):
    auth.sign_in(world.lead)

    def add_visits(count):
        for _ in range(count):
            visit = factories.visit(world.home, world.lead, world.home_school, supports=[world.home_assignment])
            factories.observation(visit)

    def statements_for_the_list(expected_rows):
        with counted_statements() as statements:
            response = on_its_own(app, client, "GET", f"/api/v1/visits?district_id={world.home.id}&page_size=200")
        assert response.status_code == 200 and len(response.json) == expected_rows
        return len(statements)

    add_visits(2)
    few = statements_for_the_list(4)  # the world's two visits (the support team's, the district's) and these
    add_visits(27)
    assert statements_for_the_list(31) == few


# --- two submissions of one visit at the same moment ----------------------------------------------


@pytest.mark.browser  # commits its data: the per-test transaction would hide it from the other connection
def test_two_concurrent_submissions_of_one_visit_store_one(app, monkeypatch):
    with app.app_context(), entered(system_scope("concurrency test data")):
        world = factories.make_world()
        headers = bearer(world.lead)
        body = {**new_visit(world), "observations": [new_observation()]}
        db.session.commit()
    # Both requests look the UUID up before either stores it: the database's unique key must decide.
    both_looked = threading.Barrier(2, timeout=10)
    looked_up = threading.local()
    visit_by_uuid = fieldwork_services.visit_by_uuid

    def visit_by_uuid_in_step(district, client_uuid):
        found = visit_by_uuid(district, client_uuid)
        if not getattr(looked_up, "once", False):
            looked_up.once = True
            both_looked.wait()
        return found

    monkeypatch.setattr(fieldwork_services, "visit_by_uuid", visit_by_uuid_in_step)
    responses = []

    def submit():
        responses.append(app.test_client().post("/api/v1/visits", json=body, headers=headers))

    try:
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(r.status_code for r in responses) == [200, 201], [r.json for r in responses]
        assert responses[0].json == responses[1].json
        with app.app_context(), entered(system_scope("concurrency test check")):
            assert visit_count(client_uuid=body["client_uuid"]) == 1
            assert db.session.scalar(select(func.count()).select_from(Observation)
                                     .where(Observation.visit_id == responses[0].json["id"])) == 1
    finally:
        with app.app_context():
            clear_committed_data()
