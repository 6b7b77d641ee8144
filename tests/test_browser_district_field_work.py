"""In Chromium on a 390 px phone: a school supervisor logs a joint visit at /field while offline; back online it lands
once; the principal it coached opens it and reads it without the district's internal notes.

The live server runs with CSRF on, as in production.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import User
from app.clock import state_today
from app.districts.models import Position, School, SchoolLeader
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from tenants.roles import Team
from tests.test_browser_offline import in_system_scope, open_field_form

# The field form posts with its CSRF token, as on a phone: the check is on for these tests.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("csrf_on")]

INTERNAL = "Internal: the principal needs support with the master schedule"
PURPOSE = "Joint walkthrough with the lead"


@pytest.fixture(scope="module")
def principal(app, live):
    """The world's district viewer (Val Viewer) is Homeville Elementary's principal."""
    def add():
        school = db.session.scalars(select(School).where(School.id == live["ids"]["home_school"])).one()
        person = db.session.scalars(select(User).where(User.email == live["people"]["district_viewer"])).one()
        # In place of the principal the test world names.
        leader = db.session.scalars(select(SchoolLeader).where(
            SchoolLeader.district_id == school.district_id, SchoolLeader.school_id == school.id,
            SchoolLeader.position == Position.PRINCIPAL)).one()
        leader.user_id = person.id
    in_system_scope(app, add)


def stored(app):
    """(team, author, co-observers, principal coached, observations) of each visit stored with the purpose."""
    def read():
        visits = db.session.scalars(select(Visit).where(Visit.purpose == PURPOSE)).all()
        return [(visit.id, visit.team, visit.lead.name, [p.name for p in visit.co_observers],
                 visit.principal.name if visit.principal else None, visit.internal_notes,
                 len(db.session.scalars(select(Observation).where(
                     Observation.district_id == visit.district_id, Observation.visit_id == visit.id)).all()))
                for visit in visits]
    return in_system_scope(app, read)


def test_a_supervisor_logs_a_joint_visit_offline_and_the_principal_reads_it_without_internal_notes(
        open_page, app, principal):
    tab = open_page()
    tab.sign_in("school_supervisor")
    page, context = tab.page, tab.context
    open_field_form(tab)
    form = page.locator("#visit-form")
    # The internal notes' hint says who will read them: the district's own staff, not the support team.
    expect(page.locator("#internal_notes-hint")).to_contain_text("the district's own staff")

    context.set_offline(True)
    form.get_by_label("Where").select_option(label="Homeville Elementary")
    # The day in Massachusetts, as a phone there has it (this browser's clock is the server's, in UTC).
    form.locator("#visited_on").fill(state_today().isoformat())
    form.locator("#minutes").fill("75")
    form.get_by_label("Purpose").fill(PURPOSE)
    form.get_by_label("Lou Lead (Assistance lead)").check()
    form.get_by_label("Principal coached").select_option(label="Val Viewer (Homeville Elementary)")
    form.get_by_label("Internal notes").fill(INTERNAL)
    page.get_by_role("button", name="Add a classroom observation").click()
    block = page.locator("fieldset.observation").first
    block.get_by_label("Grade", exact=True).select_option("3")
    block.get_by_label("Minutes", exact=True).fill("20")
    block.get_by_label("Subject", exact=True).fill("Reading")
    block.locator("fieldset.look-for").first.locator("label.point:has(input[value='3'])").click()
    tab.check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#connection")).to_have_text("Offline · 1 waiting to send")
    assert stored(app) == []

    context.set_offline(False)  # the outbox sends itself when the connection returns
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    page.get_by_role("button", name="Send now").click()  # a second send has nothing left to land
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    [(visit_id, team, author, co_observers, coached, internal, observations)] = stored(app)
    assert (team, author, co_observers, coached, internal, observations) == (
        Team.DISTRICT, "Sol Supervisor", ["Lou Lead"], "Val Viewer", INTERNAL, 1)
    tab.close()

    reader = open_page()
    reader.sign_in("district_viewer")
    reader.goto(f"/districts/homeville/visits/{visit_id}")
    content = reader.page.locator("main").inner_text()
    assert "Principal coached\nVal Viewer" in content or "Principal coached Val Viewer" in content.replace("\n", " ")
    assert "Lou Lead" in content and "Grade 3 Reading" in content
    assert INTERNAL not in reader.page.content() and "Internal notes" not in content
