"""In Chromium: an admin creates a district, uploads a bad schools file, fixes it, confirms, watches the job."""
import pytest
from rq import Queue, SimpleWorker

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}


def test_admin_onboards_a_district_with_a_bad_file_then_a_good_one(app, open_page, redis, tmp_path):
    bad = tmp_path / "schools.csv"
    bad.write_text("name,code,grade_span\nO'Neil Elementary,ON-1,K-5\n,ON-2,K-15\n")
    good = tmp_path / "fixed.csv"
    good.write_text("name,code,grade_span\nO'Neil Elementary,ON-1,K-5\nSaint-Anne (North),ON-2,6-8\n")
    tab = open_page()
    tab.sign_in("platform_admin")
    page = tab.page
    tab.goto("/onboarding/")
    page.get_by_label("District name").fill("Lakeside-Regional")
    page.get_by_label("Region").select_option(label="Home Region")
    page.get_by_label("Accountability status").select_option("focused_targeted_support")
    page.get_by_role("button", name="Create district").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Upload files for Lakeside-Regional"

    page.get_by_label("Schools file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the files").click()
    tab.check()
    errors = page.get_by_role("alert").inner_text()
    assert "2 problems to fix" in errors and "Missing data" in errors and "Use a span of grades" in errors

    page.get_by_label("Schools file").set_input_files(str(good))
    page.get_by_role("button", name="Check the files").click()
    tab.check()
    page.get_by_role("button", name="Confirm the import").click()
    tab.check()
    assert page.locator("progress").count() == 1
    with app.app_context():
        SimpleWorker([Queue("imports", connection=redis)], connection=redis).work(burst=True)
    page.reload()
    tab.check()
    assert "Schools created: 2" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Open Lakeside-Regional").click()
    tab.check()
    assert page.get_by_role("link", name="O'Neil Elementary").is_visible()


def test_audit_and_failed_jobs_pages_pass_axe(open_page):
    tab = open_page(viewport=WIDE)
    tab.sign_in("platform_admin")
    for path in ("/audit", "/jobs/failed", "/onboarding/directory", "/districts/homeville/audit"):
        assert tab.goto(path).status == 200
    phone = open_page()
    phone.sign_in("district_leader")
    assert phone.goto("/districts/homeville/audit").status == 200
