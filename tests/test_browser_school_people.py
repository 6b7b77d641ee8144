"""In Chromium on a 390 px phone: a district leader groups schools into clusters and opens a principal's page;
a school supervisor's home starts with their cluster. axe on every page."""
import pytest

pytestmark = pytest.mark.browser


def test_leader_adds_a_cluster_and_reads_a_principal_s_page_supervisor_sees_their_cluster(open_page, live):
    tab = open_page()
    tab.sign_in("district_leader")
    page = tab.page
    tab.goto("/districts/homeville/clusters")
    assert "North Quadrant" in page.content()
    page.get_by_role("link", name="Add a cluster").click()
    tab.check()
    page.get_by_label("Name").fill("north quadrant")
    page.get_by_label("Supervisor").select_option(label="Sol Supervisor")
    page.get_by_label("Homeville Elementary").check()
    page.get_by_role("button", name="Save").click()
    tab.check()
    errors = page.get_by_role("alert").inner_text()
    assert "Homeville already has a cluster named North Quadrant." in errors
    assert "Homeville Elementary is in North Quadrant: remove it from North Quadrant first." in errors
    assert page.get_by_label("Name").input_value() == "north quadrant"
    page.get_by_label("Name").fill("High schools")
    page.get_by_label("Homeville Elementary").uncheck()
    page.get_by_label("Homeville High").check()
    page.get_by_role("button", name="Save").click()
    tab.check()
    assert "Saved the cluster High schools." in page.get_by_role("status").inner_text()

    tab.goto(f"/districts/homeville/schools/{live['ids']['home_school']}")
    page.get_by_role("link", name="Pat Principal").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Pat Principal"
    assert "Sol Supervisor" in page.content()
    tab.goto(f"/districts/homeville/schools/{live['ids']['home_school']}/leaders")
    assert "Pat Principal" in page.get_by_role("region", name="Leaders now").inner_text()

    supervisor = open_page()
    supervisor.sign_in("school_supervisor")
    # The one they were just given, too.
    assert supervisor.page.get_by_role("heading", level=2, name="Your clusters: High schools, North Quadrant").is_visible()
    schools = supervisor.page.get_by_role("table").first.inner_text()
    assert "Homeville Elementary" in schools and "Homeville High" in schools and "Pat Principal" in schools
