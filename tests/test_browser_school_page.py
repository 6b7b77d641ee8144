"""In Chromium with axe: the school page at 390 px and 1280 px, and on paper (print: no navigation, no buttons)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.clock import state_today
from app.districts.models import School
from app.extensions import db
from app.plans.models import Action
from tenants.models import District
from tenants.scope import entered, system_scope
from tests.factories_school_page import co_observers, district_visit, names_schools

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def school_page(app, live):
    """The live world's home school with a principal, a cluster, a joint visit by its supervisor and a plan action
    naming it; its path."""
    with app.app_context(), entered(system_scope("browser test data")):
        home = db.session.scalars(select(District).where(District.slug == "homeville")).one()
        school = db.session.get(School, (home.id, live["ids"]["home_school"]))
        supervisor = db.session.scalars(select(User).where(User.email == live["people"]["school_supervisor"])).one()
        # The test world's school has its principal (Pat Principal) and cluster (North Quadrant, its supervisor).
        principal = school.principal
        joint = district_visit(home, supervisor, school, visited_on=state_today() - timedelta(days=2),
                               purpose="Walkthrough with the principal", next_steps="Plan the math PLC",
                               follow_up_on=state_today() + timedelta(days=5))
        co_observers(joint, principal)
        action = db.session.scalars(select(Action).where(Action.district_id == home.id).limit(1)).first()
        if action is not None:
            names_schools(action, school)
        db.session.commit()
        return f"/districts/homeville/schools/{school.id}"


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_the_school_page_reads_at_a_glance_on_a_phone_a_desktop_and_paper(open_page, school_page, viewport):
    tab = open_page(viewport=viewport)
    tab.sign_in("school_supervisor")
    tab.goto(school_page)  # axe, CSP and (on the phone) no sideways scrolling
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text() == "Homeville Elementary"
    facts = page.locator("dl.facts").inner_text()
    assert "Pat Principal" in facts and "North Quadrant" in facts and "Never" not in facts
    for heading in ("Recent visits", "Open follow-ups (1)", "Supports in progress", "Plan actions naming this school",
                    "Everything about this school"):
        assert page.get_by_role("heading", name=heading).is_visible(), heading
    assert "with Pat Principal" in page.get_by_role("region", name="Recent visits").inner_text()
    page.get_by_role("link", name="Follow-ups", exact=True).click()
    tab.check()
    assert "Plan the math PLC" in page.content()
    assert page.get_by_label("School").input_value() != ""
    tab.goto(school_page)
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").first.is_visible()
    assert not page.get_by_role("heading", name="Everything about this school").is_visible()
    assert page.get_by_role("heading", name="Recent visits").is_visible()
