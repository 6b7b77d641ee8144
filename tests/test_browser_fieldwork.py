"""In Chromium on a 390 px phone: a lead logs a visit with two observations, corrects and deletes one
(with the keyboard), and sees the visit on the caseload."""
import pytest

pytestmark = pytest.mark.browser


def add_observation(tab, grade: str, subject: str, ratings: list[str]):
    page = tab.page
    page.get_by_role("link", name="Add a classroom observation").click()
    tab.check()
    page.get_by_label("Grade", exact=True).select_option(grade)
    page.get_by_label("Minutes", exact=True).fill("20")
    page.get_by_label("Subject", exact=True).fill(subject)
    for group, value in zip(page.locator("fieldset.look-for").all(), ratings):
        group.locator(f"label.point:has(input[value='{value}'])").click()
    page.get_by_role("button", name="Save observation").click()
    tab.check()
    assert f"Observation saved: grade {grade} {subject}." in page.get_by_role("status").inner_text()


def test_lead_logs_a_visit_with_two_observations_on_a_phone(open_page):
    tab = open_page()
    tab.sign_in("assistance_lead")
    page = tab.page
    assert page.get_by_role("heading", level=1).inner_text() == "Your caseload"
    page.get_by_role("link", name="Visit in Homeville").click()
    tab.check()
    page.get_by_label("Where").select_option(label="Homeville Elementary")
    page.get_by_label("Minutes").fill("75")
    page.get_by_label("Informal").check()
    page.get_by_label("Purpose").fill("Coaching the new assistant principal")
    page.get_by_label("Direct coaching · Homeville Elementary").check()
    page.get_by_label("Notes shared with the district").fill("Routines are consistent across grade 9.")
    page.get_by_label("Internal notes").fill("AP unsure about evaluation timeline.")
    page.get_by_role("button", name="Save visit").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Visit saved."
    assert page.get_by_role("heading", level=1).inner_text().startswith("Homeville Elementary")

    add_observation(tab, "3", "Reading", ["3", "2", "4"])
    add_observation(tab, "4", "Mathematics", ["2", "2"])
    assert page.get_by_role("heading", name="Classroom observations (2)").is_visible()

    # The second one is corrected on its page, then deleted with the keyboard alone.
    page.get_by_role("link", name="Grade 4 Mathematics").click()
    tab.check()
    page.get_by_role("link", name="Edit observation").click()
    tab.check()
    assert page.get_by_label("Subject", exact=True).input_value() == "Mathematics"
    page.get_by_label("Subject", exact=True).fill("Geometry and measurement")
    page.get_by_role("button", name="Save observation").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Grade 4 Geometry and measurement"
    page.get_by_label("Yes, delete this observation").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Delete observation"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab.check()
    assert page.get_by_role("status").inner_text() == "Observation deleted."
    assert page.get_by_role("heading", name="Classroom observations (1)").is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    tab.check()
    recent = page.get_by_role("region", name="Recent visits")
    assert "Homeville Elementary" in recent.inner_text() and "1 observation" in recent.inner_text()
