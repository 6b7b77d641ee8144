"""The visit, observation and follow-up lists by team and by cluster (pages, exports, the API), walkthrough trends
and the district dashboard by cluster; their statements do not grow with the rows."""
from datetime import date, timedelta

import pytest

from app.clock import state_today
from app.extensions import db
from tenants.roles import Role
from tests.factories import DistrictFactory, SchoolFactory, grant, observation, visit
from tests.factories_school_page import co_observers, district_visit
from tests.factories_school_people import cluster_for
from tests.test_api import bearer, counted_statements
from tests.test_lists import column, exported, table_rows


@pytest.fixture
def teams(world):
    """North (the home school, with the world's support-team visit) and South (Homeville High) clusters; the
    supervisor visits both schools, South's with a follow-up and an observation."""
    high = db.session.scalars(db.select(type(world.home_school)).where(
        type(world.home_school).name == "Homeville High")).one()
    north = cluster_for(world.home, "North", world.supervisor, [world.home_school])
    south = cluster_for(world.home, "South", None, [high])
    today = state_today()
    north_staff = district_visit(world.home, world.supervisor, world.home_school, purpose="North walkthrough",
                                 visited_on=today - timedelta(days=1))
    south_staff = district_visit(world.home, world.supervisor, high, purpose="South walkthrough",
                                 visited_on=today - timedelta(days=2), follow_up_on=today + timedelta(days=3),
                                 next_steps="South step")
    observation(south_staff, ratings=(4, 4), subject="South science")
    world.home_visit.follow_up_on = today + timedelta(days=5)
    world.home_visit.next_steps = "North support step"
    db.session.flush()
    return {"north": north, "south": south, "high": high, "north_staff": north_staff, "south_staff": south_staff}


def purposes(client, url: str) -> list[str]:
    return sorted(column(exported(client, url, "csv"), "Purpose"))


@pytest.mark.parametrize("query, expected", [
    # "Instructional rounds": the world's district visit, at the district office (so in no cluster).
    ("", ["Instructional rounds", "North walkthrough", "Principal coaching", "South walkthrough"]),
    ("?team=district", ["Instructional rounds", "North walkthrough", "South walkthrough"]),
    ("?team=support_team", ["Principal coaching"]),
    ("?cluster={north}", ["North walkthrough", "Principal coaching"]),
    ("?cluster={south}&team=district", ["South walkthrough"]),
    ("?cluster={south}&team=support_team", []),
])
def test_visits_by_team_and_cluster(client, auth, world, teams, query, expected):
    auth.sign_in(world.leader)
    url = "/districts/homeville/visits" + query.format(north=teams["north"].id, south=teams["south"].id)
    assert purposes(client, url) == expected


def test_the_team_column_says_whose_work_a_visit_is(client, auth, world, teams):
    auth.sign_in(world.viewer)
    rows = exported(client, "/districts/homeville/visits", "csv")
    assert dict(zip(column(rows, "Purpose"), column(rows, "Team"))) == {
        "North walkthrough": "District staff", "South walkthrough": "District staff",
        "Principal coaching": "Support team", "Instructional rounds": "District staff"}
    page = client.get("/districts/homeville/visits").text
    assert '<label for="filter-team">Team</label>' in page and '<label for="filter-cluster">Cluster</label>' in page
    assert '<option value="district">District staff</option>' in page
    assert table_rows(page)[0][-1] == "District staff"
    xlsx = exported(client, "/districts/homeville/observations?team=district", "xlsx")
    # "Reading": the observation of the world's district visit.
    assert column(xlsx, "Subject") == ["South science", "Reading"] and set(column(xlsx, "Team")) == {"District staff"}


def test_follow_ups_by_school_cluster_and_team(client, auth, world, teams):
    auth.sign_in(world.supervisor)
    url = "/districts/homeville/follow-ups"
    steps = lambda query: column(exported(client, url + query, "csv"), "Next steps")
    assert steps("") == ["South step", "North support step"]
    assert steps(f"?school={teams['high'].id}") == ["South step"]
    assert steps(f"?cluster={teams['north'].id}") == ["North support step"]
    assert steps("?team=support_team") == ["North support step"]
    # Who conducted them, a supervisor as well as a lead: offered by name, and the column says it.
    assert steps(f"?lead={world.supervisor.id}") == ["South step"]
    page = client.get(url).text
    assert f'<option value="{world.supervisor.id}">Sol Supervisor</option>' in page and "Conducted by" in page
    assert column(exported(client, url, "csv"), "Team") == ["District staff", "Support team"]


def test_a_bad_team_is_explained(client, auth, world):
    auth.sign_in(world.leader)
    response = client.get("/districts/homeville/visits?team=everyone")
    assert response.status_code == 400 and "Choose the support team or the district staff." in response.text


def test_another_district_s_cluster_or_school_is_explained(client, auth, world, teams):
    foreign = cluster_for(world.foreign, "Faraway North", None, [world.foreign_school])
    auth.sign_in(world.admin)
    for query, message in ((f"cluster={foreign.id}", "Choose a cluster of Homeville."),
                           (f"school={world.foreign_school.id}", "Choose a school of Homeville.")):
        response = client.get(f"/districts/homeville/visits?{query}&format=csv")
        assert response.status_code == 400 and message in response.text


def test_walkthrough_trends_by_cluster(client, auth, world, teams):
    auth.sign_in(world.leader)
    page = client.get(f"/districts/homeville/trends?cluster={teams['south'].id}").text
    assert "<h2>South: " in page
    # South's only ratings are two 4s: every look-for rated there shows 4 only.
    north = client.get(f"/districts/homeville/trends?cluster={teams['north'].id}").text
    assert "<h2>North: " in north
    response = client.get("/districts/homeville/trends?cluster=987654321")
    assert response.status_code == 400 and "Choose a cluster of Homeville." in response.text


def test_the_api_lists_by_team_and_cluster(client, world, teams):
    headers = bearer(world.supervisor)
    response = client.get(f"/api/v1/visits?district_id={world.home.id}&team=district&cluster_id={teams['south'].id}",
                          headers=headers)
    assert response.status_code == 200
    assert [v["purpose"] for v in response.json] == ["South walkthrough"]
    response = client.get("/api/v1/observations?team=support_team", headers=headers)
    assert response.status_code == 200 and [o["subject"] for o in response.json] == ["Mathematics"]
    response = client.get("/api/v1/visits?team=nobody", headers=headers)
    assert response.status_code == 422 and "team" in response.text


def test_the_dashboard_by_cluster(client, auth, world, teams):
    auth.sign_in(world.leader)
    page = client.get(f"/districts/homeville/dashboard?cluster={teams['south'].id}").text
    recent = page.split('id="visits-heading"')[1].split("</section>")[0]
    assert "South walkthrough" in recent and "North walkthrough" not in recent
    assert f'href="/districts/homeville/visits?cluster={teams["south"].id}"' in page
    everything = client.get("/districts/homeville/dashboard").text.split('id="visits-heading"')[1]
    assert "North walkthrough" in everything and "South walkthrough" in everything
    response = client.get("/districts/homeville/dashboard?cluster=987654321")
    assert response.status_code == 400 and "Choose a cluster of Homeville." in response.text


def grow(world, teams, times: int) -> None:
    today = state_today()
    for n in range(times):
        school = SchoolFactory(district=world.home, name=f"Grown {n}")
        school.cluster_id = teams["north" if n % 2 else "south"].id
        staff = district_visit(world.home, world.supervisor, school, visited_on=today - timedelta(days=n),
                               follow_up_on=today + timedelta(days=n))
        co_observers(staff, world.lead)
        observation(staff)
        support = visit(world.home, world.lead, school, visited_on=today - timedelta(days=n),
                        follow_up_on=date(2026, 10, 1))
        observation(support)
    db.session.flush()


def test_lists_with_the_new_filters_send_as_many_statements_for_ten_times_the_data(client, auth, world, teams):
    grant(world.lead, Role.ASSISTANCE_LEAD, district=DistrictFactory(region=world.home_region))
    north, south = teams["north"].id, teams["south"].id
    paths = [f"/districts/homeville/visits?team=district&cluster={north}",
             f"/districts/homeville/observations?team=support_team&cluster={south}",
             f"/districts/homeville/follow-ups?cluster={north}",
             "/districts/homeville/follow-ups?team=district&format=csv",
             f"/districts/homeville/trends?cluster={south}",
             f"/districts/homeville/dashboard?cluster={north}"]
    grow(world, teams, 2)
    auth.sign_in(world.lead)

    def statements(path: str) -> int:
        db.session.expire_all()
        with counted_statements() as sent:
            assert client.get(path).status_code == 200, path
        return len(sent)

    before = {path: statements(path) for path in paths}
    grow(world, teams, 20)
    after = {path: statements(path) for path in paths}
    assert {path: count for path, count in after.items() if count > before[path]} == {}, before
    print("list statements:", after)
