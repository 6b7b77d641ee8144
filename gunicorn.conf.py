"""gunicorn in production: `gunicorn -c gunicorn.conf.py wsgi:app`, every value overridable from the environment.

Workers are sync processes, (2 x cores) + 1 by default: a request mostly waits on PostgreSQL, and nginx in
front buffers slow clients. Long work (imports, reports, mail) runs in `flask worker`, never in a request,
so a request still running after TIMEOUT seconds is stuck and its worker is replaced.
"""
import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
timeout = int(os.environ.get("TIMEOUT", "30"))
# A deploy's SIGTERM lets requests in flight finish for this long.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", "20"))
# nginx keeps connections to us open between requests.
keepalive = 5
# Recycle a worker now and then, staggered, so that a slow leak never takes all of them at once.
max_requests = 1000
max_requests_jitter = 100
# Each worker opens its own database pool after the fork, never sharing the master's sockets.
preload_app = False

# Access and error logs as JSON lines on stderr (journald or the container keeps them), with the request id.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


class JsonAccessLogger(Logger):
    """One JSON line per request: method, path, status, bytes, duration and the app's X-Request-ID."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info("%s %s %s", atoms["m"], atoms["U"], atoms["s"], extra={
            "request_id": atoms.get("{x-request-id}o", "-"),
            "remote_addr": atoms["h"], "method": atoms["m"], "path": atoms["U"], "query": atoms["q"],
            "status": atoms["s"], "bytes": atoms["B"], "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_agent": atoms["a"],
        })


logger_class = JsonAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.ops.json_formatter"}},
    "filters": {"request_id": {"()": "app.ops.RequestIdFilter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"],
                            "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": loglevel.upper()},
}
