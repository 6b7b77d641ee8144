"""Pages send as many statements for a district with ten times the data: no statement per row.

Each page is asked as a lead with two districts (the tenant filter for several districts) and as the
district's leader; the statements are counted with a `before_cursor_execute` listener, then the home district
grows tenfold (visits with observations, actions with milestones, updates and risks, goals with measurements,
schools, strategies) and the same page must send no more. Counts, never seconds.
"""
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.plans.models import ImprovementPlan, Milestone, ProgressUpdate, Risk
from tenants.roles import Role
from tests.factories import DistrictFactory, SchoolFactory, grant, observation, visit
from tests.factories_plans import action_for, added, goal_for, measurement_for, priority_for, strategy_for
from tests.test_api import bearer, counted_statements, new_observation, new_visit, on_its_own

# A POST of a visit without observations, as these tests see it (their savepoints stand for BEGIN and COMMIT): the
# token with its person and their grants (one statement), the note of its use (new token) and its commit, the scope,
# the district, the client UUID, the school, the supports, the INSERTs of the visit and its supports with their audit
# events. The answer is made from the rows written, nothing read after the commit. It was 26 with the token read
# again, then its person and grants, after the commit of its use, and the visit, supports and observations read back.
WRITE_STATEMENTS = 17

PAGES = (
    "/",
    "/districts/homeville",
    "/districts/homeville/dashboard",
    "/districts/homeville/plan",
    "/districts/homeville/goals",
    "/districts/homeville/actions/{action}",
    "/districts/homeville/visits",
    "/districts/homeville/visits/{visit}",
    "/districts/homeville/schools/{school}",
)


def grow(world, times: int) -> None:
    """`times` more of every row a plan page or a field-work page lists, in the home district."""
    district = world.home
    plan = db.session.get(ImprovementPlan, (district.id, world.feature_ids["own"]["plan"]))
    for n in range(times):
        school = SchoolFactory(district=district, name=f"Grown School {n}")
        row = visit(district, world.lead, school, visited_on=date(2026, 10, 5) - timedelta(days=n))
        observation(row)
        strategy = strategy_for(priority_for(plan, f"Priority {n}", 10 + n), f"Strategy {n}")
        action = action_for(strategy, plan, world.leader, title=f"Action {n}", due_on=date(2026, 10, 20))
        milestone = added(Milestone(district_id=district.id, action_id=action.id, title=f"Milestone {n}",
                                    target_on=date(2026, 10, 25)))
        added(ProgressUpdate(district_id=district.id, action_id=action.id, milestone_id=milestone.id,
                             reported_on=date(2026, 10, 1), status="on_track", narrative=f"Update {n}",
                             author_id=world.leader.id))
        added(Risk(district_id=district.id, plan_id=plan.id, action_id=action.id, title=f"Risk {n}", severity="high"))
        measurement_for(goal_for(district, student_group=f"Group {n}"), 2026, "25.00", "40.00")


def statements(client, path: str) -> int:
    db.session.expire_all()  # as a new request would find it
    with counted_statements() as sent:
        assert client.get(path).status_code == 200, path
    return len(sent)


@pytest.mark.parametrize("who", ["lead", "leader"])
def test_pages_send_as_many_statements_for_ten_times_the_data(client, auth, world, who):
    # A lead of two districts: the tenant filter is then for several districts, as for most leads.
    grant(world.lead, Role.ASSISTANCE_LEAD, district=DistrictFactory(region=world.home_region))
    grow(world, 2)
    ids = {"action": world.feature_ids["own"]["action"], "visit": world.home_visit.id,
           "school": world.home_school.id}
    paths = [page.format(**ids) for page in PAGES]
    auth.sign_in(getattr(world, who))
    before = {path: statements(client, path) for path in paths}
    grow(world, 20)
    after = {path: statements(client, path) for path in paths}
    assert {path: count for path, count in after.items() if count > before[path]} == {}, before


def post_statements(app, client, world, observations: int) -> list[str]:
    """The statements of one POST /api/v1/visits with `observations` observations of two ratings each."""
    body = new_visit(world, observations=[new_observation() for _ in range(observations)])
    headers = bearer(world.lead)
    db.session.commit()  # the request runs in an app context of its own
    with counted_statements() as sent:
        response = on_its_own(app, client, "POST", "/api/v1/visits", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert len(response.json["observations"]) == observations
    return list(sent)


def test_a_visit_post_sends_as_many_statements_for_any_number_of_observations(app, client, world):
    without = post_statements(app, client, world, 0)
    with_three = post_statements(app, client, world, 3)
    with_thirty = post_statements(app, client, world, 30)
    # Observations: their rubrics with look-fors (2), one INSERT of them and one of their ratings, each with one
    # INSERT of its audit events (4); their ratings are not read back for the answer.
    assert len(with_three) == len(without) + 6, "\n".join(with_three)
    assert len(with_thirty) == len(with_three)
    # The answer is made from the rows written: nothing is read back after the INSERTs.
    assert len(without) <= WRITE_STATEMENTS, "\n".join(without)
