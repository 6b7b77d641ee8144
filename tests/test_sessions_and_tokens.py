"""Sessions end on the server (sign-out, new password, deactivation, idle time), API tokens expire, may be
read-only and die with their person's password, and request bodies have a size limit."""
import io
import re
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select, update

from app.accounts.models import ApiToken, UserSession
from app.accounts.tokens import issue_token
from app.auth.services import set_password_from_link
from app.auth.sessions import withdraw_access
from app.clock import stored_now
from app.extensions import db
from app.fieldwork.models import Visit
from tests.factories import PASSWORD


def copy_of_cookie(app, client):
    """A second browser holding a copy of `client`'s session cookie, as an attacker who copied it would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def lead_browser(client, auth, world):
    auth.sign_in(world.lead)
    return client


# --- sessions ---------------------------------------------------------------------------------------


def test_sign_out_ends_every_copy_of_the_session(app, lead_browser, auth):
    thief = copy_of_cookie(app, lead_browser)
    assert signed_in(thief)
    auth.sign_out()
    assert not signed_in(lead_browser) and not signed_in(thief)
    # The field app's outbox asks before sending: it is told to sign in again, and keeps what is waiting.
    assert thief.get("/field/session").status_code == 401


def test_signing_out_one_browser_leaves_the_others_signed_in(app, lead_browser, world):
    phone = app.test_client()
    phone.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    phone.post("/sign-out")
    assert not signed_in(phone) and signed_in(lead_browser)


def test_a_new_password_ends_the_sessions_made_before(app, lead_browser, world):
    thief = copy_of_cookie(app, lead_browser)
    assert set_password_from_link(world.lead, "a brand new passphrase")
    assert not signed_in(thief) and not signed_in(lead_browser)


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app, lead_browser, world):
    thief = copy_of_cookie(app, lead_browser)
    world.lead.active = False
    withdraw_access(world.lead.id)
    db.session.commit()
    assert not signed_in(thief)
    world.lead.active = True
    db.session.commit()
    assert not signed_in(thief) and not signed_in(lead_browser)


@pytest.mark.parametrize("idle_hours, still_signed_in", [(71, True), (73, False)])
def test_an_idle_session_ends_after_the_idle_lifetime(app, lead_browser, world, idle_hours, still_signed_in):
    assert app.config["SESSION_IDLE_HOURS"] == 72
    db.session.execute(update(UserSession).where(UserSession.user_id == world.lead.id)
                       .values(last_seen_at=stored_now() - timedelta(hours=idle_hours)))
    assert signed_in(lead_browser) is still_signed_in


def test_the_idle_lifetime_is_a_setting(app, lead_browser, world, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_HOURS", 0.5)
    db.session.execute(update(UserSession).where(UserSession.user_id == world.lead.id)
                       .values(last_seen_at=stored_now() - timedelta(minutes=31)))
    assert not signed_in(lead_browser)


def test_use_keeps_a_session_open(app, lead_browser, world):
    db.session.execute(update(UserSession).where(UserSession.user_id == world.lead.id)
                       .values(last_seen_at=stored_now() - timedelta(hours=71)))
    assert signed_in(lead_browser)
    seen = db.session.scalar(select(UserSession.last_seen_at).where(UserSession.user_id == world.lead.id))
    assert stored_now() - seen < timedelta(minutes=1)


def test_the_session_cookie_outlives_a_browser_restart_for_the_idle_lifetime(client, world):
    response = client.post("/sign-in", data={"email": world.lead.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" in cookie and "HttpOnly" in cookie
    assert db.session.scalar(select(func.count()).select_from(UserSession)
                             .where(UserSession.user_id == world.lead.id)) == 1
    assert "session_secret" not in cookie  # the cookie is signed; only a digest of the secret is stored


# --- API tokens -------------------------------------------------------------------------------------


def api_get(app, secret: str):
    return app.test_client().get("/api/v1/visits", headers={"Authorization": f"Bearer {secret}"})


def test_a_token_lives_the_days_chosen_at_creation(app, lead_browser, world):
    page = lead_browser.post("/account/tokens", data={"name": "District sync", "days": "30"})
    secret = re.search(r'value="(rsp_[^"]+)"', page.text).group(1)
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.lead.id)).one()
    assert abs(token.expires_at - (stored_now() + timedelta(days=30))) < timedelta(minutes=1)
    assert api_get(app, secret).status_code == 200
    token.expires_at = stored_now() - timedelta(seconds=1)
    db.session.commit()
    response = api_get(app, secret)
    assert response.status_code == 401 and response.is_json
    assert "Ended" in lead_browser.get("/account/tokens").text


def test_a_token_made_without_choosing_lives_ninety_days(lead_browser, world):
    lead_browser.post("/account/tokens", data={"name": "Script"})
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == world.lead.id)).one()
    assert abs(token.expires_at - (stored_now() + timedelta(days=90))) < timedelta(minutes=1)


@pytest.mark.parametrize("typed, message", [
    ("0", "Use a whole number of days from 1 to 365."),
    ("366", "Use a whole number of days from 1 to 365."),
    ("", "Use a whole number of days from 1 to 365."),
    ("forever", "Give a whole number, such as 30: no fractions or exponents."),
    ("1e3", "Give a whole number, such as 30: no fractions or exponents."),
])
def test_a_token_lifetime_out_of_bounds_is_refused_and_kept(lead_browser, world, typed, message):
    page = lead_browser.post("/account/tokens", data={"name": "Script", "days": typed})
    assert page.status_code == 422 and escape(message) in page.text
    assert f'value="{escape(typed)}"' in page.text and 'value="Script"' in page.text
    assert db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == world.lead.id)) == 0


def test_a_read_only_token_reads_and_is_refused_every_change(app, lead_browser, world):
    from tests.test_api import new_visit

    page = lead_browser.post("/account/tokens", data={"name": "Dashboard", "days": "7", "read_only": "y"})
    secret = re.search(r'value="(rsp_[^"]+)"', page.text).group(1)
    assert "Read only" in lead_browser.get("/account/tokens").text
    headers = {"Authorization": f"Bearer {secret}"}
    program = app.test_client()
    assert program.get("/api/v1/visits", headers=headers).status_code == 200
    visits = db.session.scalar(select(func.count()).select_from(Visit))
    response = program.post("/api/v1/visits", json=new_visit(world), headers=headers)
    assert response.status_code == 403 and response.is_json
    assert "read-only" in response.json["error"]["message"]
    response = program.patch(f"/api/v1/visits/{world.home_visit.id}", json={"minutes": 5}, headers=headers)
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Visit)) == visits
    db.session.refresh(world.home_visit)
    assert world.home_visit.minutes != 5
    # The same person's full token still records the visit.
    full = {"Authorization": f"Bearer {issue_token(world.lead, 'tablet')}"}
    assert program.post("/api/v1/visits", json=new_visit(world), headers=full).status_code == 201


def test_a_token_dies_with_a_password_change(app, world):
    secret = issue_token(world.lead, "tablet")
    assert api_get(app, secret).status_code == 200
    assert set_password_from_link(world.lead, "a brand new passphrase")
    assert api_get(app, secret).status_code == 401


def test_a_token_dies_with_deactivation_and_stays_dead(app, world):
    secret = issue_token(world.lead, "tablet")
    world.lead.active = False
    withdraw_access(world.lead.id)
    db.session.commit()
    assert api_get(app, secret).status_code == 401
    world.lead.active = True
    db.session.commit()
    assert api_get(app, secret).status_code == 401


def test_a_token_lifetime_is_bounded_in_the_service_too(world):
    for days in (0, 366):
        with pytest.raises(ValueError):
            issue_token(world.lead, "tablet", days=days)


# --- request size -----------------------------------------------------------------------------------


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts how much of it the server reads."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = b"a" * n
        self.position += n
        self.read_bytes += n
        return n


FIFTY_MB = 50 * 1024 * 1024


def test_a_50_mb_sign_in_is_refused_unread(client):
    body = CountingStream(FIFTY_MB)
    response = client.post("/sign-in", input_stream=body, content_length=FIFTY_MB,
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "Too large to send" in response.text and "(16 MB)" in response.text
    assert body.read_bytes < 1024 * 1024


def test_a_too_large_api_request_gets_a_json_413(app, world):
    body = CountingStream(FIFTY_MB)
    response = app.test_client().post("/api/v1/visits", input_stream=body, content_length=FIFTY_MB,
                                      content_type="application/json",
                                      headers={"Authorization": f"Bearer {issue_token(world.lead, 'tablet')}"})
    assert response.status_code == 413 and response.is_json
    assert response.json["error"]["status"] == 413 and "16 MB" in response.json["error"]["message"]
    assert body.read_bytes < 1024 * 1024


def test_the_size_limit_is_a_setting(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post("/forgot-password", data={"email": "a" * 2000 + "@example.org"})
    assert response.status_code == 413
