"""Running as a service (issue 14 case 6): liveness, readiness, request ids, JSON log lines, the gunicorn config."""
import io
import json
import logging
import runpy

import pytest

from app.ops import RequestIdFilter, json_formatter


@pytest.fixture
def json_log(app):
    """What the app logs during the test, as the JSON lines production writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    app.logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    app.logger.removeHandler(handler)


def test_healthz_answers_without_a_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_checks_the_database_and_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_is_503_when_redis_does_not_answer_and_logs_it_with_the_request_id(app, client, monkeypatch, json_log):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")  # the discard port: nothing listens
    response = client.get("/readyz", headers={"X-Request-ID": "lb-check-42"})
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "ok", "redis": "unavailable"}}
    [line] = [entry for entry in json_log() if entry["message"].startswith("readiness")]
    assert line["request_id"] == "lb-check-42" and line["level"] == "WARNING" and "redis unavailable" in line["message"]


def test_a_request_id_is_honoured_or_made_and_always_echoed(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz").headers["X-Request-ID"]
    assert len(made) == 32 and made != client.get("/healthz").headers["X-Request-ID"]
    # A header that would forge log lines is replaced, not echoed.
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" injected'}).headers["X-Request-ID"]
    assert forged != 'x" injected' and len(forged) == 32


def test_error_pages_carry_the_request_id_too(client):
    response = client.get("/no-such-page", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "req-404"


def test_gunicorn_config_takes_workers_from_the_cores_and_logs_json(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "")
    settings = runpy.run_path("gunicorn.conf.py")
    assert settings["workers"] >= 2 and settings["timeout"] > settings["graceful_timeout"] > 0
    assert settings["accesslog"] == "-" and settings["bind"]
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path("gunicorn.conf.py")["workers"] == 3
