"""The isolation matrix: every route of the app, every role, an own and a foreign district,
behind both walls (the ORM filter and PostgreSQL's row-level security) and behind row-level
security alone (the ORM filter switched off on purpose: tests/orm_filter.py).

A route that is added to the app without a row here makes `test_every_route_is_in_the_matrix` fail.

The world of two districts is built once for the module, in one transaction rolled back at its
end; each test runs in a savepoint of it, and each request in a savepoint of that.
"""
import re
import uuid
from contextlib import contextmanager, nullcontext

import pytest
from flask import g
from sqlalchemy import select, text

from app.districts.models import School
from app.extensions import db, limiter
from tenants.base import Tenanted
from tenants.models import Region
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import Auth
from tests.factories_evaluations import FOREIGN_EVALUATION, HOME_EVALUATION
from tests.factories_field_teams import DISTRICT_INTERNAL, FOREIGN_DISTRICT_INTERNAL
from tests.matrix import PERSONNEL_CIRCLE, PRIVACY_PEOPLE, ROLES, all_routes
from tests.matrix_districts import SCHOOL_FORM
from tests.matrix_evaluation_overview import ROUTES as OVERVIEW_ROUTES
from tests.matrix_evaluations import ROUTES as EVALUATION_ROUTES
from tests.orm_filter import orm_filter_off

TENANT_ROUTES = all_routes()
WALLS = {"both walls": nullcontext, "row security alone": orm_filter_off}

# Routes that show no tenant data of their own, each with tests elsewhere.
PLATFORM_ROUTES = {
    "static": "tests/test_pages.py",
    "auth.sign_in": "tests/test_auth.py",
    "auth.sign_out": "tests/test_auth.py",
    "auth.forgot_password": "tests/test_invitations.py (the same answer for every email)",
    "auth.set_password": "tests/test_invitations.py (signed links: expired, used, tampered)",
    "home.index": "tests/test_pages.py (one test per role)",
    "accounts.tokens": "tests/test_api.py (a person's own tokens)",
    "accounts.revoke": "tests/test_api.py (a person's own tokens)",
    "notifications.preferences": "tests/test_notifications.py (a person's own settings)",
    "api-docs.openapi_json": "tests/test_api.py (the spec is valid OpenAPI)",
    "api_reference.docs": "tests/test_api.py (the reference page)",
    "onboarding.index": "tests/test_onboarding.py (platform admins only)",
    "onboarding.directory_import": "tests/test_onboarding.py (platform admins only)",
    "onboarding.batch": "tests/test_onboarding.py (platform admins only)",
    "onboarding.confirm": "tests/test_onboarding.py (platform admins only)",
    "jobs.failed": "tests/test_onboarding.py (platform admins only)",
    "jobs.retry": "tests/test_onboarding.py (platform admins only)",
    "audit.platform_log": "tests/test_onboarding.py (platform admins only)",
    "rollups.dashboard": "tests/test_rollups.py (directors see their regions only; leads and district roles get 403)",
    "offline.field": "tests/test_offline.py (a lead's own districts only)",
    "offline.session": "tests/test_offline.py (the signed-in person and a CSRF token)",
    "offline.manifest": "tests/test_offline.py",
    "offline.service_worker": "tests/test_offline.py",
    "ops.healthz": "tests/test_ops.py (liveness, no sign-in, no tenant data)",
    "ops.readyz": "tests/test_ops.py (database and Redis, 503 when Redis is down)",
}


def _admin_endpoint(rule) -> bool:
    return rule.rule.startswith("/admin")


def test_every_route_is_in_the_matrix(app):
    covered = {(r.endpoint, r.method) for r in TENANT_ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if _admin_endpoint(rule) or rule.endpoint in PLATFORM_ROUTES:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes missing from the isolation matrix: " + ", ".join(missing)


@pytest.fixture(scope="module")
def world(app):
    """One world for the module (overrides conftest's), in a transaction of its own rolled back at the end."""
    with app.app_context():
        engine = db.engines[None]
        connection = engine.connect()
        outer = connection.begin()
        db.engines[None] = connection
        db.session.remove()
        try:
            with entered(system_scope("the isolation matrix's world")):
                world = factories.make_world()
                world.make_privacy_people()  # now, in the module's world, not in a test's savepoint
                db.session.commit()  # releases the session's savepoint: the world stays in `outer`
            yield world
        finally:
            db.session.remove()
            outer.rollback()
            connection.close()
            db.engines[None] = engine


@pytest.fixture(autouse=True)
def _database(world, redis):
    """Overrides conftest's: each test in a savepoint of the module's transaction, as the system."""
    limiter.reset()
    with entered(system_scope("test setup")), _undone():
        yield


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
@pytest.mark.parametrize("target", ["own", "foreign"])
@pytest.mark.parametrize("wall", WALLS)
def test_tenant_route(app, world, route, target, wall):
    """Every role, then a stranger, on one route against an own or a foreign district.

    Each person's request runs in a savepoint that is rolled back, so a write by one
    role never changes what the next one sees.
    """
    ids = world.ids(target)
    with WALLS[wall]():
        for role in ROLES:
            with _undone():
                response, text = _request(app, world.people()[role], route, ids)
                assert response.status_code == route.expected(role, target), f"{role}: {text[:400]}"
                if role != "platform_admin":
                    _assert_nothing_foreign(world, text, role)
                if role not in ("platform_admin", "regional_director", "assistance_lead"):
                    assert world.HOME_INTERNAL not in text, role
                # The district's own internal notes: for its leaders and supervisors only, never the support team,
                # its viewers or platform admins; another district's, for no one here.
                if role not in ("district_leader", "school_supervisor"):
                    assert DISTRICT_INTERNAL not in text, role
                assert FOREIGN_DISTRICT_INTERNAL not in text, role
                _assert_no_evaluation_outside_its_circle(role, text)
        _assert_a_stranger_is_sent_to_sign_in(app, route, ids)


@pytest.mark.parametrize("route", EVALUATION_ROUTES + OVERVIEW_ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
@pytest.mark.parametrize("target", ["own", "foreign"])
@pytest.mark.parametrize("wall", WALLS)
def test_privacy_axis(app, world, route, target, wall):
    """The evaluation routes for the people of the privacy axis: the principal evaluated and the superintendent
    (in the circle), another supervisor of the same district (outside it, as every role but the evaluator is)."""
    ids = world.ids(target)
    with WALLS[wall]():
        for name in PRIVACY_PEOPLE:
            with _undone():
                response, text = _request(app, world.privacy_people[name], route, ids)
                assert response.status_code == route.expected(name, target), f"{name}: {text[:400]}"
                _assert_nothing_foreign(world, text, name)
                _assert_no_evaluation_outside_its_circle(name, text)


def _assert_no_evaluation_outside_its_circle(who: str, text: str) -> None:
    """The home cycle's words reach its circle only; the foreign cycle's reach no one here."""
    if who not in PERSONNEL_CIRCLE:
        assert HOME_EVALUATION not in text, who
    assert FOREIGN_EVALUATION not in text, who


# The held-out attack: a person of one district asks for the other district's objects through their
# own district's URLs (and bodies), with the ORM filter off: PostgreSQL alone must refuse.
SINGLE_DISTRICT_PEOPLE = ("assistance_lead", "district_leader", "district_viewer")
# Placeholders that name no tenant object (the district's own, or platform catalogs).
NOT_TENANT_OBJECTS = {"slug", "district", "support_type", "rubric"}


@pytest.mark.parametrize("role", SINGLE_DISTRICT_PEOPLE)
def test_the_held_out_attack_with_row_security_alone(app, world, role):
    own, foreign = world.ids("own"), world.ids("foreign")
    mixed = {**own, **{key: value for key, value in foreign.items() if key not in NOT_TENANT_OBJECTS}}
    before = _foreign_fingerprint(world)
    with orm_filter_off():
        for route in TENANT_ROUTES:
            with _undone():
                response, text = _request(app, world.people()[role], route, mixed)
                where = f"{route.method} {route.url(mixed)}: {response.status_code} {text[:300]}"
                assert response.status_code < 500, where
                _assert_nothing_foreign(world, text, where)
                if set(re.findall(r"{(\w+)}", route.path)) - NOT_TENANT_OBJECTS:  # a foreign object in the URL
                    assert 400 <= response.status_code < 500, where  # refused: not found, not allowed, invalid
                assert _foreign_fingerprint(world) == before, where


def _request(app, person, route, ids):
    """`person` signs in in a browser of their own and makes the route's request; the response and its text."""
    client = app.test_client()
    limiter.reset()  # the sign-in limit is not under test here, and one test signs in once per route
    Auth(client).sign_in(person)
    response = client.open(route.url(ids), method=route.method, data=_form(route, ids), json=_body(route, ids))
    # Downloads (a PDF) are bytes: read them as text without failing on what is not UTF-8.
    return response, response.get_data().decode("utf-8", "replace")


def _assert_nothing_foreign(world, text, where) -> None:
    for foreign_text in ("Faraway", world.foreign_school.name, world.FOREIGN_INTERNAL, world.FOREIGN_SHARED):
        assert foreign_text not in text, where


def _foreign_fingerprint(world) -> str:
    """A digest of every row of the foreign district in every tenant table, read as the system."""
    tables = sorted({m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, Tenanted)})
    column = {"districts": "id"}
    digests = " UNION ALL ".join(
        f"SELECT '{table}' || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
        f"FROM {table} t WHERE {column.get(table, 'district_id')} = :foreign" for table in tables)
    with entered(system_scope("the held-out attack's check")):
        return ",".join(db.session.scalars(text(digests), {"foreign": world.foreign.id}))


def _assert_a_stranger_is_sent_to_sign_in(app, route, ids) -> None:
    with _undone():
        response = app.test_client().open(route.url(ids), method=route.method, data=_form(route, ids),
                                          json=_body(route, ids))
        if route.path.startswith("/api/"):
            assert response.status_code == 401 and response.is_json
        else:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@contextmanager
def _undone():
    """Run a request in a savepoint of the test's transaction, and roll it back afterwards."""
    db.session.commit()  # the world so far stays, in the test's outer transaction
    savepoint = db.engines[None].begin_nested()
    try:
        yield
    finally:
        db.session.rollback()
        savepoint.rollback()
        db.session.expire_all()
        # The tests share one application context: forget who the last request's person was.
        g.pop("_login_user", None)


def _form(route, ids):
    """The route's form body, with placeholders such as {lead} filled for the target district."""
    return None if route.data is None else _filled(route.data, ids)


def _body(route, ids):
    """The route's JSON body, filled like a form; a create gets a new client UUID each time."""
    if route.json is None:
        return None
    body = _filled(route.json, ids)
    return {**body, "client_uuid": str(uuid.uuid4())} if route.fresh_body else body


def _filled(values: dict, ids: dict) -> dict:
    return {key: value.format(**ids) if isinstance(value, str) else value for key, value in values.items()}


def test_a_refused_write_changes_nothing(client, auth, world):
    """A leader's post aimed at another district's school leaves that school as it was."""
    auth.sign_in(world.leader)
    url = f"/districts/{world.home.slug}/schools/{world.foreign_school.id}/edit"
    assert client.post(url, data=SCHOOL_FORM).status_code == 404
    url = f"/districts/{world.foreign.slug}/schools/new"
    assert client.post(url, data=SCHOOL_FORM).status_code == 404
    db.session.expire_all()
    assert world.foreign_school.name == "Faraway Middle"
    assert db.session.scalars(select(School).where(School.name == "Renamed School")).all() == []


def _admin_get_urls(app) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if _admin_endpoint(rule) and "GET" in rule.methods and not rule.arguments:
            urls.append(rule.rule)
    return sorted(urls)


def test_admin_urls_are_found(app):
    urls = _admin_get_urls(app)
    assert "/admin/" in urls and "/admin/school/" in urls and "/admin/user/new/" in urls


@pytest.mark.parametrize("role", ROLES)
def test_admin_area_is_for_platform_admins_only(app, client, auth, world, role):
    auth.sign_in(world.people()[role])
    for url in _admin_get_urls(app):
        status = client.get(url).status_code
        if role != "platform_admin":
            assert status == 403, url
        elif url.endswith(("/admin/", "/new/")) or url.count("/") == 3:  # index, lists, create forms
            assert status == 200, url
        else:  # edit, details, ajax and export need arguments this request does not give
            assert status in (200, 302, 400, 404), url


def test_admin_posts_are_refused_to_others(client, auth, world):
    auth.sign_in(world.director)
    response = client.post("/admin/region/new/", data={"name": "Sneaky"})
    assert response.status_code == 403
    assert db.session.scalars(select(Region).where(Region.name == "Sneaky")).all() == []


def test_admin_area_asks_a_stranger_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
