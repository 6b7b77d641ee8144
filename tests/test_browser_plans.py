"""In Chromium on a 390 px phone: a district leader works the plan and downloads a status report; axe on every page."""
from datetime import timedelta
from pathlib import Path

import pytest

from app.clock import state_today

pytestmark = pytest.mark.browser


def plan_health(page) -> str:
    return page.locator("#plan-health").inner_text()


def test_leader_adds_an_action_with_a_provider_updates_it_marks_a_risk_and_downloads_the_pdf(open_page):
    tab = open_page()
    tab.sign_in("district_leader")
    page = tab.page
    tab.goto("/districts/homeville/plan")
    before = plan_health(page)
    assert "over budget" not in before

    page.get_by_role("link", name="Add an action").click()
    tab.check()
    page.get_by_label("Strategy").select_option(label="Early literacy › High-quality instructional materials in K-3")
    page.get_by_label("Action", exact=True).fill("Tutoring for grade 3 English learners")
    page.get_by_label("Owner").select_option(label="Lia Leader")
    page.get_by_label("Start", exact=True).fill(state_today().isoformat())
    page.get_by_label("Due", exact=True).fill((state_today() + timedelta(days=60)).isoformat())
    page.get_by_label("Budget allocated").fill("1,000")
    page.get_by_label("Spent").fill("1500.00")
    page.get_by_label("Provider").select_option(label="Homeville Literacy Partners")
    for answer in page.get_by_role("group", name="Equity impact questions").get_by_role("textbox").all():
        answer.fill("Grade 3 English learners; their families asked for it at the EL parent council.")
    page.get_by_role("button", name="Save action").click()
    tab.check()
    # Saved, and the unusual said: more spent than allocated.
    assert [line for line in page.get_by_role("status").inner_text().splitlines() if line] == [
        "Action saved: Tutoring for grade 3 English learners.",
        "Saved, but check the budget: $1,500.00 spent is more than the $1,000.00 allocated."]
    assert "Over budget" in page.content()

    # Spaces alone pass the browser's `required`: the page answers itself, the choice kept, the message by the field.
    page.get_by_label("Status now").select_option(label="At risk")
    page.get_by_label("What happened").fill("   ")
    page.get_by_role("button", name="Post update").click()
    tab.check()
    assert "Write what happened." in page.locator("#update-narrative-error").inner_text()
    # On a phone the answer opens at the form, not at the top of a long page where nothing says it failed.
    assert page.url.endswith("#updates") and page.locator("#update-narrative-error").is_visible()
    assert page.evaluate("window.scrollY") > 0
    assert page.get_by_label("Status now").input_value() == "at_risk"
    page.get_by_label("What happened").fill("Two tutors started; a third is still being hired.")
    page.get_by_role("button", name="Post update").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Progress update posted."
    assert "Two tutors started" in page.get_by_role("region", name="Progress updates").inner_text()

    page.get_by_label("Risk or blocking issue").fill("Tutor hiring stalls")
    page.get_by_label("Severity").select_option(label="High")
    page.get_by_role("button", name="Record risk").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Risk recorded."

    page.get_by_role("button", name="Link observation").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Observation linked as evidence."
    evidence = page.get_by_role("region", name="Evidence: visits and observations")
    evidence.get_by_role("link").first.click()
    tab.check()
    page.go_back()

    tab.goto("/districts/homeville/plan")
    after = plan_health(page)
    assert after != before and "1 over budget" in after and "2 open high risks" in after

    page.get_by_role("navigation", name="Improvement plan").get_by_role("link", name="Status reports").click()
    tab.check()
    page.get_by_role("button", name="Make a status report now").click()
    tab.check()
    assert "Tutoring for grade 3 English learners" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("role", ["district_viewer", "district_leader"])
def test_plan_pages_pass_axe_on_a_phone(open_page, role):
    tab = open_page()
    tab.sign_in(role)
    for path in ("dashboard", "plan", "goals", "providers", "reports"):
        assert tab.goto(f"/districts/homeville/{path}").status == 200
    tab.goto("/districts/homeville/goals")
    tab.page.get_by_role("link", name="Grade 3 MCAS ELA").first.click()
    tab.check()
    tab.goto("/districts/homeville/reports")
    tab.page.locator("main ul.cards a").first.click()
    tab.check()
    tab.goto("/districts/homeville/reports")
    tab.page.get_by_role("link", name="annual report").click()
    tab.check()
    assert "Support received" in tab.page.content()
    tab.goto("/districts/homeville/plan")
    tab.page.get_by_role("link", name="Adopt a K-3 ELA curriculum").first.click()
    tab.check()
    if role == "district_leader":
        tab.goto("/districts/homeville/plan/new")
        tab.goto("/districts/homeville/plan/settings")


def test_the_dashboard_prints_without_navigation(open_page):
    tab = open_page(viewport={"width": 1280, "height": 900})
    tab.sign_in("district_leader")
    tab.goto("/districts/homeville/dashboard")
    tab.page.emulate_media(media="print")
    assert not tab.page.get_by_role("navigation", name="Improvement plan").is_visible()
    assert tab.page.get_by_role("heading", name="Equity goals").is_visible()


def test_leader_edits_and_deletes_plan_rows_and_changes_the_settings_on_a_phone(open_page):
    """Last in this module: it renames and deletes rows of the shared live data."""
    tab = open_page()
    tab.sign_in("district_leader")
    page = tab.page
    tab.goto("/districts/homeville/plan")
    page.get_by_role("link", name="Edit the priority Early literacy").click()
    tab.check()
    page.get_by_label("Priority").fill("")
    page.get_by_role("button", name="Save the priority").click()
    tab.check()  # the error, on the form
    assert "Check what you entered" in page.get_by_role("alert").inner_text()
    page.get_by_label("Priority").fill("Reading by the end of grade 3")
    page.get_by_role("button", name="Save the priority").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Priority saved."
    assert page.get_by_role("heading", name="Priority 1: Reading by the end of grade 3").is_visible()

    # A strategy that still has an action is kept, and the page says why.
    page.get_by_role("link", name="Delete the strategy High-quality instructional materials in K-3").click()
    tab.check()
    assert "It still has" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name="Delete the strategy").count() == 0

    tab.goto("/districts/homeville/plan")
    page.get_by_role("link", name="Delete the priority Attendance").click()
    tab.check()
    assert "Its strategy “Family outreach” (no actions) is deleted too." in page.content()
    page.get_by_role("button", name="Delete the priority").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Priority deleted: Attendance."
    assert page.get_by_role("heading", name="Priority 2: Attendance").count() == 0

    page.get_by_role("link", name="Plan settings").click()
    tab.check()
    page.get_by_label("Status reports").select_option(label="Monthly")
    page.get_by_label("Days without an update").fill("14")
    page.get_by_role("button", name="Save the settings").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Plan settings saved."
    assert "14 days without an update" in page.content()

    tab.goto("/districts/homeville/providers")
    page.get_by_role("link", name="Delete the provider Homeville Attendance Works").click()
    tab.check()
    page.get_by_role("button", name="Delete the provider").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Provider deleted: Homeville Attendance Works."
    page.get_by_role("link", name="Edit the provider Homeville Literacy Partners").click()
    tab.check()
    page.get_by_label("Contract end").fill("2020-01-01")
    page.get_by_label("Contract start").fill("2026-07-01")
    page.get_by_role("button", name="Save the provider").click()
    tab.check()
    assert "The contract ends after it starts." in page.get_by_role("alert").inner_text()

    tab.goto("/districts/homeville/goals")
    page.get_by_role("link", name="Grade 3 MCAS ELA").first.click()
    tab.check()
    page.get_by_role("link", name="Edit the measurement 2026").click()
    tab.check()
    page.get_by_label("English learners").fill("26.5")
    page.get_by_role("button", name="Save the measurement").click()
    tab.check()
    assert page.get_by_role("status").inner_text() == "Measurement saved."
    assert "26.50" in page.get_by_role("region", name="Correct a measurement").inner_text()
    page.get_by_role("link", name="Edit the goal").click()
    tab.check()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("link", name="Delete the goal").click()
    tab.check()
    page.get_by_role("button", name="Delete the equity goal").click()
    tab.check()
    assert page.get_by_role("status").inner_text().startswith("Equity goal deleted: Grade 3 MCAS ELA")
