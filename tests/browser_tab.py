"""A Chromium tab (Playwright) that checks every page it reaches: axe-core, Content-Security-Policy, phone width.

The fixtures that open one (`live`, `browser`, `open_page`) are in tests/conftest.py.
"""
from axe_playwright_python.sync_playwright import Axe

from app.clock import DEFAULT_STATE_TIME_ZONE
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
SERIOUS = {"serious", "critical"}


class Tab:
    """A browser tab of its own context (cookies, storage) that checks every page it reaches."""

    def __init__(self, browser, live, viewport=PHONE):
        self.live = live
        # A phone in the state: its clock says the state's day (the offline form dates a visit by the device's
        # day, and the server refuses a visit dated after the state's today).
        self.context = browser.new_context(viewport=viewport, timezone_id=DEFAULT_STATE_TIME_ZONE)
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
