"""The regional dashboard in a real browser: filters, sorting, a CSV download, axe and the CSP on a phone."""
from pathlib import Path

import pytest
from sqlalchemy import update

from app.districts.models import School
from app.extensions import db
from tenants.models import AccountabilityStatus
from tenants.scope import entered, system_scope

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def school_needing_assistance(app, live):
    """Homeville Elementary needs focused/targeted support (committed; the live fixture truncates)."""
    with app.app_context(), entered(system_scope("browser test data")):
        db.session.execute(update(School).where(School.name == "Homeville Elementary")
                           .values(accountability_category=AccountabilityStatus.FOCUSED_TARGETED))
        db.session.commit()


def test_director_filters_sorts_and_downloads_coverage(open_page, tmp_path):
    tab = open_page()
    tab.sign_in("regional_director")
    page = tab.page
    page.get_by_role("link", name="Open the regional dashboard").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Regional dashboard"
    schools = page.get_by_role("table", name="Schools needing assistance and their last visit")
    assert "Homeville Elementary" in schools.inner_text()
    assert "Faraway" not in page.content()

    page.get_by_label("District accountability").select_option(AccountabilityStatus.MEETING_TARGETS.value)
    page.get_by_role("button", name="Apply").click()
    tab.check()
    assert "status=meeting_targets" in page.url
    assert "No school needing assistance matches these filters." in page.content()

    page.get_by_role("link", name="Clear filters").click()
    tab.check()
    page.locator("#capacity-caption").locator("..").get_by_role("link", name="Lead", exact=False).first.click()
    tab.check()
    assert "sort-capacity=lead" in page.url
    assert page.locator('th[aria-sort="ascending"]').filter(has_text="Lead").count() == 1

    with page.expect_download() as download:
        page.locator("#coverage-schools + p").get_by_role("link", name="Download CSV").click()
    saved = Path(tmp_path) / "schools.csv"
    download.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "District,School,Accountability,Last visit,Days since"
    assert lines[1].startswith("Homeville,Homeville Elementary,Requiring assistance: focused/targeted support,2026-10-05,")
    assert len(lines) == 2


def test_a_lead_is_refused_the_dashboard(open_page):
    tab = open_page()
    tab.sign_in("assistance_lead")
    assert tab.goto("/rollups/").status == 403
    assert "Homeville Elementary" not in tab.page.content()
