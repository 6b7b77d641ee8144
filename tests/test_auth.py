"""Signing in and out: the form, wrong passwords, inactive people, rate limits, CSRF, redirects."""
from app.extensions import db
from tenants.roles import Role
from tests import factories
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD, **kwargs):
    return client.post("/sign-in", data={"email": email, "password": password}, **kwargs)


def test_sign_in_page_is_a_labelled_form(client):
    page = client.get("/sign-in").text
    assert '<label for="email">Email</label>' in page and '<label for="password">Password</label>' in page


def test_sign_in_lands_on_home_with_the_person_named(client, world):
    response = sign_in(client, world.leader.email, follow_redirects=True)
    assert response.status_code == 200
    assert "Signed in as Lia Leader." in response.text
    assert "District leader · Homeville" in response.text


def test_email_is_not_case_sensitive(client, world):
    assert sign_in(client, world.leader.email.upper()).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, world):
    response = sign_in(client, world.leader.email, "not the password")
    assert response.status_code == 422
    assert "That email and password do not match an active account." in response.text
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_message(client, world):
    response = sign_in(client, "nobody@example.org")
    assert response.status_code == 422 and "do not match an active account" in response.text


def test_missing_fields_are_named(client):
    response = client.post("/sign-in", data={"email": "not-an-email", "password": ""})
    assert response.status_code == 422
    assert "Not a valid email address." in response.text and "This field is required." in response.text


def test_inactive_person_cannot_sign_in(client, world):
    world.leader.active = False
    db.session.flush()
    assert sign_in(client, world.leader.email).status_code == 422


def test_sign_in_is_rate_limited(app, client, world):
    limit = int(app.config["SIGN_IN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        sign_in(client, world.leader.email, "wrong")
    response = sign_in(client, world.leader.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert f"at most {limit} sign-ins a minute" in response.text and "per 1" not in response.text
    assert client.get("/sign-in").status_code == 200  # reading the form is not limited


def test_sign_out_needs_a_post(client, auth, world):
    auth.sign_in(world.leader)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 302
    assert client.get("/").status_code == 302


def test_next_goes_back_to_the_page_asked_for_but_never_off_site(client, world):
    asked = client.get(f"/districts/{world.home.slug}")
    assert asked.status_code == 302
    response = client.post(asked.headers["Location"], data={"email": world.leader.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/districts/{world.home.slug}"
    client.post("/sign-out")
    # Refused, the next page is where the person's work is: a leader of one district, its dashboard.
    response = client.post("/sign-in?next=https://evil.example/x", data={"email": world.leader.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/districts/{world.home.slug}/dashboard"
    client.post("/sign-out")
    response = client.post("/sign-in?next=//evil.example/x", data={"email": world.leader.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/districts/{world.home.slug}/dashboard"


def test_every_form_needs_its_csrf_token(app, client, auth, world):
    auth.sign_in(world.leader)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/districts/{world.home.slug}/schools/{world.home_school.id}/edit",
                               data={"name": "Forged", "code": "F1", "grade_span": "K-5",
                                     "accountability_category": "meeting_targets"})
        assert response.status_code == 400
        assert client.post("/sign-out").status_code == 400
        admin = factories.person(Role.PLATFORM_ADMIN)
        client.application.config["WTF_CSRF_ENABLED"] = False
        auth.sign_out()
        auth.sign_in(admin)
        client.application.config["WTF_CSRF_ENABLED"] = True
        assert client.post("/admin/region/new/", data={"name": "Forged region"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert world.home_school.name == "Homeville Elementary"


def test_session_cookie_is_http_only(client, world):
    response = sign_in(client, world.leader.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
