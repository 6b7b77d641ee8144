"""The automatic tenant filter and write guard, one test per known hole (DESIGN.md)."""
import re

import pytest
from sqlalchemy import and_, column, delete, event, func, insert, inspect, literal_column, select, table, text, update
from sqlalchemy.orm import aliased, lazyload
from sqlalchemy.orm.exc import NoResultFound
from werkzeug.exceptions import Forbidden

from app.accounts.models import User
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, Rating, Visit
from tenants.access import scope_for_job, scope_for_user
from tenants.lookup import cross_district_reads
from tenants.models import District, Lifecycle, Region
from tenants.roles import Role
from tenants.scope import NOTHING, Scope, TenantWriteRefused, entered, system_scope
from tenants.session import REUSED_STATEMENT, ScopeBypassRefused
from tests import factories
from tests.factories import SchoolFactory


def only(*districts) -> Scope:
    ids = frozenset(d.id for d in districts)
    return Scope(user_id=None, readable=ids, writable=ids)


def read_only(*districts) -> Scope:
    return Scope(user_id=None, readable=frozenset(d.id for d in districts), writable=frozenset())


def school_names() -> set[str]:
    return set(db.session.scalars(select(School.name)))


def test_queries_see_only_the_scope(world):
    with entered(only(world.home)):
        assert school_names() == {"Homeville Elementary", "Homeville High"}
        assert db.session.scalars(select(District.name)).all() == ["Homeville"]


def test_no_scope_sees_no_tenant_rows(world):
    with entered(NOTHING):
        assert school_names() == set()
        assert db.session.scalars(select(District)).all() == []


def test_aliased_queries_are_filtered_too(world):
    other = aliased(School)
    with entered(only(world.home)):
        names = db.session.scalars(select(other.name)).all()
        joined = db.session.execute(
            select(School.name, other.name).join(other, other.district_id != School.district_id)
        ).all()
    assert set(names) == {"Homeville Elementary", "Homeville High"}
    assert joined == []


def test_relationship_loads_are_filtered(world):
    """A lazy load is a query of its own: the filter reaches it, through an association table too."""
    factories.DistrictFactory(name="Second", slug="second", region=world.home_region)
    db.session.flush()
    home_assignment_id, home_visit_id = world.home_assignment.id, world.home_visit.id
    db.session.expunge_all()
    with entered(only(world.home)):
        region = db.session.get(Region, world.home_region.id)
        assert "districts" not in inspect(region).dict
        assert [d.name for d in region.districts] == ["Homeville"]  # the lazy load: "Second" is out of scope
        visit = db.session.scalars(select(Visit).where(Visit.id == home_visit_id).options(lazyload("*"))).one()
        assert "supports" not in inspect(visit).dict
        assert [s.id for s in visit.supports] == [home_assignment_id]  # lazy, through visit_supports
        # A row of another district already in memory lazy-loads nothing of it.
        assert db.session.get(Region, world.foreign_region.id).districts == []
        assert db.session.scalars(select(District)).one().name == "Homeville"


def test_bulk_update_reaches_only_the_write_scope(world):
    with entered(only(world.home)):
        db.session.execute(update(School).values(enrollment=1))
    assert db.session.get(School, (world.foreign.id, world.foreign_school.id)).enrollment != 1
    db.session.expire_all()
    assert {s.enrollment for s in db.session.scalars(select(School).where(School.district_id == world.home.id))} == {1}


def test_bulk_update_from_a_read_only_scope_changes_nothing(world):
    with entered(read_only(world.home)):
        db.session.execute(update(School).values(enrollment=2))
    db.session.expire_all()
    assert 2 not in set(db.session.scalars(select(School.enrollment)))


def test_bulk_delete_reaches_only_the_write_scope(world):
    with entered(only(world.home)):
        db.session.execute(delete(Rating))
    left = db.session.scalars(select(Rating.district_id)).all()
    assert left and set(left) == {world.foreign.id}


def test_bulk_update_cannot_move_rows_to_another_district(world):
    with entered(only(world.home)), pytest.raises(TenantWriteRefused):
        db.session.execute(update(School).values(district_id=world.foreign.id))


def test_bulk_insert_into_another_district_is_refused(world):
    row = {"district_id": world.foreign.id, "name": "Planted", "code": "X1", "grade_span": "K-5",
           "accountability_category": "meeting_targets"}
    with entered(only(world.home)), pytest.raises(TenantWriteRefused):
        db.session.execute(insert(School), [row])
    assert "Planted" not in school_names()


def test_session_get_does_not_answer_from_the_identity_map_across_tenants(world):
    key = (world.foreign.id, world.foreign_school.id)
    assert db.session.get(School, key) is world.foreign_school  # now in the identity map
    with entered(only(world.home)):
        assert db.session.get(School, key) is None
        assert db.session.get(District, world.foreign.id) is None
        with pytest.raises(NoResultFound):
            db.session.get_one(School, key)
        assert db.session.get(School, (world.home.id, world.home_school.id)) is world.home_school


def test_admin_get_one_goes_through_the_tenant_rules(app, world):
    """Flask-Admin's get_one uses Session.get; in a narrower scope it finds nothing."""
    school_view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "model", None) is School)
    foreign_id = f"{world.foreign.id},{world.foreign_school.id}"
    assert school_view.get_one(foreign_id) is world.foreign_school
    with entered(only(world.home)):
        assert school_view.get_one(foreign_id) is None
        count, rows = school_view.get_list(0, None, None, None, None)
        assert count == 2 and {s.district_id for s in rows} == {world.home.id}


def test_cached_criteria_does_not_carry_one_scope_into_the_next(world):
    """The criteria lambda is cached per class; each scope's ids must still be its own."""
    with entered(only(world.home)):
        first = school_names()
    with entered(only(world.foreign)):
        second = school_names()
    with entered(only(world.home)):
        third = school_names()
    assert first == third == {"Homeville Elementary", "Homeville High"}
    assert second == {"Faraway Middle", "Faraway High"}


def test_a_statement_kept_and_run_again_is_scoped_anew_for_each_scope(world):
    """The regional dashboard keeps its statements; their scoped copies are kept per scope, never shared."""
    kept = select(School.name)

    def names() -> set[str]:
        return set(db.session.scalars(kept, execution_options={REUSED_STATEMENT: True}))

    with entered(only(world.home)):
        first = names()
    with entered(only(world.foreign)):
        second = names()
    with entered(only(world.home, world.foreign)):
        both = names()
    with entered(only(world.home)):
        again = names()
    with entered(NOTHING):
        none = names()
    assert first == again == {"Homeville Elementary", "Homeville High"}
    assert second == {"Faraway Middle", "Faraway High"}
    assert both == first | second
    assert none == set()


def test_two_users_one_after_the_other_see_their_own_district(client, auth, world):
    auth.sign_in(world.leader)
    assert "Homeville Elementary" in client.get("/").text
    auth.sign_out()
    auth.sign_in(world.foreign_leader)
    page = client.get("/").text
    assert "Faraway Middle" in page and "Homeville" not in page


def test_flush_refuses_a_new_row_for_another_district(world):
    with entered(only(world.home)):
        db.session.add(School(district_id=world.foreign.id, name="Planted", code="P1", grade_span="K-5",
                              accountability_category="meeting_targets"))
        with pytest.raises(TenantWriteRefused):
            db.session.flush()
    db.session.rollback()


def test_flush_refuses_moving_a_row_out_of_or_into_the_scope(world):
    with entered(only(world.home)):
        school = db.session.get(School, (world.home.id, world.home_school.id))
        school.district_id = world.foreign.id
        with pytest.raises(TenantWriteRefused):
            db.session.flush()
    db.session.rollback()


def test_flush_refuses_changes_from_a_read_only_scope(world):
    with entered(read_only(world.home)):
        school = db.session.get(School, (world.home.id, world.home_school.id))
        school.enrollment = 7
        with pytest.raises(TenantWriteRefused):
            db.session.flush()
    db.session.rollback()


def test_flush_allows_writes_inside_the_scope(world):
    with entered(only(world.home)):
        world.home_school.enrollment = 555
        db.session.add(School(district_id=world.home.id, name="New Academy", code="N1", grade_span="6-8",
                              accountability_category="meeting_targets"))
        db.session.flush()
    assert "New Academy" in school_names()


def test_core_statements_on_tenant_tables_are_refused_in_a_restricted_scope(world):
    with entered(only(world.home)):
        with pytest.raises(ScopeBypassRefused):
            db.session.connection().execute(select(School.__table__)).all()
        with pytest.raises(ScopeBypassRefused):
            db.session.execute(text("SELECT name FROM schools")).all()
        checked = db.session.execute(
            text("SELECT count(*) FROM schools WHERE district_id = :d").bindparams(d=world.home.id),
            execution_options={"scope_checked": True},
        ).scalar()
    assert checked == 2


SCHOOL_ROW = {"name": "Planted", "code": "X9", "grade_span": "K-5", "accountability_category": "meeting_targets"}

# Statements through the session that the ORM filter cannot reach, per verb and per form; `home` and `foreign`
# are district ids. Each one, run in a scope of the home district, would read or change the foreign district.
ESCAPES = {
    "select a Core table": lambda home, foreign: select(School.__table__.c.name),
    "select from text()": lambda home, foreign: select(literal_column("name")).select_from(text("schools")),
    "select a lightweight table()": lambda home, foreign: select(column("name")).select_from(table("schools")),
    "select SQL in a literal column": lambda home, foreign: select(
        School.name, literal_column("(SELECT max(name) FROM schools)")),
    "select an entity named only in a WHERE": lambda home, foreign: select(func.count()).where(School.id > 0),
    "select a Core column beside an ORM WHERE": lambda home, foreign: select(School.__table__.c.name).where(
        School.id > 0),
    "update a Core table": lambda home, foreign: update(School.__table__).values(enrollment=1),
    "update where text()": lambda home, foreign: update(School).where(text("true")).values(enrollment=1),
    "update to SQL in a literal column": lambda home, foreign: update(School).values(
        name=literal_column(f"(SELECT max(name) FROM schools WHERE district_id = {foreign})")),
    "delete a Core table": lambda home, foreign: delete(Rating.__table__),
    "delete where text()": lambda home, foreign: delete(Rating).where(text("true")),
    "delete by SQL in a literal column": lambda home, foreign: delete(Rating).where(
        Rating.id == literal_column("ANY (SELECT id FROM ratings)")),
    "insert as text()": lambda home, foreign: text(
        f"INSERT INTO schools (district_id, name, code, grade_span, accountability_category) "
        f"VALUES ({foreign}, 'Planted', 'X9', 'K-5', 'meeting_targets')"),
    "insert into a Core table with no district": lambda home, foreign: insert(School.__table__).values(**SCHOOL_ROW),
    "insert a district_id given as SQL": lambda home, foreign: insert(School).values(
        district_id=literal_column(str(foreign)), **SCHOOL_ROW),
    "insert from a select": lambda home, foreign: insert(School.__table__).from_select(
        ["district_id", "name", "code", "grade_span", "accountability_category"],
        select(School.district_id, School.name + " copy", School.code + "c", School.grade_span,
               School.accountability_category)),
}


def _every_district_s_rows() -> tuple:
    with entered(system_scope("test check")):
        db.session.expire_all()
        schools = db.session.execute(select(School.district_id, School.name, School.enrollment)
                                     .order_by(School.district_id, School.name)).all()
        return schools, db.session.scalar(select(func.count()).select_from(Rating))


@pytest.mark.parametrize("form", ESCAPES)
def test_a_statement_the_filter_cannot_reach_is_refused(world, form):
    before = _every_district_s_rows()
    # Taken before entering the scope: another district's row is not even readable there (row-level security).
    statement = ESCAPES[form](world.home.id, world.foreign.id)
    with entered(only(world.home)), pytest.raises(ScopeBypassRefused):
        db.session.execute(statement)
    assert _every_district_s_rows() == before


@pytest.mark.parametrize("form", ["select a Core table", "update a Core table", "delete a Core table"])
def test_core_statements_run_for_the_system_and_when_filtered_by_hand(world, form):
    with entered(system_scope("test")):
        db.session.execute(ESCAPES[form](world.home.id, world.foreign.id))
    by_hand = ESCAPES[form](world.home.id, world.foreign.id).where(
        (Rating if form.startswith("delete") else School).__table__.c.district_id == world.home.id)
    with entered(only(world.home)):
        db.session.execute(by_hand, execution_options={"scope_checked": True})


def test_core_writes_inside_the_scope_and_orm_forms_still_run(world):
    with entered(only(world.home)):
        db.session.execute(insert(School.__table__).values(district_id=world.home.id, **SCHOOL_ROW))
        with pytest.raises(TenantWriteRefused):
            db.session.execute(insert(School.__table__).values(district_id=world.foreign.id, **SCHOOL_ROW))
        counted = db.session.scalar(select(func.count(literal_column("*"))).select_from(School))
        quoted = db.session.scalars(select(School.name).where(School.name.like("Planted%"))
                                    .order_by(literal_column("name"))).all()
        db.session.execute(update(School).where(School.name == "Planted").values(enrollment=3))
    assert counted == 3 and quoted == ["Planted"]
    assert {(s.district_id, s.enrollment) for s in _every_district_s_rows()[0] if s.name == "Planted"} == {
        (world.home.id, 3)}


def test_a_scope_comes_from_every_grant_of_a_person(world):
    user = factories.person(Role.ASSISTANCE_LEAD, district=world.home)
    factories.grant(user, Role.DISTRICT_VIEWER, district=world.foreign)
    scope = scope_for_user(user)
    assert scope.readable == {world.home.id, world.foreign.id}
    assert scope.writable == {world.home.id}


def test_a_director_reaches_the_districts_of_their_region(world):
    scope = scope_for_user(world.director)
    assert scope.readable == scope.writable == {world.home.id}


def test_archived_districts_leave_everyone_s_scope_but_an_admin_s(world):
    world.home.lifecycle = Lifecycle.ARCHIVED
    db.session.flush()
    assert scope_for_user(world.leader).readable == frozenset()
    assert scope_for_user(world.director).readable == frozenset()
    assert scope_for_user(world.admin).unrestricted


def test_a_job_enters_the_scope_of_its_user_and_district(world):
    scope = scope_for_job(world.leader.id, world.home.id)
    assert scope.readable == scope.writable == {world.home.id}
    viewer_scope = scope_for_job(world.viewer.id, world.home.id)
    assert viewer_scope.readable == {world.home.id} and viewer_scope.writable == frozenset()
    outsider = scope_for_job(world.foreign_leader.id, world.home.id)
    assert outsider.readable == outsider.writable == frozenset()
    with entered(scope):
        assert school_names() == {"Homeville Elementary", "Homeville High"}


def test_cross_district_door_gives_a_director_their_region_read_only(app, world):
    SchoolFactory(district=factories.DistrictFactory(name="Second", slug="second", region=world.home_region))
    with app.test_request_context():
        with cross_district_reads(world.director) as district_ids:
            assert len(district_ids) == 2 and world.foreign.id not in district_ids
            assert "Faraway Middle" not in school_names()
            world.home_school.enrollment = 9
            with pytest.raises(TenantWriteRefused):
                db.session.flush()
        db.session.rollback()


def test_cross_district_door_is_closed_to_district_roles(app, world):
    with app.test_request_context():
        for user in (world.lead, world.leader, world.viewer):
            with pytest.raises(Forbidden), cross_district_reads(user):
                pass


# --- the filter as the planner reads it ------------------------------------------------------------


def sent_sql(run) -> tuple[list, list[str]]:
    """The rows `run()` answers, and the SQL it sent."""
    sent = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        rows = run()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    return rows, sent


def test_one_district_is_filtered_with_equals_and_several_with_one_array(world):
    """`= :id` lets PostgreSQL carry one district along a join's equalities of district_id."""
    third = factories.DistrictFactory(name="Thirdton", slug="thirdton", region=world.home_region)
    for scope, wanted, unwanted in ((only(world.home), "schools.district_id = %(", "ANY"),
                                    (only(world.home, third), "schools.district_id = ANY (%(", None)):
        with entered(scope):
            names, (sql,) = sent_sql(lambda: set(db.session.scalars(select(School.name))))
        assert names == {"Homeville Elementary", "Homeville High"}
        assert wanted in sql and (unwanted is None or unwanted not in sql)


@pytest.mark.parametrize("districts", ["one", "two"])
def test_a_join_never_reaches_another_district_s_rows(world, districts):
    """Each tenant table of a join keeps its own filter: a join on a key without district_id (by id alone, by a
    user, through an alias) finds no row of another district, with one district in scope or several."""
    third = factories.DistrictFactory(name="Thirdton", slug="thirdton", region=world.home_region)
    scope = only(world.home) if districts == "one" else only(world.home, third)
    foreign_visit, other = world.foreign_visit, aliased(Visit)
    joins = {
        "by id alone": select(Observation.id, Visit.purpose).join(Visit, Visit.id == foreign_visit.id),
        "by the visit's id": select(Visit.purpose).join(Observation, Observation.visit_id == Visit.id)
        .where(Visit.id == foreign_visit.id),
        "through an alias": select(School.name, other.purpose).join(other, other.id == foreign_visit.id),
        "through a person": select(Visit.purpose).select_from(User)
        .join(Visit, Visit.lead_id == User.id).where(User.id == world.foreign_lead.id),
        "a key join": select(Observation.id, Visit.purpose)
        .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
        .where(Visit.id == foreign_visit.id),
    }
    with entered(scope):
        for name, statement in joins.items():
            rows, (sql,) = sent_sql(lambda statement=statement: db.session.execute(statement).all())
            assert rows == [], name
            tables = re.findall(r"(?:FROM|JOIN) (\w+)(?: AS (\w+))?", sql)
            for table, alias in tables:
                if table in ("users",):
                    continue
                assert re.search(rf"\b{alias or table}\.district_id = ", sql), (name, table, sql)
