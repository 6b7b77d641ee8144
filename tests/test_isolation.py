"""The isolation matrix: every route of the app, every role, an own and a foreign district.

A route that is added to the app without a row here makes `test_every_route_is_in_the_matrix` fail.
"""
import uuid
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import select

from app.districts.models import School
from app.extensions import db
from tenants.models import Region
from tests.conftest import Auth
from tests.matrix import ROLES, all_routes
from tests.matrix_districts import SCHOOL_FORM

TENANT_ROUTES = all_routes()

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


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
@pytest.mark.parametrize("target", ["own", "foreign"])
def test_tenant_route(app, world, route, target):
    """Every role, then a stranger, on one route against an own or a foreign district.

    One world per route and target; each person's request runs in a savepoint that is
    rolled back, so a write by one role never changes what the next one sees.
    """
    ids = world.ids(target)
    for role in ROLES:
        with _undone():
            client = app.test_client()  # each person in a browser of their own
            Auth(client).sign_in(world.people()[role])
            response = client.open(route.url(ids), method=route.method, data=_form(route, ids), json=_body(route, ids))
            # Downloads (a PDF) are bytes: read them as text without failing on what is not UTF-8.
            text = response.get_data().decode("utf-8", "replace")
            assert response.status_code == route.expected(role, target), f"{role}: {text[:400]}"
            if role != "platform_admin":
                for foreign_text in ("Faraway", world.foreign_school.name, world.FOREIGN_INTERNAL, world.FOREIGN_SHARED):
                    assert foreign_text not in text, role
            if role not in ("platform_admin", "regional_director", "assistance_lead"):
                assert world.HOME_INTERNAL not in text, role
    with _undone():
        response = app.test_client().open(route.url(ids), method=route.method, data=_form(route, ids), json=_body(route, ids))
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
