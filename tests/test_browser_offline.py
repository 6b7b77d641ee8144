"""In Chromium on a 390 px phone: field capture with no connection, an outbox that lands each visit once.

The live server runs with CSRF on, as in production: the outbox must send the session's token.
"""
import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.extensions import db
from app.fieldwork.models import Observation, SupportAssignment, Visit
from tenants.models import District
from tenants.roles import Role
from tenants.scope import entered, system_scope
from tests import factories
from tests.factories import PASSWORD

# The field form posts with its CSRF token, as on a phone: the check is on for these tests.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("csrf_on")]

PAGE_WEIGHT_BUDGET = 100_000  # bytes transferred by the first load of the field form


@pytest.fixture(scope="module")
def second_lead(app, live):
    """Another lead of Homeville, who may pick up the same phone."""
    with app.app_context(), entered(system_scope("browser test data")):
        home = db.session.scalars(select(District).where(District.slug == "homeville")).one()
        person = factories.person(Role.ASSISTANCE_LEAD, district=home, name="Sam Second")
        email = person.email
        db.session.commit()
    return {"email": email, "name": "Sam Second"}


def in_system_scope(app, work):
    with app.app_context(), entered(system_scope("browser test check")):
        result = work()
        db.session.commit()
        return result


def visits_with_purpose(app, prefix: str) -> list[tuple[str, int]]:
    """(purpose, number of observations) of every stored visit whose purpose starts with `prefix`."""
    def read():
        visits = db.session.scalars(select(Visit).where(Visit.purpose.startswith(prefix)).order_by(Visit.purpose))
        return [(v.purpose, len(db.session.scalars(select(Observation).where(
            Observation.district_id == v.district_id, Observation.visit_id == v.id)).all())) for v in visits]
    return in_system_scope(app, read)


def open_field_form(tab):
    """Open /field and wait until the service worker controls it (and so has cached it)."""
    tab.goto("/field")
    # Polled from the test: wait_for_function evaluates a string in the page, which the CSP refuses.
    for _ in range(100):
        if tab.page.evaluate("() => navigator.serviceWorker.controller !== null"):
            return
        tab.page.wait_for_timeout(100)
    raise AssertionError("the service worker never took control of /field")


def capture(tab, purpose: str, observations=(), school="Homeville High", support=None):
    page = tab.page
    form = page.locator("#visit-form")
    form.get_by_label("Where").select_option(label=school)
    form.locator("#minutes").fill("60")
    form.get_by_label("Formal", exact=True).check()
    form.get_by_label("Purpose").fill(purpose)
    if support:
        form.get_by_label(support).check()
    for number, (grade, subject, ratings) in enumerate(observations, start=1):
        page.get_by_role("button", name="Add a classroom observation").click()
        block = page.locator("fieldset.observation").nth(number - 1)
        block.get_by_label("Grade", exact=True).select_option(grade)
        block.get_by_label("Minutes", exact=True).fill("20")
        block.get_by_label("Subject", exact=True).fill(subject)
        for group, value in zip(block.locator("fieldset.look-for").all(), ratings):
            group.locator(f"label.point:has(input[value='{value}'])").click()
    tab.check()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#field-message")).to_contain_text(f"Saved on this phone: {school}, Homeville")


def test_visits_captured_offline_are_kept_and_land_exactly_once(open_page, app):
    tab = open_page()
    tab.sign_in("assistance_lead")
    page, context = tab.page, tab.context
    connection = page.locator("#connection")

    # Everything the phone downloads for the first load, the service worker's own fetches included.
    sizes = []
    context.on("requestfinished", lambda request: sizes.append(
        (request.url, request.sizes()["responseHeadersSize"] + request.sizes()["responseBodySize"])))
    open_field_form(tab)
    page.wait_for_load_state("networkidle")
    first_load = sum(size for _, size in sizes)
    print(f"first load of /field: {first_load} bytes in {len(sizes)} responses")
    assert 0 < first_load <= PAGE_WEIGHT_BUDGET, sizes

    context.set_offline(True)
    repeat_load = []
    page.on("response", lambda response: repeat_load.append((response.url, response.from_service_worker)))
    tab.goto("/field")
    assert repeat_load and all(from_cache for _, from_cache in repeat_load), repeat_load
    expect(connection).to_have_text("Offline · nothing waiting")
    capture(tab, "Offline walkthrough 1", [("3", "Reading", ["3", "2"])])
    capture(tab, "Offline walkthrough 2", [("4", "Mathematics", ["4"]), ("5", "Science", ["2", "3", "3"])])
    capture(tab, "Offline walkthrough 3", [("K", "Phonics", ["1"])])
    expect(connection).to_have_text("Offline · 3 waiting to send")

    page.reload()  # a closed tab or a restarted phone: the outbox is in IndexedDB
    tab.check()
    expect(connection).to_have_text("Offline · 3 waiting to send")
    expect(page.locator(".outbox-item")).to_have_count(3)
    assert "Offline walkthrough 2, Homeville" not in page.content()
    expect(page.locator("#outbox-list")).to_contain_text("Homeville High, Homeville · ")
    expect(page.locator("#outbox-list")).to_contain_text("Offline walkthrough 2 · 2 observations")
    assert visits_with_purpose(app, "Offline walkthrough") == []

    # The first answer for each visit is lost on the way back: stored on the server, unknown to the phone.
    answered_once = set()

    def lose_the_first_answer(route):
        client_uuid = route.request.post_data_json["client_uuid"]
        if client_uuid in answered_once:
            route.continue_()
            return
        answered_once.add(client_uuid)
        route.fetch()
        route.abort("connectionreset")

    context.route("**/api/v1/visits", lose_the_first_answer)
    context.set_offline(False)  # the outbox sends itself when the connection returns
    expect(page.locator("#field-message")).to_contain_text("No answer from the server")
    for left in ("2 waiting to send", "1 waiting to send", "nothing waiting"):
        page.get_by_role("button", name="Send now").click()
        expect(connection).to_have_text(f"Online · {left}")
    assert len(answered_once) == 3
    assert visits_with_purpose(app, "Offline walkthrough") == [
        ("Offline walkthrough 1", 1), ("Offline walkthrough 2", 2), ("Offline walkthrough 3", 1)]
    expect(page.locator("#outbox-empty")).to_be_visible()


def add_district_support(app, support_type: str) -> int:
    """A district-wide support of Homeville's lead, committed; its id."""
    def add():
        home = db.session.scalars(select(District).where(District.slug == "homeville")).one()
        lead = db.session.scalars(select(SupportAssignment).where(SupportAssignment.district_id == home.id)).first().lead
        return factories.assignment(home, lead, support_type_id=factories.support_type(support_type).id).id
    return in_system_scope(app, add)


def test_a_refused_visit_stays_with_the_server_s_message_until_fixed(open_page, app):
    support_id = add_district_support(app, "Data inquiry")

    tab = open_page()
    tab.sign_in("assistance_lead")
    page, context = tab.page, tab.context
    open_field_form(tab)
    context.set_offline(True)
    capture(tab, "Refused data meeting", support="Data inquiry · district-wide")
    # While the phone was offline, the support was withdrawn.
    in_system_scope(app, lambda: db.session.execute(
        delete(SupportAssignment).where(SupportAssignment.id == support_id)))
    context.set_offline(False)

    refused = page.locator(".outbox-item")
    expect(refused).to_contain_text("Refused: Check what you entered")
    expect(refused).to_contain_text("Supports served: Choose supports assigned in Homeville.")
    expect(page.locator("#connection")).to_have_text("Online · 1 refused: fix or discard it below")
    tab.goto("/field")
    expect(refused).to_contain_text("Supports served: Choose supports assigned in Homeville.")
    assert visits_with_purpose(app, "Refused data meeting") == []

    page.get_by_role("button", name="Fix and save again").click()
    expect(page.get_by_label("Purpose")).to_have_value("Refused data meeting")
    # The withdrawn support comes back as captured, never dropped without a word: the lead unticks it.
    withdrawn = page.get_by_label("Data inquiry · district-wide (as captured, no longer offered)")
    expect(withdrawn).to_be_checked()
    withdrawn.uncheck()
    page.get_by_role("button", name="Save visit").click()
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    assert visits_with_purpose(app, "Refused data meeting") == [("Refused data meeting", 0)]


def sign_in_as(tab, email):
    page = tab.page
    tab.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    tab.check()


def traces_of(page, texts) -> list[str]:
    """Which of `texts` this phone still holds: in the outbox or in any cached response."""
    return page.evaluate("""async (texts) => {
        const held = [];
        const { outboxItems } = await import("/static/offline/outbox.js");
        held.push(JSON.stringify(await outboxItems()));
        for (const name of await caches.keys()) {
            const cache = await caches.open(name);
            for (const request of await cache.keys()) held.push(await (await cache.match(request)).text());
        }
        return texts.filter((text) => held.some((h) => h.includes(text)));
    }""", texts)


def test_another_person_on_the_same_phone_finds_no_trace_of_the_first(open_page, second_lead):
    tab = open_page()
    tab.sign_in("assistance_lead")
    page, context = tab.page, tab.context
    open_field_form(tab)
    context.set_offline(True)
    capture(tab, "Private coaching notes")
    context.route("**/api/v1/visits", lambda route: route.abort())  # the server stays out of reach
    context.set_offline(False)
    expect(page.locator("#field-message")).to_contain_text("No answer from the server")
    assert traces_of(page, ["Private coaching notes", "Lou Lead"]) == ["Private coaching notes", "Lou Lead"]

    # The warning is answered the moment it shows: a page under a dialog answers nothing, not even the click.
    warnings = []
    answer = {"sign out": False}

    def answer_the_warning(dialog):
        warnings.append(dialog.message)
        if answer["sign out"]:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer_the_warning)
    page.locator(".account-menu summary").click()  # sign-out is in the account menu
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Sign out").click()
    assert warnings == [("1 visit has not reached the server yet. Signing out deletes them from this phone. "
                         "Sign out anyway?")]
    expect(page.locator("#connection")).to_contain_text("1 waiting to send")  # dismissed: still signed in
    answer["sign out"] = True
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    sign_in_as(tab, second_lead["email"])
    open_field_form(tab)
    expect(page.locator("#connection")).to_have_text("Online · nothing waiting")
    # The first person's name is still on the page, as one of the district's people a visit may name as
    # co-observer; nothing of what they captured, and not as the one signed in.
    assert traces_of(page, ["Private coaching notes", second_lead["name"]]) == [second_lead["name"]]
    expect(page.locator(".account-menu summary")).not_to_contain_text("Lou Lead")


def test_a_session_that_ran_out_still_hands_nothing_to_the_next_person(open_page, second_lead):
    tab = open_page()
    tab.sign_in("assistance_lead")
    page, context = tab.page, tab.context
    open_field_form(tab)
    context.set_offline(True)
    capture(tab, "Notes left behind")
    context.clear_cookies()  # the session ends without a sign-out
    context.set_offline(False)
    expect(page.locator("#field-message")).to_contain_text("Sign in again to send what is waiting.")
    sign_in_as(tab, second_lead["email"])
    assert traces_of(page, ["Notes left behind", "Lou Lead"]) == []
