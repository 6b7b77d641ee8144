"""Running as a service: liveness and readiness, a request id on every request, logs as JSON lines.

- `/healthz` answers 200 while the process serves requests (liveness: restart it if not).
- `/readyz` answers 200 when PostgreSQL and (if configured) Redis answer, else 503 with which one
  failed (readiness: send it no traffic until then). Neither needs a sign-in or shows tenant data.
- Every request has an id: the `X-Request-ID` header if a proxy sent a sane one, else a new one;
  it is echoed in the response and carried by every log line written during the request.
- With LOG_FORMAT=json (production's default) every log line is one JSON object on stderr.
"""
import logging
import re
import uuid

from flask import Blueprint, Flask, current_app, g, has_request_context, jsonify, request
from pythonjsonlogger.json import JsonFormatter
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db

bp = Blueprint("ops", __name__)

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id looks like (nginx's $request_id is 32 hex digits); anything else is replaced, not logged.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Fields of each JSON log line, in this order, before any `extra` fields of the call.
LOG_FIELDS = ("asctime", "levelname", "name", "message", "request_id")
# A readiness check waits at most this long for Redis (seconds): a load balancer polls often.
READY_TIMEOUT_SECONDS = 2


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Readiness: {"status": "ok"|"unavailable", "checks": {"database": ..., "redis": ...}}, 200 or 503."""
    checks = {"database": _database_check(), "redis": _redis_check()}
    ready = all(result in ("ok", "not configured") for result in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503


def _database_check() -> str:
    try:
        # Touches no table: nothing for the tenant filter to check.
        db.session.execute(text("SELECT 1").execution_options(scope_checked=True))
        return "ok"
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("readiness: database unavailable: %s", error)
        return "unavailable"


def _redis_check() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        Redis.from_url(url, socket_timeout=READY_TIMEOUT_SECONDS,
                       socket_connect_timeout=READY_TIMEOUT_SECONDS).ping()
        return "ok"
    except RedisError as error:
        current_app.logger.warning("readiness: redis unavailable: %s", error)
        return "unavailable"


def current_request_id() -> str:
    """The id of the request being served, or "-" outside a request (a job, a command)."""
    return g.get("request_id", "-") if has_request_context() else "-"


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every log record, for the formatter (unless the call gave one: gunicorn's access line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


def json_formatter() -> JsonFormatter:
    """One JSON object per line: time, level, logger, message, request id, then any extra fields."""
    return JsonFormatter(list(LOG_FIELDS), rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def log_as_json_lines(level: str = "INFO") -> None:
    """Send the root logger's records to stderr as JSON lines (once, however many apps are made)."""
    root = logging.getLogger()
    if any(getattr(handler, "json_lines", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.json_lines = True
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    root.handlers = [handler]
    root.setLevel(level)


def init_ops(app: Flask) -> None:
    app.register_blueprint(bp)
    if app.config.get("LOG_FORMAT") == "json":
        log_as_json_lines(app.config.get("LOG_LEVEL", "INFO"))
        # Flask's own handler would print each line a second time, as text.
        app.logger.handlers.clear()

    @app.before_request
    def take_or_make_request_id():
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if _SANE_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response):
        response.headers[REQUEST_ID_HEADER] = current_request_id()
        return response
