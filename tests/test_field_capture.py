"""Captures that change hands with their catalogs: rubric versions, look-for series, the visit form's choices."""
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.fieldwork.models import Observation, Rating, Visit
from app.fieldwork.schemas import VisitSchema
from app.fieldwork.services import new_rubric_version, record_observation, record_visit
from app.fieldwork.trends import walkthrough_trends
from app.forms import InvalidInput, load
from tests import factories


def ten_ratings(rubric) -> list[dict]:
    return [{"look_for_id": look_for.id, "rating": 1 + index % 4, "evidence": f"Evidence {index}"}
            for index, look_for in enumerate(rubric.look_fors)]


def offline_visit(world, rubric, captured_at: datetime) -> dict:
    """A visit as the offline app sends it: one observation with a rating and evidence per look-for."""
    return load(VisitSchema(), {
        "client_uuid": str(uuid.uuid4()), "captured_at": captured_at.isoformat(), "school_id": world.home_school.id,
        "visited_on": "2026-10-20", "minutes": 60, "kind": "formal", "purpose": "Walkthrough",
        "observations": [{"rubric_id": rubric.id, "grade": "3", "subject": "ELA", "minutes": 20,
                          "feedback": "Strong launch.", "ratings": ten_ratings(rubric)}],
    })


# --- case 1: an observation keeps the rubric version it was rated on ------------------------------


def test_a_visit_captured_before_a_new_version_lands_with_every_rating_on_its_version(world):
    rubric = factories.default_rubric()
    captured = offline_visit(world, rubric, datetime.now(UTC) - timedelta(hours=2))
    new_rubric_version(rubric)
    visit, created = record_visit(world.home, world.lead, captured)
    observation = visit.observations[0]
    assert created and observation.rubric_id == rubric.id
    assert [(r.look_for_id, r.rating, r.evidence) for r in observation.ratings] == [
        (r["look_for_id"], r["rating"], r["evidence"]) for r in ten_ratings(rubric)]
    assert len(observation.ratings) == 10


def test_a_version_retired_before_the_capture_is_refused_and_nothing_is_stored(world):
    rubric = factories.default_rubric()
    new_rubric_version(rubric)
    visits = db.session.scalar(select(func.count()).select_from(Visit))
    with pytest.raises(InvalidInput) as refused:
        record_visit(world.home, world.lead, offline_visit(world, rubric, datetime.now(UTC) + timedelta(minutes=1)))
    assert refused.value.messages == {"observations.0.rubric_id": [
        "Classroom walkthrough (version 1) was replaced by a new version before this was captured: "
        "rate on the version in use."]}
    assert db.session.scalar(select(func.count()).select_from(Visit)) == visits


def test_a_capture_without_its_time_is_held_to_the_versions_in_use(world):
    rubric = factories.default_rubric()
    new_rubric_version(rubric)
    data = offline_visit(world, rubric, datetime.now(UTC)) | {"captured_at": None}
    with pytest.raises(InvalidInput) as refused:
        record_visit(world.home, world.lead, data)
    assert list(refused.value.messages) == ["observations.0.rubric_id"]


def test_the_online_observation_form_keeps_its_version_when_a_new_one_comes_mid_form(client, auth, world):
    rubric = factories.default_rubric()
    auth.sign_in(world.lead)
    form = client.get(f"/districts/homeville/visits/{world.home_visit.id}/observations/new").text
    opened_at = form.split('name="opened_at" value="')[1].split('"')[0]
    new_rubric_version(rubric)
    fields = {"rubric_id": rubric.id, "opened_at": opened_at, "grade": "5", "subject": "Science", "minutes": "25",
              "feedback": "Good questions."}
    for index, look_for in enumerate(rubric.look_fors):
        fields |= {f"rating-{look_for.id}": str(1 + index % 4), f"evidence-{look_for.id}": f"Saw {index}"}
    response = client.post(f"/districts/homeville/visits/{world.home_visit.id}/observations/new", data=fields)
    assert response.status_code == 302
    stored = db.session.scalars(select(Observation).where(Observation.subject == "Science")).one()
    assert stored.rubric_id == rubric.id and len(stored.ratings) == 10
    assert stored.ratings[9].evidence == "Saw 9"


def test_a_record_observation_call_knows_when_the_form_was_opened(world):
    rubric = factories.default_rubric()
    opened = datetime.now(UTC) - timedelta(minutes=5)
    new_rubric_version(rubric)
    data = {"rubric_id": rubric.id, "grade": "3", "subject": "ELA", "minutes": 20, "ratings": ten_ratings(rubric)}
    with pytest.raises(InvalidInput):
        record_observation(world.home_visit, data)
    assert len(record_observation(world.home_visit, data, opened).ratings) == 10


# --- case 3: trends follow a rubric across its versions -----------------------------------------


@pytest.fixture
def two_versions(world):
    """A year of ratings on version 1, then "New version" (no wording changed) and a quarter on version 2."""
    first = factories.default_rubric()
    summer = factories.visit(world.home, world.lead, world.home_school, visited_on=date(2026, 8, 10))
    factories.observation(summer, ratings=(1, 4))
    second = new_rubric_version(first)
    winter = factories.visit(world.home, world.lead, world.home_school, visited_on=date(2027, 1, 12))
    factories.observation(winter, ratings=(2, 3), rubric=second)
    return first, second


def test_trends_follow_a_rubric_across_its_versions(world, two_versions):
    first, second = two_versions
    trends = walkthrough_trends(world.home)
    assert trends.rubric.id == second.id and trends.across_versions
    # The world's own observation (5 Oct 2026: 3, 2) on version 1 is in the same series as well.
    summary = {t.look_for.title: [(q.quarter, q.total) for q in t.quarters] for t in trends.look_fors}
    assert summary == {
        "Lesson purpose is clear": [("2026 Q3", 1), ("2026 Q4", 1), ("2027 Q1", 1)],
        "Grade-level work": [("2026 Q3", 1), ("2026 Q4", 1), ("2027 Q1", 1)],
    }
    assert all(t.look_for.rubric_id == second.id for t in trends.look_fors)
    only_first = walkthrough_trends(world.home, version_id=first.id)
    assert not only_first.across_versions and [q.quarter for q in only_first.look_fors[0].quarters] == [
        "2026 Q3", "2026 Q4"]


def test_trends_page_offers_the_rubric_once_and_every_version_with_ratings(client, auth, world, two_versions):
    first, second = two_versions
    auth.sign_in(world.viewer)
    page = client.get("/districts/homeville/trends").text
    assert "No classroom has been rated" not in page
    assert "The whole district: Classroom walkthrough (all versions)" in page
    assert page.count(">Classroom walkthrough</option>") == 1
    assert f'<option value="{first.id}">Version 1 only</option>' in page
    assert f'<option value="{second.id}">Version 2 only</option>' in page
    one = client.get(f"/districts/homeville/trends?version={first.id}").text
    assert "Classroom walkthrough (version 1)" in one and "2027 Q1" not in one
    old_link = client.get(f"/districts/homeville/trends?rubric={first.id}").text
    assert "2027 Q1" in old_link and "2026 Q3" in old_link


def test_a_version_of_another_rubric_is_explained(client, auth, world, two_versions):
    auth.sign_in(world.viewer)
    response = client.get("/districts/homeville/trends?version=999999")
    assert response.status_code == 400 and "Choose a version of Classroom walkthrough." in response.text


def test_observations_can_be_filtered_by_a_retired_version(client, auth, world, two_versions):
    first, _ = two_versions
    auth.sign_in(world.viewer)
    page = client.get("/districts/homeville/observations").text
    assert f'<option value="{first.id}"' in page and "Classroom walkthrough (version 1)" in page
    assert db.session.scalar(select(func.count()).select_from(Rating)) >= 6


# --- case 2: one definition of the visit form, online and offline ---------------------------------


class FormReader(HTMLParser):
    """The named fields of one form in a page: their attributes, the options of selects, the checked radios."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select = form_id, False, None
        self.fields, self.options, self.json = {}, {}, ""
        self.in_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id or (self.form_id == "" and attrs.get("method") == "post")
        if not self.inside:
            return
        if tag == "script" and attrs.get("id") == "visit-choices":
            self.in_json = True
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            self.fields.setdefault(attrs["name"], []).append(attrs)
        if tag == "select":
            self.select = attrs.get("name")
            self.options[self.select] = []
        if tag == "option" and self.select:
            self.options[self.select].append([attrs.get("value"), "", "selected" in attrs])

    def handle_data(self, data):
        if self.in_json:
            self.json += data
        elif self.select and self.options.get(self.select):
            self.options[self.select][-1][1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select":
            self.select = None
        if tag == "script":
            self.in_json = False


def read_form(html: str, form_id: str) -> FormReader:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader


LIMITS = ("min", "max", "maxlength", "required", "type")


def test_the_offline_and_online_visit_forms_offer_the_same_choices_defaults_and_limits(client, auth, world):
    second = factories.SchoolFactory(district=world.home, name="Aardvark Academy")
    auth.sign_in(world.lead)
    online = read_form(client.get("/districts/homeville/visits/new").text, "")
    offline = read_form(client.get("/field").text, "visit-form")
    choices = json.loads(offline.json)[str(world.home.id)]
    places = [[value, text.strip()] for value, text, _ in online.options["school_id"]]
    assert choices["places"] == places
    assert places[0] == ["", "District office"] and [str(second.id), "Aardvark Academy"] in places
    # Neither form chooses a school for the person: the district office until they say otherwise.
    assert [value for value, _, selected in online.options["school_id"] if selected] == [""]
    assert choices["default_place"] == ""
    online_supports = [[f["value"]] for f in online.fields["support_ids"]]
    assert [[value] for value, _ in choices["supports"]] == online_supports
    online_kinds = [(f["value"], "checked" in f) for f in online.fields["kind"]]
    offline_kinds = [(f["value"], "checked" in f) for f in offline.fields["kind"]]
    assert online_kinds == offline_kinds == [("formal", True), ("informal", False), ("virtual", False)]
    for name in ("visited_on", "minutes", "purpose", "participants", "shared_notes", "internal_notes", "next_steps",
                 "follow_up_on"):
        online_limits = {key: value for key, value in online.fields[name][0].items() if key in LIMITS}
        offline_limits = {key: value for key, value in offline.fields[name][0].items() if key in LIMITS}
        assert online_limits == offline_limits, name
    assert online.fields["minutes"][0]["max"] == "1440" and online.fields["purpose"][0]["maxlength"] == "300"
    # A phone shows its number pad for minutes on both forms.
    assert online.fields["minutes"][0]["inputmode"] == offline.fields["minutes"][0]["inputmode"] == "numeric"
    assert world.foreign_school.name not in offline.json


def test_a_visit_saved_without_choosing_where_is_at_the_district_office(client, auth, world):
    auth.sign_in(world.lead)
    form = client.get("/districts/homeville/visits/new").text
    client_uuid = form.split('name="client_uuid" value="')[1].split('"')[0]
    response = client.post("/districts/homeville/visits/new", data={
        "client_uuid": client_uuid, "school_id": "", "visited_on": "2026-10-20", "minutes": "45", "kind": "formal",
        "purpose": "Meeting with the superintendent"})
    assert response.status_code == 302
    stored = db.session.scalars(select(Visit).where(Visit.client_uuid == client_uuid)).one()
    assert stored.school_id is None and stored.place == "District office"


# --- case 4: a refused form says what to do, and what was typed is kept --------------------------


NOTE = ("Met the principal about the walkthrough schedule; agreed next steps with the ILT. " * 25)[:2000]


def test_a_form_sent_after_the_session_ended_says_to_sign_in_again(app, client, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/districts/homeville/visits/new", data={"purpose": "Superintendent", "shared_notes": NOTE})
    assert response.status_code == 400
    assert "The CSRF session token is missing" not in response.text
    assert "Your session ended before this form reached us, so it was not saved." in response.text
    assert "sign in again and the form comes back filled in" in response.text
    assert 'href="/sign-in?next=/districts/homeville/visits/new">Sign in again</a>' in response.text
    assert '<meta name="form-not-taken" content="400">' in response.text
    assert db.session.scalar(select(func.count()).select_from(Visit).where(Visit.purpose == "Superintendent")) == 0


def test_a_form_opened_before_the_last_sign_in_goes_back_to_the_form(app, client, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    auth_client = client
    # Signing in with CSRF on needs the sign-in form's own token.
    page = auth_client.get("/sign-in").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    auth_client.post("/sign-in", data={"email": world.lead.email, "password": factories.PASSWORD, "csrf_token": token})
    response = auth_client.post(f"/districts/homeville/visits/{world.home_visit.id}/observations/new?rubric_id=1",
                                data={"csrf_token": "from-an-earlier-session", "feedback": NOTE})
    assert response.status_code == 400
    assert "This form was opened before your last sign-in, so it was not saved." in response.text
    assert (f'href="/districts/homeville/visits/{world.home_visit.id}/observations/new?rubric_id=1">'
            "Back to the form</a>") in response.text
    # The header lists the lead's roles with their districts, once each.
    assert "everything" not in response.text
    assert response.text.count("<li>Assistance lead · Homeville</li>") == 1


def test_a_refused_post_only_action_leads_home_not_to_a_405(app, client, auth, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"/districts/homeville/visits/{world.home_visit.id}/follow-up-done")
    assert response.status_code == 400 and 'href="/sign-in?next=/">Sign in again</a>' in response.text


def test_a_rate_limited_form_says_that_what_was_typed_is_kept(app, client, world, monkeypatch):
    # An hour's window: a slow machine's attempts never straddle the start of a new one.
    monkeypatch.setitem(app.config, "SIGN_IN_RATE_LIMIT", "3 per hour")
    for _ in range(3):
        client.post("/sign-in", data={"email": world.leader.email, "password": "wrong"})
    response = client.post("/sign-in", data={"email": world.leader.email, "password": "wrong"})
    assert response.status_code == 429
    assert "at most 3 sign-ins an hour. Wait an hour, then try again." in response.text
    assert "What you typed is kept on this device" in response.text
    assert 'href="/sign-in">Back to the form</a>' in response.text


def test_the_api_says_the_session_ended_in_json(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/districts/homeville/visits/new", json={"purpose": "x"},
                           headers={"Accept": "application/json"})
    message = response.json["error"]["message"]
    assert response.status_code == 400 and message.startswith("Not saved: The CSRF token is missing.")
    assert message.endswith("Sign in again or get a fresh token, then send again.")


def test_editing_a_visit_keeps_a_support_that_has_ended_since(client, auth, world):
    visit = world.home_visit  # it served the world's support, which has ended since
    world.home_assignment.status = "completed"
    db.session.flush()
    auth.sign_in(world.lead)
    form = read_form(client.get(f"/districts/homeville/visits/{visit.id}/edit").text, "")
    ticked = [f["value"] for f in form.fields["support_ids"] if "checked" in f]
    assert ticked == [str(world.home_assignment.id)]
    fields = {name: values[0].get("value", "") for name, values in form.fields.items() if name != "csrf_token"}
    fields |= {"support_ids": ticked, "purpose": "Edited", "kind": "formal", "school_id": str(visit.school_id or "")}
    fields["shared_notes"] = ""
    assert client.post(f"/districts/homeville/visits/{visit.id}/edit", data=fields).status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(select(Visit).where(Visit.id == visit.id)).one()
    assert stored.purpose == "Edited" and [s.id for s in stored.supports] == [world.home_assignment.id]
