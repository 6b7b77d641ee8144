"""Record every flushed change to tenant rows and role grants as an AuditEvent.

Listening on the session, below every view, job and admin form, so that no
write path can forget it. ORM bulk statements (migrations, the state-scale demo
generator) are not flushes and are not recorded; a bulk writer that must be
audited (the directory import) builds its events with `audit_event`, as this listener does.
"""
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import Column, event, insert, inspect

from app.accounts.models import RoleGrant
from app.audit.models import AuditEvent
from tenants.base import Tenanted
from tenants.personnel import is_personnel
from tenants.scope import current_scope
from tenants.session import TenantSession
from tenants.visibility import is_withheld, recorded_value

# Secrets never go into the trail, not even hashed.
NEVER_RECORDED = frozenset({"password_hash", "token_hash"})


def audited(row) -> bool:
    """Tenant rows and grants; not personnel records (tenants/personnel.py), whose own history
    (`EvaluationEvent`) only their circle reads: the district's trail is read by its leaders and exported."""
    return (isinstance(row, (Tenanted, RoleGrant)) and not isinstance(row, AuditEvent)
            and not is_personnel(row))


@event.listens_for(TenantSession, "after_flush")
def _record_changes(session, flush_context):
    user_id = current_scope().user_id
    events = [
        *(_event(row, "create", user_id) for row in session.new if audited(row)),
        *(_event(row, "update", user_id) for row in session.dirty if audited(row) and session.is_modified(row)),
        *(_event(row, "delete", user_id) for row in session.deleted if audited(row)),
    ]
    events = [e for e in events if e["action"] != "update" or e["changes"]]
    if events:
        session.connection().execute(insert(AuditEvent.__table__), events)


def _event(row, action: str, user_id: int | None) -> dict:
    state = inspect(row)
    changes = {}
    for attr in state.mapper.column_attrs:
        # Derived values (a column_property over a subquery, such as an observation's average rating) are not the
        # row's own: reading one of a deleted row would query for a row that is gone.
        if attr.key in NEVER_RECORDED or not isinstance(attr.expression, Column):
            continue
        history = state.attrs[attr.key].history
        if action == "update":
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
            changes[attr.key] = [_recorded(row, attr.key, before), _recorded(row, attr.key, after)]
        else:
            value = _recorded(row, attr.key, getattr(row, attr.key))
            changes[attr.key] = [None, value] if action == "create" else [value, None]
    return audit_event(state.mapper.class_.__name__, row.id, row.district_id, action, user_id, changes, _label(row))


def audit_event(kind: str, object_id: int, district_id: int, action: str, user_id: int | None, changes: dict,
                label: str | None = None) -> dict:
    """The column values of one AuditEvent, for a bulk insert: `changes` is {column: [before, after]}."""
    return {
        "district_id": district_id,
        "user_id": user_id,
        "action": action,
        "object_type": kind,
        "object_id": str(object_id),
        "summary": f"{kind} {object_id}" + (f": {label}"[:180] if label else ""),
        "changes": changes,
    }


def _label(row) -> str | None:
    """A name for the row from its own columns (loading relationships mid-flush is not safe)."""
    return next((getattr(row, key) for key in ("name", "title", "purpose")
                 if getattr(row, key, None) and not is_withheld(row, key)), None)


def _recorded(row, key: str, value):
    # District people read their district's trail: a field the visibility book withholds is
    # recorded as changed, never with what it says.
    return recorded_value(row, key, _plain(value))


def _plain(value):
    """A value JSON can hold, readable in the trail."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
