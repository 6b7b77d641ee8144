"""In Chromium on a 390 px phone: the equity impact checklist on the action form; axe on each step."""
from datetime import date

import pytest

pytestmark = pytest.mark.browser


def test_leader_answers_the_checklist_on_a_new_action_and_again_on_a_material_change(open_page):
    tab = open_page()
    tab.sign_in("district_leader")
    page = tab.page
    tab.goto("/districts/homeville/plan")
    page.get_by_role("link", name="Add an action").click()
    tab.check()
    checklist = page.get_by_role("group", name="Equity impact questions")
    page.get_by_role("button", name="Save action").click()
    tab.check()
    assert checklist.get_by_text("Answer this question.").count() == checklist.get_by_role("textbox").count() > 0

    tab.goto("/districts/homeville/plan")
    page.get_by_role("link", name="Adopt a K-3 ELA curriculum").first.click()
    page.get_by_role("link", name="Edit the action").click()
    tab.check()
    assert checklist.count() == 0
    page.get_by_label("Due", exact=True).fill(date(2027, 8, 31).isoformat())
    page.get_by_role("button", name="Save action").click()
    tab.check()
    assert "The due date changed: answer again." in checklist.inner_text()
    for answer in checklist.get_by_role("textbox").all():
        answer.fill("Students with disabilities in K-3: the later date gives time for accommodations.")
    page.get_by_role("button", name="Save action").click()
    tab.check()
    answers = page.get_by_role("region", name="Equity impact").inner_text()
    assert "Asked again when the due date changed. Answered by Lia Leader" in answers


def test_the_checklist_s_admin_pages_pass_axe(open_page):
    tab = open_page(viewport={"width": 1280, "height": 900})
    tab.sign_in("platform_admin")
    for path in ("/admin/equityimpactquestion/", "/admin/equityimpactquestion/edit/?id=1"):
        assert tab.goto(path).status == 200
