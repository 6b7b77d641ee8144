"""In Chromium: forgot password -> the mail -> set a new password -> signed in; the link then refused."""
import re

import pytest
from rq import Queue, SimpleWorker

from app.extensions import db
from tenants.scope import entered, system_scope
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}


def test_a_forgotten_password_is_set_again_through_the_mailed_link(app, open_page, live, mailbox, redis, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", live["url"])
    email = live["people"]["district_viewer"]
    tab = open_page()
    page = tab.page
    tab.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    tab.check()
    page.get_by_role("button", name="Send me a link").click()  # empty: explained on the page
    tab.check()
    assert "This field is required." in page.get_by_role("alert").inner_text()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    tab.check()
    assert "a link to set a new password is on its way there" in page.get_by_role("status").inner_text()

    with app.app_context():
        SimpleWorker([Queue("notifications", connection=redis)], connection=redis).work(burst=True)
    [message] = mailbox.to(email)
    link = re.search(r"http://\S+/set-password/reset/\S+", mailbox.text(message)).group(0)
    page.goto(link)
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Set a new password"
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_role("button", name="Set my password and sign in").click()
    tab.check()
    assert "Use 12 to 200 characters." in page.get_by_role("alert").inner_text()
    page.get_by_label("New password", exact=True).fill("a new phrase for the viewer")
    page.get_by_label("New password again").fill("a new phrase for the viewer")
    page.get_by_role("button", name="Set my password and sign in").click()
    tab.check()
    assert "Your password is set. Signed in as" in page.get_by_role("status").inner_text()
    page.locator(".account-menu summary").click()
    assert page.get_by_role("button", name="Sign out").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    page.goto(link)
    tab.check()
    assert page.get_by_role("heading", level=1).inner_text() == "This link was already used"
    assert page.get_by_role("button", name="Send me a new link").is_visible()


def test_an_admin_resends_an_invitation_from_the_people_list(app, open_page, live, mailbox, redis):
    with app.app_context(), entered(system_scope("browser test data")):
        UserFactory(name="Ivy Invited", email="ivy@example.org", password_hash=None)
        db.session.commit()
    tab = open_page(viewport=WIDE)
    tab.sign_in("platform_admin")
    page = tab.page
    page.on("dialog", lambda dialog: dialog.accept())  # "Mail the selected people a new invitation?"
    tab.goto("/admin/user/")
    for email in ("ivy@example.org", live["people"]["district_viewer"]):
        page.get_by_role("checkbox", name=f"<{email}>").check()
    page.get_by_role("button", name="With selected").click()
    page.get_by_role("link", name="Resend invitation").click()
    tab.check()
    flashes = page.get_by_role("main").inner_text()
    assert "Invitation on its way to Ivy Invited." in flashes
    assert "inactive, or a password is already set" in flashes  # the viewer has one
    with app.app_context():
        SimpleWorker([Queue("notifications", connection=redis)], connection=redis).work(burst=True)
    assert [message["To"] for message in mailbox.messages] == ["ivy@example.org"]


def test_the_district_page_lists_its_people_on_a_phone(open_page):
    tab = open_page()
    tab.sign_in("platform_admin")
    tab.goto("/onboarding/districts/homeville/import")
    people = tab.page.get_by_role("region", name="People of Homeville").inner_text()
    assert "District leader · password set" in people
