"""Test-only: switch the ORM tenant filter off, to prove that row-level security stands alone.

Nothing in the app can reach this: it unhooks `tenants/session.py`'s listeners (the
loader criteria, the flush guard, the Core-statement refusal) and `TenantSession.get`'s
check for the length of a `with` block, and puts them back afterwards. Views keep their
own checks (`require_write`, `get_or_404`); only the wall below them is taken away.
"""
from contextlib import contextmanager

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tenants import session as tenant_session
from tenants.session import TenantSession

LISTENERS = (
    (TenantSession, "do_orm_execute", tenant_session._apply_scope),
    (TenantSession, "before_flush", tenant_session._guard_flush),
    (Engine, "before_execute", tenant_session._refuse_unscoped_core),
)


@contextmanager
def orm_filter_off():
    for target, name, listener in LISTENERS:
        event.remove(target, name, listener)
    scoped_get = TenantSession.get
    TenantSession.get = FlaskSession.get
    try:
        yield
    finally:
        TenantSession.get = scoped_get
        for target, name, listener in LISTENERS:
            event.listen(target, name, listener)
