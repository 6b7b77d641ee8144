"""Reading the audit trail."""
from datetime import UTC, date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.audit.words import kind_in_words
from app.clock import state_zone
from app.extensions import db


def audit_trail(row) -> list[AuditEvent]:
    """The recorded changes of one row, oldest first (within the current scope)."""
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == type(row).__name__, AuditEvent.object_id == str(row.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    ))


PAGE_SIZE = 50


def audit_events(filters: dict, page: int = 1) -> Pagination:
    """One page (`db.paginate`, PAGE_SIZE rows) of recorded changes, newest first, within the current scope.

    `filters` may name a district, a person, an object type (and id) and a date range (days on the state's clock).
    """
    query = select(AuditEvent)
    if filters.get("district_id"):
        query = query.where(AuditEvent.district_id == filters["district_id"])
    if filters.get("person"):
        query = query.where(AuditEvent.user_id == filters["person"])
    if filters.get("object_type"):
        query = query.where(AuditEvent.object_type == filters["object_type"])
    if filters.get("object_id"):
        query = query.where(AuditEvent.object_id == filters["object_id"])
    if filters.get("start"):
        query = query.where(AuditEvent.at >= _stored_midnight(filters["start"]))
    if filters.get("end"):
        query = query.where(AuditEvent.at < _stored_midnight(filters["end"] + timedelta(days=1)))
    return db.paginate(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), page=page, per_page=PAGE_SIZE,
                       error_out=False)


def _stored_midnight(on: date) -> datetime:
    """The start of a day in the state, as `at` is stored (naive UTC)."""
    return datetime.combine(on, time.min, tzinfo=state_zone()).astimezone(UTC).replace(tzinfo=None)


def audit_filter_choices(district_id: int | None) -> dict:
    """The people and kinds of record (in words) that appear in the trail (of one district, or all in scope)."""
    where = [AuditEvent.district_id == district_id] if district_id else []
    people = db.session.execute(
        select(User.id, User.name).join(AuditEvent, AuditEvent.user_id == User.id).where(*where).distinct().order_by(User.name))
    kinds = db.session.scalars(select(AuditEvent.object_type).where(*where).distinct().order_by(AuditEvent.object_type))
    kinds = sorted(((k, kind_in_words(k)) for k in kinds), key=lambda choice: choice[1])
    return {"people": [(i, n) for i, n in people], "object_types": kinds}

