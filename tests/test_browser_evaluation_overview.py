"""In Chromium on a 390 px phone: an evaluator goes from their home page to the overview of their principals'
evaluations, picks a school year and reads the ratings chart's numbers. axe on every page."""
import pytest

pytestmark = pytest.mark.browser


def test_an_evaluator_opens_the_overview_from_home_on_a_phone(open_page):
    tab = open_page()
    tab.sign_in("school_supervisor")
    page = tab.page
    assert "You evaluate 1 principal this school year" in page.get_by_role("region", name="Evaluations").inner_text()
    page.get_by_role("link", name="Open the overview").click()
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Principals' evaluations, ")
    cycles = page.get_by_role("region", name="Each principal's cycle: its step, overdue steps, visits and rating")
    assert "Pat Principal" in cycles.inner_text() and "Homeville Elementary" in cycles.inner_text()
    numbers = page.get_by_role("region", name="Principals by overall rating: the numbers").inner_text()
    assert "Not rated yet\t1" in numbers
    page.get_by_label("School year", exact=True).select_option(index=0)
    page.get_by_role("button", name="Apply").click()
    tab.check()
    assert "Cycles (1 principal)" in page.content()

    # The header's link, for the district's own people; the support team has none.
    lead = open_page()
    lead.sign_in("assistance_lead")
    lead.goto("/districts/homeville")
    assert lead.page.get_by_role("link", name="Principals' evaluations").count() == 0
