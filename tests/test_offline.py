"""Offline field capture on the server's side: the form's kit, the session check, the manifest, the worker."""
import json
import uuid

from sqlalchemy import func, select

from app.clock import state_today
from app.extensions import db
from app.fieldwork.models import Visit
from tests.factories import default_rubric


def test_field_form_offers_the_lead_s_own_districts_only(client, auth, world):
    auth.sign_in(world.lead)
    page = client.get("/field")
    assert page.status_code == 200
    # The places and supports come as data, the online form's own lists (app/fieldwork/visit_form.py).
    choices = json.loads(page.text.split('<script type="application/json" id="visit-choices">')[1].split("</script>")[0])
    home = choices[str(world.home.id)]
    assert [label for _, label in home["places"]] == ["District office", "Homeville Elementary", "Homeville High"]
    assert "Direct coaching · Homeville Elementary" in [label for _, label in home["supports"]]
    assert list(choices) == [str(world.home.id)]
    assert "Faraway" not in page.text and world.foreign_school.name not in page.text
    for look_for in default_rubric().look_fors:
        assert look_for.title in page.text
    assert 'src="/static/offline/field.js"' in page.text
    assert 'href="/field">Field capture</a>' in client.get("/").text


def test_field_form_is_for_those_who_log_visits_in_their_own_districts(client, auth, world):
    auth.sign_in(world.director)
    page = client.get("/field")
    assert page.status_code == 200 and "You log visits in none of your districts." in page.text
    assert "“Log a visit” on a district's page" in page.text
    assert 'id="visit-form"' not in page.text and "Homeville Elementary" not in page.text
    assert "Field capture</a>" not in client.get("/").text


def test_a_district_viewer_is_told_field_capture_is_not_theirs(client, auth, world):
    auth.sign_in(world.viewer)
    page = client.get("/field")
    assert "You log visits in none of your districts." in page.text and "Log a visit" not in page.text
    assert 'id="visit-form"' not in page.text


def test_district_staff_capture_in_their_own_district(client, auth, world):
    for person in (world.supervisor, world.leader):
        auth.sign_in(person)
        page = client.get("/field")
        choices = json.loads(page.text.split('<script type="application/json" id="visit-choices">')[1]
                             .split("</script>")[0])
        assert list(choices) == [str(world.home.id)], person.name
        home = choices[str(world.home.id)]
        assert "the district's own staff" in home["notes_audience"]
        # The district's lead may be named co-observer; the person themselves is not offered.
        co_observers = [label for _, label in home["co_observers"]]
        assert "Lou Lead (Assistance lead)" in co_observers and not any(person.name in c for c in co_observers)
        assert 'href="/field">Field capture</a>' in client.get("/").text
        auth.sign_out()


def test_strangers_are_sent_to_sign_in_and_the_session_check_says_401(client, world):
    response = client.get("/field")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    session = client.get("/field/session")
    assert session.status_code == 401 and session.is_json
    assert session.headers["Cache-Control"] == "no-store"


def test_the_session_check_gives_a_token_the_api_accepts(app, client, auth, world, monkeypatch):
    """The outbox sends with the live session's CSRF token; without it a cookie-signed write is refused."""
    auth.sign_in(world.lead)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    session = client.get("/field/session")
    assert session.json["user_id"] == world.lead.id and session.headers["Cache-Control"] == "no-store"
    body = {"district_id": world.home.id, "client_uuid": str(uuid.uuid4()), "school_id": world.home_school.id,
            "visited_on": state_today().isoformat(), "minutes": 30, "kind": "informal", "purpose": "Offline test",
            "observations": []}
    assert client.post("/api/v1/visits", json=body).status_code == 400
    headers = {"X-CSRFToken": session.json["csrf_token"]}
    assert client.post("/api/v1/visits", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/visits", json=body, headers=headers).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Visit).where(Visit.purpose == "Offline test")) == 1


def test_manifest_makes_the_field_form_installable(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == "/field" and manifest.json["display"] == "standalone"
    for icon in manifest.json["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        assert image.data[16:24] == bytes.fromhex(f"{int(icon['sizes'].split('x')[0]):08x}") * 2


def test_service_worker_is_served_from_the_root_and_never_held_by_an_http_cache(client):
    worker = client.get("/service-worker.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert 'const FIELD_PAGE = "/field";' in worker.text
    for asset in ("/static/app.css", "/static/offline/field.js", "/static/offline/outbox.js"):
        assert f'"{asset}"' in worker.text
        assert client.get(asset).status_code == 200
