"""In a real browser: Playwright driving Debian's Chromium against a live server.

The live server runs on its own connections, so this module commits its data and
truncates every table afterwards. Every page reached is checked with axe-core (no
serious or critical violations) and for Content-Security-Policy refusals.
"""
import pytest

pytestmark = pytest.mark.browser


def test_leader_sees_own_district_and_a_foreign_school_is_not_found(open_page, live):
    tab = open_page()
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


def test_leader_fixes_a_form_error_on_a_phone(open_page, live):
    tab = open_page()
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


def test_keyboard_reaches_the_skip_link_first(open_page):
    tab = open_page()
    tab.sign_in("district_viewer")
    tab.page.keyboard.press("Tab")
    assert tab.page.evaluate("document.activeElement.textContent") == "Skip to main content"
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("role", ["platform_admin", "regional_director", "assistance_lead", "district_viewer"])
def test_every_role_s_pages_pass_axe_on_a_phone(open_page, role):
    tab = open_page()
    tab.sign_in(role)
    tab.goto("/districts/homeville")
    for path in ("visits", "observations", "assignments", "follow-ups", "trends"):
        tab.goto(f"/districts/homeville/{path}")
    tab.goto("/no-such-page")
    assert len(tab.checked) == 9


def test_admin_area_passes_axe_and_its_csp(open_page):
    tab = open_page(viewport={"width": 1280, "height": 900})
    tab.sign_in("platform_admin")
    for path in ("/admin/", "/admin/district/", "/admin/school/new/", "/admin/rolegrant/"):
        assert tab.goto(path).status == 200


def test_a_person_turns_a_notification_off_on_a_phone(open_page):
    tab = open_page()
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
