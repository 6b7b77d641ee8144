"""In Chromium on a 390 px phone: nothing typed is lost when a catalog changes or the session ends.

The live server runs with CSRF on, as in production.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.extensions import db
from app.fieldwork.models import LookFor, Observation, Rubric, SupportAssignment, Visit
from app.fieldwork.services import new_rubric_version
from tests import factories
from tests.factories import PASSWORD
from tests.test_browser_offline import add_district_support, in_system_scope, open_field_form

# The field form posts with its CSRF token, as on a phone: the check is on for these tests.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("csrf_on")]

NOTE = ("Met the superintendent at the district office about the walkthrough calendar and the ILT agenda. " * 25)[:2000]


@pytest.fixture
def new_version_later(app):
    """Makes "New version" of the walkthrough rubric when called; puts version 1 back in use afterwards."""
    made = []

    def make():
        made.append(in_system_scope(app, lambda: new_rubric_version(factories.default_rubric()).id))
    yield make

    def undo():
        for rubric_id in made:
            # Ratings go with their observations (ON DELETE CASCADE).
            db.session.execute(delete(Observation).where(Observation.rubric_id == rubric_id))
            db.session.execute(delete(LookFor).where(LookFor.rubric_id == rubric_id))
            db.session.execute(delete(Rubric).where(Rubric.id == rubric_id))
        first = factories.default_rubric()
        first.active, first.retired_at = True, None
    in_system_scope(app, undo)


def stored_visit(app, purpose: str):
    """(place, [(rubric version, [(rating, evidence)...], feedback)]) of the visit stored with this purpose."""
    def read():
        visit = db.session.scalars(select(Visit).where(Visit.purpose == purpose)).one_or_none()
        if visit is None:
            return None
        observations = db.session.scalars(select(Observation).where(
            Observation.district_id == visit.district_id, Observation.visit_id == visit.id)).all()
        return visit.place, [(o.rubric.version, [(r.rating, r.evidence) for r in o.ratings], o.feedback)
                             for o in observations]
    return in_system_scope(app, read)


def rate_every_look_for(block):
    for index, group in enumerate(block.locator("fieldset.look-for").all()):
        group.locator(f"label.point:has(input[value='{1 + index % 4}'])").click()
        group.locator("textarea").fill(f"Evidence {index + 1}")


EXPECTED_RATINGS = [(1 + index % 4, f"Evidence {index + 1}") for index in range(10)]


def capture_observed_visit(tab, purpose: str, support: str | None = None):
    """A visit with one observation rating all ten look-fors with evidence; "Where" is left as it is."""
    page = tab.page
    form = page.locator("#visit-form")
    form.locator("#minutes").fill("90")
    form.get_by_label("Purpose", exact=True).fill(purpose)
    if support:
        form.get_by_label(support).check()
    page.get_by_role("button", name="Add a classroom observation").click()
    block = page.locator("fieldset.observation").first
    block.get_by_label("Grade", exact=True).select_option("3")
    block.get_by_label("Minutes", exact=True).fill("20")
    block.get_by_label("Subject", exact=True).fill("ELA")
    rate_every_look_for(block)
    block.get_by_label("Feedback given").fill("Strong launch.")
    tab.check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#field-message")).to_contain_text("Saved on this phone")


def lead_on_field_form(open_page):
    """A lead's phone on /field, its service worker in control: (tab, page, browser context)."""
    tab = open_page()
    tab.sign_in("assistance_lead")
    open_field_form(tab)
    return tab, tab.page, tab.context


def test_an_offline_visit_keeps_its_ratings_when_the_rubric_gets_a_new_version(open_page, app, new_version_later):
    tab, page, context = lead_on_field_form(open_page)
    # "Where" starts at the district office, as online: no school is chosen for the lead.
    expect(page.get_by_label("Where")).to_have_value("")
    assert page.get_by_label("Where").locator("option:checked").inner_text() == "District office"
    context.set_offline(True)
    capture_observed_visit(tab, "Superintendent meeting, then a walkthrough")
    new_version_later()
    context.set_offline(False)
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    assert stored_visit(app, "Superintendent meeting, then a walkthrough") == (
        "District office", [(1, EXPECTED_RATINGS, "Strong launch.")])


def test_fix_and_save_again_keeps_every_value_typed(open_page, app, new_version_later):
    support_id = add_district_support(app, "Networking")
    tab, page, context = lead_on_field_form(open_page)
    page.get_by_label("Where").select_option(label="Homeville High")
    context.set_offline(True)
    capture_observed_visit(tab, "Network walkthrough", support="Networking · district-wide")
    # While the phone was offline: a new version of the rubric, and the support withdrawn.
    new_version_later()
    in_system_scope(app, lambda: db.session.execute(delete(SupportAssignment).where(SupportAssignment.id == support_id)))
    context.set_offline(False)
    expect(page.locator(".outbox-item")).to_contain_text("Supports served: Choose supports assigned in Homeville.")

    tab.goto("/field")  # the page now comes with the new version of the rubric
    page.get_by_role("button", name="Fix and save again").click()
    expect(page.get_by_label("Purpose", exact=True)).to_have_value("Network walkthrough")
    expect(page.get_by_label("Where").locator("option:checked")).to_have_text("Homeville High")
    withdrawn = page.get_by_label("Networking · district-wide (as captured, no longer offered)")
    expect(withdrawn).to_be_checked()
    block = page.locator("fieldset.observation").first
    expect(block.locator("legend").first).to_contain_text("(version 1)")
    expect(block.locator("input[type=radio]:checked")).to_have_count(10)
    for index in range(10):
        expect(block.locator("fieldset.look-for textarea").nth(index)).to_have_value(f"Evidence {index + 1}")
    expect(block.get_by_label("Feedback given")).to_have_value("Strong launch.")
    expect(block.get_by_label("Subject", exact=True)).to_have_value("ELA")
    tab.check()
    withdrawn.uncheck()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    assert stored_visit(app, "Network walkthrough") == ("Homeville High", [(1, EXPECTED_RATINGS, "Strong launch.")])


def test_a_long_note_comes_back_after_the_session_ended_and_a_sign_in(open_page, app):
    tab = open_page()
    tab.sign_in("assistance_lead")
    page, context = tab.page, tab.context
    tab.goto("/districts/homeville/visits/new")
    expect(page.get_by_label("Where")).to_have_value("")
    page.get_by_label("Minutes").fill("45")
    page.get_by_label("Purpose", exact=True).fill("Superintendent check-in")
    page.get_by_label("Notes shared with the district").fill(NOTE)
    context.clear_cookies()  # the phone's browser restarted, or the secret changed at a deploy
    page.get_by_role("button", name="Save visit").click()
    tab.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not saved yet")
    expect(page.locator("main")).to_contain_text("sign in again and the form comes back filled in")
    assert "CSRF" not in page.content()

    page.get_by_role("link", name="Sign in again").click()
    tab.check()
    page.get_by_label("Email").fill(tab.live["people"]["assistance_lead"])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    tab.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a visit")
    expect(page.get_by_role("status").filter(has_text="was not saved then")).to_be_visible()
    expect(page.get_by_label("Notes shared with the district")).to_have_value(NOTE)
    expect(page.get_by_label("Purpose", exact=True)).to_have_value("Superintendent check-in")
    expect(page.get_by_label("Minutes")).to_have_value("45")
    page.get_by_role("button", name="Save visit").click()
    tab.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("District office")

    def stored_note():
        return db.session.scalars(select(Visit.shared_notes).where(Visit.purpose == "Superintendent check-in")).all()
    assert in_system_scope(app, stored_note) == [NOTE]
    # Saved: opening the form again starts empty.
    tab.goto("/districts/homeville/visits/new")
    expect(page.get_by_label("Notes shared with the district")).to_have_value("")


def test_a_capture_made_after_the_new_version_moves_its_ratings_to_it(open_page, app, new_version_later):
    tab, page, context = lead_on_field_form(open_page)
    context.set_offline(True)
    new_version_later()  # the phone's cached page still has version 1
    capture_observed_visit(tab, "Late walkthrough")
    context.set_offline(False)
    expect(page.locator(".outbox-item")).to_contain_text("was replaced by a new version before this was captured")
    tab.goto("/field")  # online again: the page comes with version 2
    page.get_by_role("button", name="Fix and save again").click()
    page.get_by_role("button", name="Rate on Classroom walkthrough (version 2) instead").click()
    block = page.locator("fieldset.observation").first
    expect(block.locator("legend").first).to_contain_text("(version 2)")
    expect(block.locator("input[type=radio]:checked")).to_have_count(10)
    expect(block.get_by_label("Feedback given")).to_have_value("Strong launch.")
    tab.check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    assert stored_visit(app, "Late walkthrough") == ("District office", [(2, EXPECTED_RATINGS, "Strong launch.")])
