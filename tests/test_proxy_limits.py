"""Behind a reverse proxy (issue 14 case 5): each person has their own sign-in allowance, and each account one too."""
import pytest
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import trust_proxies
from tests.factories import PASSWORD


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    """The session's app as deployed behind one proxy (nginx): PROXY_COUNT=1."""
    monkeypatch.setitem(app.config, "PROXY_COUNT", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # put back after the test
    trust_proxies(app)
    return app


def _sign_in(client, email: str, address: str):
    return client.post("/sign-in", data={"email": email, "password": "not the password"},
                       headers={"X-Forwarded-For": address, "X-Forwarded-Proto": "https"})


def test_the_proxy_setting_is_off_by_default_and_wraps_the_app_when_set(app):
    assert app.config["PROXY_COUNT"] == 0 and not isinstance(app.wsgi_app, ProxyFix)
    proxied = Flask(__name__)
    proxied.config["PROXY_COUNT"] = 2
    trust_proxies(proxied)
    assert isinstance(proxied.wsgi_app, ProxyFix) and proxied.wsgi_app.x_for == 2 and proxied.wsgi_app.x_proto == 2


def test_behind_the_proxy_the_eleventh_person_in_a_minute_can_still_sign_in(behind_one_proxy, world):
    client = behind_one_proxy.test_client()
    for n in range(12):
        response = _sign_in(client, f"person{n}@example.org", f"203.0.113.{n + 1}")
        assert response.status_code == 422, (n, response.status_code)


def test_one_account_is_limited_whatever_the_address(behind_one_proxy, world):
    client = behind_one_proxy.test_client()
    statuses = [_sign_in(client, f" {world.lead.email.upper()} " if n % 2 else world.lead.email, f"198.51.100.{n + 1}")
                .status_code for n in range(11)]
    assert statuses == [422] * 10 + [429]
    # Someone else, from one of those addresses, is not held back by that account's attempts.
    assert _sign_in(client, "someone.else@example.org", "198.51.100.1").status_code == 422


def test_forgot_password_is_limited_per_account_too(behind_one_proxy, world, mailbox):
    client = behind_one_proxy.test_client()
    statuses = [client.post("/forgot-password", data={"email": world.viewer.email},
                            headers={"X-Forwarded-For": f"192.0.2.{n + 1}"}).status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]


def test_without_a_proxy_setting_a_forged_forwarded_for_changes_nothing(app, world):
    client = app.test_client()
    statuses = [_sign_in(client, f"person{n}@example.org", f"203.0.113.{n + 1}").status_code for n in range(11)]
    assert statuses == [422] * 10 + [429]


def test_people_signing_in_one_after_another_are_not_limited_only_guesses_are(app, world):
    # A trainer switching demo roles on one laptop: eleven good sign-ins in a minute all land.
    client = app.test_client()
    for _ in range(11):
        assert client.post("/sign-in", data={"email": world.viewer.email, "password": PASSWORD}).status_code == 302
        client.post("/sign-out")
    # Wrong passwords still count: the eleventh guess in the minute is refused.
    statuses = [_sign_in(client, world.viewer.email, "192.0.2.9").status_code for _ in range(11)]
    assert statuses == [422] * 10 + [429]
