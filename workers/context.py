"""The context a job runs in: an application context, and the job's own tenant scope.

`create_app` registers its application here (`init_app`, as Flask's Celery pattern does), so that
a job run outside a request (in a `flask worker`, or by RQ's success hook) has one; workers need
nothing of `app` to find it.
"""
from functools import wraps

from flask import Flask, has_app_context

from tenants.scope import NOTHING, entered

_app: Flask | None = None


def init_app(app: Flask) -> None:
    """Jobs that run outside an application context run in this application's."""
    global _app
    _app = app


def job(function=None, *, scope=None):
    """Run inside an application context (the caller's when in-process, the worker's own otherwise) and in the
    job's own scope: `scope(*args, **kwargs)`, a constructor of `tenants.scopes` or `tenants.access`.

    The job starts from no scope, so nothing carries over from the request that ran it in-process (no REDIS_URL)
    and it sees the same rows there as under RQ; a job declared without `scope` sees no tenant row.
    """
    if function is None:
        return lambda function: job(function, scope=scope)

    def in_own_scope(args, kwargs):
        with entered(NOTHING), entered(scope(*args, **kwargs) if scope else NOTHING):
            return function(*args, **kwargs)

    @wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return in_own_scope(args, kwargs)
        if _app is None:
            raise RuntimeError("No application for jobs: start workers with `flask worker` (create_app registers it).")
        with _app.app_context():
            return in_own_scope(args, kwargs)

    return run
