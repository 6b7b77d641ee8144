"""PostgreSQL backends terminated between and during requests (pg_terminate_backend, this test database's only):
reads are answered (pre-ping, or run again once), a write that committed is answered as stored, and one that
lost its connection before committing answers 503, stored nothing, and lands once when sent again."""
import uuid
from contextlib import contextmanager

import psycopg
import pytest
from flask import has_app_context
from sqlalchemy import event, func, make_url, select

from app.accounts.tokens import issue_token
from app.extensions import db
from app.fieldwork.models import Visit
from config import TestingConfig
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import clear_committed_data
from tests.test_api import new_visit

TEST_URL = make_url(TestingConfig.SQLALCHEMY_DATABASE_URI)

pytestmark = pytest.mark.browser  # commits: terminated backends take their open transactions with them


class Committed:
    """A lead's token, one of their visits, and new visit bodies; the requests run outside the test's app context,
    each in its own, as in production (a session of the test's would keep a connection checked out)."""

    def __init__(self, app, token: str, visit_id: int, body: dict):
        self.app, self.token, self.visit_id, self.body = app, {"Authorization": f"Bearer {token}"}, visit_id, body

    def new_visit(self) -> dict:
        return {**self.body, "client_uuid": str(uuid.uuid4())}

    def stored(self, client_uuid: str) -> int:
        with self.app.app_context(), entered(system_scope("failover test reads")):
            return db.session.scalar(select(func.count()).select_from(Visit).where(Visit.client_uuid == client_uuid))


@pytest.fixture
def committed_world(app, redis):
    with app.app_context(), entered(system_scope("failover test")):
        world = factories.make_world()
        token = issue_token(world.lead, "failover test")
        body, visit_id = new_visit(world), world.home_visit.id
        db.session.commit()
    try:
        yield Committed(app, token, visit_id, body)
    finally:
        with app.app_context():
            clear_committed_data()


def terminate(pids: list[int] | None = None) -> int:
    """Terminate the backends of this test's database (all of them, or these), from a connection of our own."""
    from flask import current_app

    engine_url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]) if has_app_context() else TEST_URL
    url = engine_url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        query = ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                 "WHERE datname = %s AND pid <> pg_backend_pid()")
        params = [engine_url.database]
        if pids is not None:
            query, params = query + " AND pid = ANY(%s)", params + [pids]
        return admin.execute(query, params).fetchone()[0]


@contextmanager
def terminated_on(target, name: str, times: int = 1):
    """Terminate the backend of the connection that fires SQLAlchemy event `name`, the first `times` times."""
    fired = []

    def kill(connection, *args):
        if len(fired) < times:
            pid = connection.connection.dbapi_connection.info.backend_pid
            fired.append(pid)
            terminate([pid])

    event.listen(target, name, kill)
    try:
        yield fired
    finally:
        event.remove(target, name, kill)


@contextmanager
def terminated_after_commit():
    """Terminate the backend of the session's connection right after its first commit."""
    committing, fired = [], []

    def note(session):
        if not committing:
            committing.append(session.connection().connection.dbapi_connection.info.backend_pid)

    def kill(session):
        if committing and not fired:
            fired.append(committing[0])
            terminate(committing)

    event.listen(db.session, "before_commit", note)
    event.listen(db.session, "after_commit", kill)
    try:
        yield fired
    finally:
        event.remove(db.session, "before_commit", note)
        event.remove(db.session, "after_commit", kill)


def test_after_every_backend_is_terminated_the_next_read_and_write_succeed(committed_world, client):
    world = committed_world
    assert client.get("/api/v1/visits", headers=world.token).status_code == 200
    assert terminate() >= 1  # the pool's idle connections are now dead
    assert client.get("/api/v1/visits", headers=world.token).status_code == 200
    terminate()
    body = world.new_visit()
    assert client.post("/api/v1/visits", json=body, headers=world.token).status_code == 201
    assert world.stored(body["client_uuid"]) == 1


def test_a_read_that_loses_its_connection_mid_request_is_run_again_once(app, committed_world, client):
    world = committed_world
    with app.app_context():
        engine = db.engine
    with terminated_on(engine, "before_cursor_execute") as fired:
        response = client.get(f"/api/v1/visits/{world.visit_id}", headers=world.token)
    assert fired, "no backend was terminated"
    assert response.status_code == 200 and response.json["id"] == world.visit_id


def test_a_read_that_loses_its_connection_twice_answers_503_not_500(app, committed_world, client):
    world = committed_world
    with app.app_context():
        engine = db.engine
    with terminated_on(engine, "before_cursor_execute", times=2) as fired:
        response = client.get(f"/api/v1/visits/{world.visit_id}", headers=world.token)
    assert len(fired) == 2
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"


def test_a_write_that_committed_before_its_connection_died_answers_stored(committed_world, client):
    world = committed_world
    body = world.new_visit()
    with terminated_after_commit() as fired:
        response = client.post("/api/v1/visits", json=body, headers=world.token)
    assert fired
    assert response.status_code == 201 and response.json["client_uuid"] == body["client_uuid"]
    assert world.stored(body["client_uuid"]) == 1


def test_a_write_that_lost_its_connection_before_committing_answers_503_and_lands_once_when_resent(
        app, committed_world, client):
    world = committed_world
    body = world.new_visit()
    with app.app_context():
        engine = db.engine
    with terminated_on(engine, "after_cursor_execute") as fired:
        response = client.post("/api/v1/visits", json=body, headers=world.token)
    assert fired
    assert response.status_code == 503 and response.json["error"]["status"] == 503
    assert world.stored(body["client_uuid"]) == 0
    again = client.post("/api/v1/visits", json=body, headers=world.token)
    assert again.status_code == 201
    assert world.stored(body["client_uuid"]) == 1
