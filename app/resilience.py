"""Surviving a database failover: a read retried once on a lost connection, a write refused honestly.

`pool_pre_ping` (config.py) replaces connections that died while idle in the pool (a restart,
a failover, a terminated backend). This handles the connection lost in the middle of a request:

- GET and HEAD change nothing, so the whole request runs again, once, on a fresh connection;
- any other request is rolled back by PostgreSQL with its connection, so nothing of it was
  saved: it answers 503 with Retry-After, and the client (a person, the offline outbox) sends it
  again; a write that had committed before the connection was lost is never answered with an
  error, since after a commit the next statement checks out (and pings) a connection of its own.
"""
from flask import Flask, request
from sqlalchemy.exc import DBAPIError

from app.errors import refused_by_postgresql, render_error
from app.extensions import db, limiter
from tenants.rls import refused_by_row_security

# Set by the error handler on a read that lost its connection; read by the middleware below.
RETRY_READ = "app.retry_read_on_disconnect"
RETRIED = "app.read_retried"
READS = ("GET", "HEAD")


def init_resilience(app: Flask) -> None:
    # flask-limiter logs the switch to memory when Redis is down on a logger with no handler: say it in the app's log.
    limiter.logger = app.logger

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError):
        if refused_by_row_security(error):
            return refused_by_postgresql(error)
        if not error.connection_invalidated:
            raise error
        db.session.rollback()
        environ = request.environ
        if request.method in READS and not environ.get(RETRIED):
            environ[RETRY_READ] = True
            app.logger.warning("database connection lost during %s %s: running it again", request.method, request.path)
        else:
            app.logger.warning("database connection lost during %s %s: nothing saved, 503", request.method, request.path)
        response = render_error(503, "The database connection was lost and nothing was saved. Try again in a moment.")
        response = app.make_response(response)
        response.headers["Retry-After"] = "1"
        return response

    app.wsgi_app = RetryReadOnDisconnect(app.wsgi_app)


class RetryReadOnDisconnect:
    """WSGI middleware: run a read again, once, when the app says its database connection was lost."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in READS:
            return self.wsgi_app(environ, start_response)
        started = []
        body = self.wsgi_app(environ, lambda *args: started.append(args))
        if environ.pop(RETRY_READ, False):
            if hasattr(body, "close"):
                body.close()
            environ[RETRIED] = True
            return self.wsgi_app(environ, start_response)
        start_response(*started[0])
        return body
