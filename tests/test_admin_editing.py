"""Editing existing records through /admin, as an admin does: open the edit form, change a field, save.

Each view's form is read from its page and sent back with one change, so a field the admin did not
touch is sent as the page showed it (a browser does the same).
"""
from html.parser import HTMLParser

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.accounts.models import ApiToken, User
from app.accounts.tokens import issue_token
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import LookFor, Rubric
from app.plans.models import EquityImpactQuestion
from tests import factories
from tests.factories import PASSWORD


class FormValues(HTMLParser):
    """The values a browser would submit from the page's first POST form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._inside = self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self._done and (a.get("method") or "").lower() == "post":
            self._inside = True
        if not self._inside or a.get("name") is None and tag in ("input", "select", "textarea"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[a["name"]] = a.get("value") or "y"
            elif a.get("type") != "password":
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._inside:
            self._inside, self._done = False, True


def edit(client, view: str, row_id: int, **changes):
    """Open /admin/<view>/edit/?id=<row_id>, apply `changes` (None unticks a box), save; the page after."""
    url = f"/admin/{view}/edit/?id={row_id}"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    parser = FormValues()
    parser.feed(page.text)
    data = {**parser.values, **changes}
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(url, data=data, follow_redirects=True)


def school_key(school: School) -> str:
    """A school's id in /admin's addresses: its primary key is (district_id, id)."""
    return f"{school.district_id},{school.id}"


def saved(response) -> bool:
    return "Record was successfully saved." in response.text


@pytest.fixture
def admin(client, auth, world):
    auth.sign_in(world.admin)
    return world.admin


def test_an_admin_deactivates_a_person_and_their_sessions_and_tokens_end(app, client, admin, world):
    other = app.test_client()
    other.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    secret = issue_token(world.lead, "field tablet")
    assert saved(edit(client, "user", world.lead.id, active=None))
    db.session.expire_all()
    assert world.lead.active is False
    assert other.get("/").status_code == 302  # signed out where they were signed in
    assert other.get("/api/v1/visits", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert db.session.scalars(select(ApiToken.revoked).where(ApiToken.user_id == world.lead.id)).all() == [True]


def test_an_admin_sets_a_new_password_and_the_person_signs_in_with_it(app, client, admin, world):
    assert saved(edit(client, "user", world.lead.id, new_password="a brand new passphrase"))
    other = app.test_client()
    assert other.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD}).status_code == 422
    assert other.post("/sign-in", data={"email": world.lead.email,
                                        "password": "a brand new passphrase"}).status_code == 302


def test_admin_edits_keep_their_csrf_protection(app, client, admin, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert saved(edit(client, "region", world.home_region.id, name="Central Region"))  # the page's token
    response = client.post(f"/admin/region/edit/?id={world.home_region.id}", data={"name": "Forged"})
    assert response.status_code == 400
    db.session.expire_all()
    assert world.home_region.name == "Central Region"


def test_an_admin_renames_a_person_keeping_their_email(client, admin, world):
    assert saved(edit(client, "user", world.lead.id, name="Lou Renamed"))
    db.session.expire_all()
    assert (world.lead.name, world.lead.email) == ("Lou Renamed", world.lead.email)


@pytest.mark.parametrize("typed, message", [
    ("not an email", "Not a valid email address. An email address must have an @-sign."),
    ("{leader}", "Lia Leader already has this email address: each person needs their own."),
])
def test_the_people_form_applies_the_email_rule(client, admin, world, typed, message):
    typed = typed.format(leader=world.leader.email.upper())
    people = db.session.scalar(select(func.count(User.id)))
    response = client.post("/admin/user/new/", data={"name": "Nia New", "email": typed, "active": "y"})
    assert response.status_code == 200 and escape(message) in response.text
    assert escape(typed) in response.text  # what was typed is kept
    assert "IntegrityError" not in response.text and "INSERT" not in response.text
    assert db.session.scalar(select(func.count(User.id))) == people


def test_an_email_case_clash_on_edit_is_refused_in_words(client, admin, world):
    response = edit(client, "user", world.lead.id, email=world.leader.email.upper())
    assert not saved(response) and "already has this email address" in response.text
    assert "UPDATE" not in response.text


def test_an_admin_edits_a_role_grant_title(client, admin, world):
    grant = world.leader.grants[0]
    assert saved(edit(client, "rolegrant", grant.id, title="Superintendent"))
    db.session.expire_all()
    assert grant.title == "Superintendent"


def test_an_admin_renames_a_region(client, admin, world):
    assert saved(edit(client, "region", world.home_region.id, name="Central Region"))
    db.session.expire_all()
    assert world.home_region.name == "Central Region"


def test_an_admin_renames_a_district(client, admin, world):
    assert saved(edit(client, "district", world.home.id, name="Homeville Public Schools"))
    db.session.expire_all()
    assert world.home.name == "Homeville Public Schools" and world.home.slug == "homeville"


def test_an_admin_edits_a_school_stored_as_the_district_form_stores_it(client, admin, world):
    assert saved(edit(client, "school", school_key(world.home_school), name="Homeville Elementary School",
                      enrollment="420", code="hm-2", grade_span="pk - 5"))
    db.session.expire_all()
    school = world.home_school
    assert (school.name, school.enrollment, school.code, school.grade_span) == (
        "Homeville Elementary School", 420, "HM-2", "PK-5")


@pytest.mark.parametrize("field, typed, message", [
    ("enrollment", "-50", "Use a whole number of pupils from 0 to 20,000."),
    ("grade_span", "Z-99", "Use a span of grades from lowest to highest, such as PK-5, 6-8 or 9-12."),
    ("code", "12 34", "Letters, digits and hyphens only."),
])
def test_the_admin_school_form_has_the_district_forms_rules(client, admin, world, field, typed, message):
    before = (world.home_school.enrollment, world.home_school.grade_span, world.home_school.code)
    response = edit(client, "school", school_key(world.home_school), **{field: typed})
    assert not saved(response) and escape(message) in response.text and escape(typed) in response.text
    db.session.expire_all()
    assert (world.home_school.enrollment, world.home_school.grade_span, world.home_school.code) == before


def test_a_taken_school_code_is_said_on_its_field_without_database_text(client, admin, world):
    sibling = factories.SchoolFactory(district=world.home, name="Homeville Middle", code="HM-1")
    response = edit(client, "school", school_key(world.home_school), code=sibling.code)
    assert not saved(response) and "Another school in this district already has this code." in response.text
    assert "UniqueViolation" not in response.text and "schools" not in response.text.split("<main")[-1].lower()
    db.session.expire_all()
    assert world.home_school.code != sibling.code


def test_a_duplicate_email_the_form_s_check_missed_is_said_on_the_field(client, admin, world, monkeypatch):
    # Two admins saving at once: the form's check passed, the database's unique key refuses.
    monkeypatch.setattr("app.admin.person_with_email", lambda email: None)
    people = db.session.scalar(select(func.count(User.id)))
    response = client.post("/admin/user/new/", data={"name": "Nia New", "email": world.leader.email.upper(),
                                                     "active": "y"})
    assert response.status_code == 200 and "Another person already has this email." in response.text
    assert not any(word in response.text for word in ("IntegrityError", "INSERT", "users_email", "psycopg"))
    assert db.session.scalar(select(func.count(User.id))) == people


def test_a_delete_the_database_refuses_is_said_in_words(client, admin, world):
    response = client.post("/admin/region/delete/", data={"id": world.home_region.id}, follow_redirects=True)
    assert "Not deleted: other records still depend on this one." in response.text
    assert not any(word in response.text for word in ("IntegrityError", "DELETE", "UPDATE", "violates", "psycopg"))
    db.session.expire_all()
    assert world.home.region_id == world.home_region.id


def test_an_admin_renames_and_retires_a_support_type(client, admin, world):
    support = factories.support_type("Data inquiry")
    assert saved(edit(client, "supporttype", support.id, name="Data inquiry cycles", active=None))
    db.session.expire_all()
    assert (support.name, support.active) == ("Data inquiry cycles", False)


def test_an_admin_renames_a_rubric_without_ratings_and_its_look_for(client, admin, world):
    rubric = Rubric(name="Draft walkthrough", scale_min=1, scale_max=4, active=False)
    rubric.look_fors.append(LookFor(position=1, title="Students talk about the math"))
    db.session.add(rubric)
    db.session.flush()
    assert saved(edit(client, "rubric", rubric.id, name="Draft walkthrough, spring"))
    look_for = rubric.look_fors[0]
    assert saved(edit(client, "lookfor", look_for.id, title="Students explain their thinking"))
    db.session.expire_all()
    assert (rubric.name, look_for.title) == ("Draft walkthrough, spring", "Students explain their thinking")


def test_an_admin_rewords_an_unanswered_impact_question(client, admin, world):
    question = EquityImpactQuestion(position=9, text="Who is left out?")
    db.session.add(question)
    db.session.flush()
    assert saved(edit(client, "equityimpactquestion", question.id, text="Which students are left out?"))
    db.session.expire_all()
    assert question.text == "Which students are left out?"

