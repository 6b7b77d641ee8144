from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from tenants.base import TENANT_TABLE, Id, Tenanted


class AuditEvent(Tenanted, db.Model):
    """One recorded change to a row: written by the session on every flush, never edited.

    It belongs to the district of the row it records, so the tenant filter shows
    each district its own history; changes with no district (a regional or admin
    grant) have none and only platform admins see them.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_district_at", "district_id", "at"),
        {"info": {TENANT_TABLE: True}},
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    district_id: Mapped[int | None] = mapped_column(Id, ForeignKey("districts.id"))
    user_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    action: Mapped[str] = mapped_column(String(10))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(String(200))
    changes: Mapped[dict] = mapped_column(JSON)

    user: Mapped[User | None] = relationship(lazy="joined")
