"""In a real browser: Playwright driving Debian's Chromium against a live server.

The live server runs on its own connections, so this module commits its data and
truncates every table afterwards. Every page reached is checked with axe-core (no
serious or critical violations) and for Content-Security-Policy refusals.
"""
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app.extensions import db
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import clear_committed_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def live(app):
    """The app served on a free local port, over committed demo-like data."""
    with app.app_context(), entered(system_scope("browser test data")):
        world = factories.make_world()
        ids = {"foreign_school": world.foreign_school.id, "home_school": world.home_school.id}
        people = {k: v.email for k, v in world.people().items()}
        db.session.commit()
    sign_in_limit = app.config["SIGN_IN_RATE_LIMIT"]
    app.config["SIGN_IN_RATE_LIMIT"] = "1000 per minute"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "ids": ids, "people": people}
    server.shutdown()
    app.config["SIGN_IN_RATE_LIMIT"] = sign_in_limit
    with app.app_context():
        clear_committed_data()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser tab that checks every page it reaches."""

    def __init__(self, browser, live, viewport=PHONE):
        self.live = live
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.csp_refusals = []
        self.page.on("console", self._console)
        self.checked = []

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_refusals.append(f"{self.page.url}: {message.text}")

    def goto(self, path):
        response = self.page.goto(self.live["url"] + path)
        self.check()
        return response

    def check(self):
        """No serious or critical accessibility violation, no CSP refusal, no sideways scrolling."""
        self.page.wait_for_load_state("load")
        results = Axe().run(self.page)
        serious = [v["id"] for v in results.response["violations"] if v["impact"] in SERIOUS]
        assert serious == [], f"{self.page.url}: {results.generate_report()}"
        assert self.csp_refusals == []
        if self.page.viewport_size["width"] == PHONE["width"]:
            width = self.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{self.page.url} scrolls sideways on a phone ({width}px)"
        self.checked.append(self.page.url)

    def sign_in(self, role):
        self.goto("/sign-in")
        self.page.get_by_label("Email").fill(self.live["people"][role])
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.check()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, live):
    tabs = []

    def open_tab(**kwargs):
        tab = Visit(browser, live, **kwargs)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        tab.close()


def test_leader_sees_own_district_and_a_foreign_school_is_not_found(visit, live):
    tab = visit()
    tab.sign_in("district_leader")
    page = tab.page
    # A leader of one district lands on its dashboard; its schools are one click away ("Schools" in the header).
    assert page.get_by_role("heading", level=1).inner_text() == "Homeville: improvement dashboard"
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schools").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Homeville"
    page.get_by_role("link", name="Homeville Elementary").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Homeville Elementary"

    response = tab.goto(f"/districts/homeville/schools/{live['ids']['foreign_school']}")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Not found"
    assert "Faraway" not in page.content()
    response = tab.goto(f"/districts/faraway/schools/{live['ids']['foreign_school']}")
    assert response.status == 404


def test_leader_fixes_a_form_error_on_a_phone(visit, live):
    tab = visit()
    tab.sign_in("district_leader")
    page = tab.page
    tab.goto(f"/districts/homeville/schools/{live['ids']['home_school']}/edit")
    page.get_by_label("Grade span").fill("12-K")
    page.get_by_role("button", name="Save").click()
    tab.check()
    assert "Use a span of grades from lowest to highest" in page.content()
    page.get_by_label("Grade span").fill("K-6")
    page.get_by_role("button", name="Save").click()
    tab.check()
    assert page.get_by_role("status").inner_text().startswith("Saved")


def test_keyboard_reaches_the_skip_link_first(visit):
    tab = visit()
    tab.sign_in("district_viewer")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.textContent") == "Skip to main content"
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("role", ["platform_admin", "regional_director", "assistance_lead", "district_viewer"])
def test_every_role_s_pages_pass_axe_on_a_phone(visit, role):
    tab = visit()
    tab.sign_in(role)
    tab.goto("/districts/homeville")
    for path in ("visits", "observations", "assignments", "follow-ups", "trends"):
        tab.goto(f"/districts/homeville/{path}")
    tab.goto("/no-such-page")
    assert len(tab.checked) == 9


def test_admin_area_passes_axe_and_its_csp(visit):
    tab = visit(viewport={"width": 1280, "height": 900})
    tab.sign_in("platform_admin")
    for path in ("/admin/", "/admin/district/", "/admin/school/new/", "/admin/rolegrant/"):
        assert tab.goto(path).status == 200


def test_a_person_turns_a_notification_off_on_a_phone(visit):
    tab = visit()
    tab.sign_in("assistance_lead")
    page = tab.page
    page.locator(".account-menu summary").click()  # rarely used: in the account menu, under the person's name
    page.get_by_role("link", name="Notifications").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Notifications"
    assert page.get_by_label("Weekly digest").is_checked()
    page.get_by_label("Weekly digest").uncheck()
    page.get_by_role("button", name="Save").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Your notification settings are saved."
    assert not page.get_by_label("Weekly digest").is_checked()
    assert page.get_by_label("Follow-up reminders").is_checked() and page.get_by_label("Status report ready").is_checked()
