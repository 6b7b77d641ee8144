"""The school page: the school at a glance, for everyone who reads the district; internal notes per the book."""
from datetime import date, timedelta

import pytest

from app.accounts.models import User
from app.clock import state_today
from app.districts.models import Position
from app.extensions import db
from app.fieldwork.models import AssignmentStatus
from app.plans.models import Action, ImprovementPlan
from tenants.roles import Role
from tests import factories
from tests.factories import SchoolFactory, assignment, grant, observation, person, visit
from tests.factories_plans import action_for
from tests.factories_school_page import co_observers, district_visit, names_schools
from tests.factories_school_people import leader_for
from tests.test_api import counted_statements

DISTRICT_INTERNAL = "Internal: staffing worry at the district office"


def section(page: str, heading_id: str) -> str:
    """The HTML of the page's section labelled by `heading_id`."""
    return page.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


def school_url(world, school=None) -> str:
    return f"/districts/homeville/schools/{(school or world.home_school).id}"


@pytest.fixture
def glance(world):
    """The home school with a principal, an assistant principal, a cluster, visits by both teams, a joint visit,
    follow-ups, a support and an action naming it."""
    school = world.home_school
    # The world's school has its principal (Pat Principal) and its cluster (North Quadrant, Sol Supervisor).
    principal = db.session.get(User, world.feature_ids["own"]["principal"])
    leader_for(school, person(Role.DISTRICT_VIEWER, district=world.home, name="Ash Assistant"),
                 Position.ASSISTANT_PRINCIPAL)
    today = state_today()
    staff_visit = district_visit(world.home, world.supervisor, school, visited_on=today - timedelta(days=3),
                                 purpose="Walkthrough with the principal", internal_notes=DISTRICT_INTERNAL,
                                 next_steps="Plan the grade 4 math PLC", follow_up_on=today + timedelta(days=4))
    co_observers(staff_visit, world.lead, principal)
    world.home_visit.follow_up_on = today - timedelta(days=2)
    world.home_visit.next_steps = "Send the coaching calendar"
    plan_action = db.session.get(Action, (world.home.id, world.feature_ids["own"]["action"]))
    names_schools(plan_action, school)
    db.session.flush()
    return {"principal": principal, "staff_visit": staff_visit, "action": plan_action}


def test_the_school_page_shows_the_school_at_a_glance(client, auth, world, glance):
    auth.sign_in(world.leader)
    page = client.get(school_url(world)).text
    today = state_today()
    assert "Pat Principal" in page and "Ash Assistant" in page
    assert "North Quadrant" in page and "Sol Supervisor" in page
    days = (today - date(2026, 10, 5)).days
    assert f"Last visit by the support team</dt><dd>5 Oct 2026 ({days} days ago)" in page
    assert "Last visit by the district staff</dt><dd>" in page and "(3 days ago)" in page
    assert "Walkthrough with the principal" in page and "Principal coaching" in page
    # The joint visit names its co-observers.
    assert "with Lou Lead, Pat Principal" in page
    assert "Open follow-ups (2)" in page and "Send the coaching calendar" in page and "(overdue)" in page
    assert "Direct coaching" in page  # the support in progress
    assert glance["action"].title in page
    for name in ("visits", "observations", "follow-ups", "assignments", "trends"):
        assert f'href="/districts/homeville/{name}?school={world.home_school.id}"' in page
    assert "Classroom walkthrough" in page  # trends on the default rubric, from the world's observation


def test_a_school_never_visited_says_so(client, auth, world):
    school = SchoolFactory(district=world.home, name="Quiet School")
    auth.sign_in(world.viewer)
    page = client.get(school_url(world, school)).text
    assert page.count("<dd>Never</dd>") == 2
    assert "Not named yet" in page and "No visits yet." in page and "No open follow-ups." in page
    assert "No supports in progress." in page and "No action of the plan names this school." in page
    assert "No classroom ratings at this school yet." in page


@pytest.mark.parametrize("who, support_notes, district_notes", [
    ("lead", True, False), ("director", True, False), ("admin", True, False),
    ("leader", False, True), ("supervisor", False, True), ("viewer", False, False),
])
def test_internal_notes_on_the_school_page_follow_the_book(client, auth, world, glance, who, support_notes,
                                                           district_notes):
    auth.sign_in(getattr(world, who))
    page = client.get(school_url(world)).text
    assert (world.HOME_INTERNAL in page) is support_notes
    assert (DISTRICT_INTERNAL in page) is district_notes
    assert world.FOREIGN_INTERNAL not in page


def test_another_district_s_school_is_not_found(client, auth, world):
    auth.sign_in(world.leader)
    assert client.get(school_url(world, world.foreign_school)).status_code == 404


def test_inactive_supports_and_done_follow_ups_are_not_in_progress(client, auth, world):
    assignment(world.home, world.lead, world.home_school, status=AssignmentStatus.COMPLETED,
               support_type_id=factories.support_type("Data inquiry").id)
    visit(world.home, world.lead, world.home_school, follow_up_on=state_today(), follow_up_done=True,
          next_steps="Already done")
    auth.sign_in(world.leader)
    page = client.get(school_url(world)).text
    assert "Data inquiry" not in section(page, "supports-heading")
    assert "Already done" not in section(page, "follow-ups-heading") and "Already done" in page


def grow(world, times: int) -> None:
    """`times` more of everything the school page lists, at the home school."""
    school, today = world.home_school, state_today()
    plan_action = db.session.get(Action, (world.home.id, world.feature_ids["own"]["action"]))
    plan = db.session.get(ImprovementPlan, (world.home.id, world.feature_ids["own"]["plan"]))
    for n in range(times):
        row = visit(world.home, world.lead, school, visited_on=today - timedelta(days=n + 1),
                    follow_up_on=today + timedelta(days=n), next_steps=f"Step {n}")
        observation(row, ratings=(n % 4 + 1, 2))
        staff = district_visit(world.home, world.supervisor, school, visited_on=today - timedelta(days=n + 2),
                               follow_up_on=today - timedelta(days=n))
        co_observers(staff, person(Role.ASSISTANCE_LEAD, district=world.home))
        observation(staff)
        assignment(world.home, world.lead, school)
        action = action_for(plan_action.strategy, plan, world.leader, title=f"Act {n}")
        names_schools(action, school)
        leader_for(school, person(Role.DISTRICT_VIEWER, district=world.home), Position.ASSISTANT_PRINCIPAL)


@pytest.mark.parametrize("who", ["lead", "supervisor"])
def test_the_school_page_sends_as_many_statements_for_ten_times_the_data(client, auth, world, glance, who):
    grant(world.lead, Role.ASSISTANCE_LEAD, district=factories.DistrictFactory(region=world.home_region))
    grow(world, 2)
    auth.sign_in(getattr(world, who))

    def statements() -> list[str]:
        db.session.expire_all()
        with counted_statements() as sent:
            assert client.get(school_url(world)).status_code == 200
        return list(sent)

    before = statements()
    grow(world, 20)
    after = statements()
    assert len(after) <= len(before), "\n".join(after)
    print(f"school page statements: {len(before)} -> {len(after)}")
