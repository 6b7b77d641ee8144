"""Reading the audit trail."""
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db


def audit_trail(row) -> list[AuditEvent]:
    """The recorded changes of one row, oldest first (within the current scope)."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == type(row).__name__, AuditEvent.object_id == str(row.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    ))
