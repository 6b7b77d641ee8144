"""The isolation matrix: every route of the app, every role, an own and a foreign district.

A route that is added to the app without a row here makes `test_every_route_is_in_the_matrix` fail.
"""
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.districts.models import School
from app.extensions import db
from tenants.models import Region
from tests.factories import World

WRITERS = {"platform_admin", "regional_director", "assistance_lead", "district_leader"}
ROLES = ("platform_admin", "regional_director", "assistance_lead", "district_leader", "district_viewer")
SCHOOL_FORM = {"name": "Renamed School", "code": "R-100", "grade_span": "K-8", "enrollment": "321",
               "accountability_category": "meeting_targets"}


@dataclass(frozen=True)
class TenantRoute:
    endpoint: str
    method: str
    path: str  # filled from the target district: {slug}, {school}
    writes: bool = False
    data: dict | None = None

    def url(self, world: World, target: str) -> str:
        district = world.home if target == "own" else world.foreign
        school = world.home_school if target == "own" else world.foreign_school
        return self.path.format(slug=district.slug, school=school.id)

    def expected(self, role: str, target: str) -> int:
        if target == "foreign" and role != "platform_admin":
            return 404
        if self.writes and role not in WRITERS:
            return 403
        return 302 if self.method == "POST" else 200


TENANT_ROUTES = [
    TenantRoute("districts.show", "GET", "/districts/{slug}"),
    TenantRoute("districts.school", "GET", "/districts/{slug}/schools/{school}"),
    TenantRoute("districts.new_school", "GET", "/districts/{slug}/schools/new", writes=True),
    TenantRoute("districts.new_school", "POST", "/districts/{slug}/schools/new", writes=True, data=SCHOOL_FORM),
    TenantRoute("districts.edit_school", "GET", "/districts/{slug}/schools/{school}/edit", writes=True),
    TenantRoute("districts.edit_school", "POST", "/districts/{slug}/schools/{school}/edit", writes=True,
                data=SCHOOL_FORM),
]

# Routes that show no tenant data of their own, each with tests elsewhere.
PLATFORM_ROUTES = {
    "static": "tests/test_pages.py",
    "auth.sign_in": "tests/test_auth.py",
    "auth.sign_out": "tests/test_auth.py",
    "home.index": "tests/test_pages.py (one test per role)",
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
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["own", "foreign"])
def test_tenant_route(client, auth, world, route, role, target):
    auth.sign_in(world.people()[role])
    response = client.open(route.url(world, target), method=route.method, data=route.data)
    assert response.status_code == route.expected(role, target), response.text[:400]
    if role != "platform_admin":
        for foreign_name in ("Faraway", world.foreign_school.name):
            assert foreign_name not in response.text


@pytest.mark.parametrize("route", TENANT_ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
def test_tenant_route_asks_a_stranger_to_sign_in(client, world, route):
    response = client.open(route.url(world, "own"), method=route.method, data=route.data)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


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
