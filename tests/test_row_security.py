"""PostgreSQL row-level security: the second wall, tested with the ORM filter switched off."""
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import ProgrammingError

from app import create_app
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Rating
from tenants.base import Tenanted
from tenants.models import District
from tenants.rls import READ_SETTING, WRITE_SETTING, refused_by_row_security
from tenants.scope import NOTHING, Scope, entered, system_scope
from tests.conftest import Auth
from tests.orm_filter import orm_filter_off

POLICIES = {"tenant_read", "tenant_insert", "tenant_update", "tenant_delete"}
# Tables with a district_id that are not tenant data (migration 0014 names them).
PLATFORM_TABLES = {"role_grants", "import_batches"}


def only(*districts, writes=None) -> Scope:
    ids = frozenset(d.id for d in districts)
    writable = ids if writes is None else frozenset(d.id for d in writes)
    return Scope(user_id=None, readable=ids, writable=writable)


def school_names() -> set[str]:
    return set(db.session.scalars(select(School.name)))


def _tenant_tables() -> set[str]:
    return {mapper.local_table.name for mapper in db.Model.registry.mappers if issubclass(mapper.class_, Tenanted)}


def test_every_tenant_table_has_row_security_forced_and_its_policies(app):
    rows = db.session.execute(text(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
        "array(SELECT policyname::text FROM pg_policies p WHERE p.tablename = c.relname) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'")).all()
    security = {name: (enabled, forced, set(policies)) for name, enabled, forced, policies in rows}
    tables = _tenant_tables()
    assert {"districts", "schools", "visits", "ratings", "improvement_plans", "audit_events"} <= tables
    for table in tables:
        # Personnel records (migration 0018) have one more, restrictive: the circle of tenants/personnel.py.
        wanted = POLICIES | ({"personnel_circle"} if table.startswith("evaluation_") and table != "evaluation_calendars"
                             else set())
        assert security[table] == (True, True, wanted), table
    # A new table with a district_id is either a tenant model or named as platform data, never neither.
    with_district = set(db.session.scalars(text(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'district_id'")))
    assert with_district - tables == PLATFORM_TABLES


def test_the_app_connects_as_a_role_that_owns_nothing_and_is_not_a_superuser(app):
    role, superuser, bypasses, owned = db.session.execute(text(
        "SELECT current_user, rolsuper, rolbypassrls, "
        "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        " WHERE n.nspname = 'public' AND c.relowner = r.oid) "
        "FROM pg_roles r WHERE r.rolname = current_user")).one()
    assert (role, superuser, bypasses, owned) == (app.config["APP_DATABASE_ROLE"], False, False, 0)


def test_a_transaction_that_declares_nothing_sees_nothing(world):
    raw = db.session.connection().connection.driver_connection  # below SQLAlchemy: nothing declared for us
    raw.execute(f"RESET {READ_SETTING}")  # undone with the test's transaction
    raw.execute(f"RESET {WRITE_SETTING}")
    assert raw.execute("SELECT count(*) FROM schools").fetchone() == (0,)
    assert raw.execute("SELECT count(*) FROM districts").fetchone() == (0,)
    assert raw.execute("UPDATE schools SET enrollment = 1").rowcount == 0
    with pytest.raises(Exception, match="row-level security"):
        raw.execute(f"INSERT INTO schools (district_id, name, code, grade_span, accountability_category) "
                    f"VALUES ({world.home.id}, 'Planted', 'P1', 'K-5', 'meeting_targets')")


def test_each_statement_declares_the_scope_current_when_it_runs(world):
    with orm_filter_off():
        with entered(only(world.home)):
            assert school_names() == {"Homeville Elementary", "Homeville High"}
            with entered(system_scope("computing a scope")):  # as access.py does, inside a request
                assert len(school_names()) == 4
            assert school_names() == {"Homeville Elementary", "Homeville High"}
            with entered(NOTHING):
                assert school_names() == set()
                assert db.session.scalars(select(District)).all() == []


def test_a_savepoint_rolled_back_leaves_no_wider_declaration_behind(world):
    with orm_filter_off():
        assert len(school_names()) == 4  # the test's system scope, declared outside the savepoint
        savepoint = db.session.begin_nested()
        db.session.connection()  # SAVEPOINT now, in the system scope
        with entered(only(world.home)):
            assert len(school_names()) == 2  # declared inside the savepoint
            savepoint.rollback()  # PostgreSQL is back to "every district" here
            assert school_names() == {"Homeville Elementary", "Homeville High"}


def test_postgresql_refuses_writes_outside_the_write_set(world):
    with orm_filter_off(), entered(only(world.home, world.foreign, writes=[world.home])):
        db.session.execute(update(School.__table__).values(enrollment=1))  # a Core statement, too
        db.session.execute(delete(Rating))
        db.session.expire_all()
        assert {(s.district_id, s.enrollment) for s in db.session.scalars(select(School))} == {
            (world.home.id, 1), (world.foreign.id, 400)}
        assert set(db.session.scalars(select(Rating.district_id))) == {world.foreign.id}
        db.session.add(School(district_id=world.foreign.id, name="Planted", code="P1", grade_span="K-5",
                              accountability_category="meeting_targets"))
        with pytest.raises(ProgrammingError) as refused:
            db.session.flush()
    assert refused_by_row_security(refused.value)
    db.session.rollback()


@pytest.fixture
def leaky_app(app, world):
    """A second app with one route that writes to the foreign district and checks nothing itself,
    on the test's connection (so inside its transaction)."""
    leaky = create_app("testing")

    @leaky.post("/districts/<slug>/plant-a-school")
    def plant(slug):
        db.session.add(School(district_id=world.foreign.id, name="Planted", code="P1", grade_span="K-5",
                              accountability_category="meeting_targets"))
        db.session.commit()
        return "planted"

    connection = db.engines[None]
    with leaky.app_context():
        engine = db.engines[None]
        db.engines[None] = connection
    yield leaky
    with leaky.app_context():
        db.engines[None] = engine
        engine.dispose()


def test_a_write_refused_by_postgresql_answers_404_and_stores_nothing(leaky_app, world):
    client = leaky_app.test_client()
    Auth(client).sign_in(world.leader)
    with orm_filter_off():
        response = client.post(f"/districts/{world.home.slug}/plant-a-school")
    assert response.status_code == 404
    assert "Planted" not in school_names()


def test_a_transaction_opened_by_a_savepoint_declares_afresh(app):
    """The connection forgets a finished transaction's declaration, even when the next one starts with SAVEPOINT."""
    declared = text(f"SELECT current_setting('{READ_SETTING}', true)")
    with db.engines[None].engine.connect() as connection, entered(system_scope("two transactions")):
        assert connection.execute(declared).scalar() == "*"
        connection.commit()
        with connection.begin_nested():
            assert connection.execute(declared).scalar() == "*"
