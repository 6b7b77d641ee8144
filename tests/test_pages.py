"""Home pages per role, district and school pages, error pages."""
import re

import pytest
from sqlalchemy import event, select

from app.districts.models import School
from app.extensions import db
from tenants.roles import Role
from tests import factories
from tests.factories import DistrictFactory, SchoolFactory


def district_links(page: str) -> set[str]:
    return set(re.findall(r'href="/districts/([a-z0-9-]+)"', page))


def test_admin_home_lists_every_district_and_the_admin_area(client, auth, world):
    auth.sign_in(world.admin)
    page = client.get("/").text
    assert district_links(page) == {"homeville", "faraway"}
    assert 'href="/admin/"' in page


def test_director_home_lists_the_region_with_a_summary(client, auth, world):
    DistrictFactory(name="Second Town", slug="second-town", region=world.home_region)
    auth.sign_in(world.director)
    page = client.get("/").text
    assert district_links(page) == {"homeville", "second-town"}
    assert "Home Region" in page and "Foreign Region" not in page
    assert 'href="/admin/"' not in page


def test_lead_home_lists_assigned_districts(client, auth, world):
    other = DistrictFactory(name="Assigned Too", slug="assigned-too", region=world.foreign_region)
    factories.grant(world.lead, Role.ASSISTANCE_LEAD, district=other)
    auth.sign_in(world.lead)
    page = client.get("/").text
    assert district_links(page) == {"homeville", "assigned-too"}
    assert "Faraway" not in page


@pytest.mark.parametrize("who", ["leader", "viewer"])
def test_district_people_land_on_their_district_and_its_schools(client, auth, world, who):
    auth.sign_in(getattr(world, who))
    page = client.get("/").text
    assert "<h1>Homeville</h1>" in page
    assert "Homeville Elementary" in page and "Homeville High" in page
    assert "Faraway" not in page
    assert ("Add a school" in page) is (who == "leader")
    assert 'href="/districts/homeville/dashboard"' in page


def test_person_with_no_grants_is_told_so(client, auth):
    auth.sign_in(factories.UserFactory())
    assert "No districts are assigned to you yet" in client.get("/").text


def test_home_query_count_does_not_grow_with_districts(app, client, auth, world):
    """Listing ten times the districts takes the same number of statements."""
    auth.sign_in(world.admin)

    def statements_for_home() -> int:
        db.session.expire_all()  # as a new request would find it
        count = 0

        def counter(*args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", counter)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", counter)
        return count

    few = statements_for_home()
    for _ in range(10):
        SchoolFactory(district=DistrictFactory(region=world.home_region))
    assert statements_for_home() == few


def test_school_page_shows_its_details(client, auth, world):
    auth.sign_in(world.viewer)
    page = client.get(f"/districts/homeville/schools/{world.home_school.id}").text
    assert "Homeville Elementary" in page and world.home_school.code in page
    assert "Edit school details" not in page


def test_leader_edits_a_school(client, auth, world):
    auth.sign_in(world.leader)
    url = f"/districts/homeville/schools/{world.home_school.id}/edit"
    response = client.post(url, data={"name": "Homeville Elementary School", "code": "hv-1", "grade_span": "pk-5",
                                      "enrollment": "512", "accountability_category": "focused_targeted_support"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Saved Homeville Elementary School." in response.text
    db.session.expire_all()
    school = world.home_school
    assert (school.code, school.grade_span, school.enrollment) == ("HV-1", "PK-5", 512)


@pytest.mark.parametrize("span", ["5-K", "K-13", "middle", ""])
def test_a_bad_grade_span_is_explained_and_nothing_is_saved(client, auth, world, span):
    auth.sign_in(world.leader)
    url = f"/districts/homeville/schools/{world.home_school.id}/edit"
    response = client.post(url, data={"name": "Changed", "code": "C1", "grade_span": span,
                                      "accountability_category": "meeting_targets"})
    assert response.status_code == 422
    assert "Check what you entered" in response.text and 'aria-invalid="true"' in response.text
    db.session.expire_all()
    assert world.home_school.name == "Homeville Elementary"


def test_a_school_code_is_unique_in_its_district(client, auth, world):
    auth.sign_in(world.leader)
    taken = db.session.scalars(select(School).where(School.name == "Homeville High")).one().code
    response = client.post("/districts/homeville/schools/new",
                           data={"name": "Copycat", "code": taken, "grade_span": "K-5",
                                 "accountability_category": "meeting_targets"})
    assert response.status_code == 422
    assert f"{taken} is already the code of another school in Homeville." in response.text
    assert db.session.scalars(select(School).where(School.name == "Copycat")).all() == []


def test_the_same_code_is_fine_in_another_district(client, auth, world):
    auth.sign_in(world.leader)
    response = client.post("/districts/homeville/schools/new",
                           data={"name": "Twin", "code": world.foreign_school.code, "grade_span": "K-5",
                                 "accountability_category": "meeting_targets"})
    assert response.status_code == 302


def test_not_found_page_is_in_the_layout(client, auth, world):
    auth.sign_in(world.leader)
    response = client.get("/districts/faraway")
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in response.text and "Skip to main content" in response.text


def test_json_requests_get_json_errors(client, auth, world):
    auth.sign_in(world.leader)
    response = client.get("/districts/faraway", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json == {"error": {"status": 404, "message": response.json["error"]["message"]}}


def test_forbidden_page_explains_read_only(client, auth, world):
    auth.sign_in(world.viewer)
    response = client.get("/districts/homeville/schools/new")
    assert response.status_code == 403 and "read only" in response.text


def test_static_stylesheet_is_served(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200 and "skip-link" in response.text


def test_every_page_names_the_platform_in_its_footer(app, client):
    app.config["PLATFORM_NAME"] = "Statewide Support Hub"
    page = client.get("/sign-in").text
    assert "Statewide system of support · Statewide Support Hub" in page


def test_links_inside_a_district_page_take_its_slug_and_an_unreachable_one_gives_none(app):
    from types import SimpleNamespace

    from flask import g, url_for
    from werkzeug.routing import BuildError

    with app.test_request_context("/"):
        g.district = SimpleNamespace(slug="homeville")
        assert url_for("plans.dashboard") == "/districts/homeville/dashboard"
        # The blueprint leaves None when the district was out of reach (its 404 page): a link needs its slug given.
        g.district = None
        with pytest.raises(BuildError):
            url_for("plans.dashboard")
        assert url_for("plans.dashboard", slug="faraway") == "/districts/faraway/dashboard"
