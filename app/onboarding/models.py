"""Import batches: a checked file waiting for confirmation, then the job that applies it (platform table)."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from tenants.base import Id
from tenants.models import District, enum_check


class ImportKind(StrEnum):
    DISTRICT = "district"  # one district's schools and people
    DIRECTORY = "directory"  # the state directory: districts and their schools


class ImportStatus(StrEnum):
    PREVIEWED = "previewed"
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"


class ImportBatch(db.Model):
    """Rows checked at upload, kept here so that the job applies exactly what the admin confirmed."""

    __tablename__ = "import_batches"
    __table_args__ = (
        enum_check("kind", "kind", ImportKind),
        enum_check("status", "status", ImportStatus),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(String(20))
    district_id: Mapped[int | None] = mapped_column(Id, ForeignKey("districts.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    source: Mapped[str] = mapped_column(String(300))
    status: Mapped[ImportStatus] = mapped_column(String(20), default=ImportStatus.PREVIEWED)
    rows: Mapped[dict] = mapped_column(JSON)
    row_count: Mapped[int]
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]

    district: Mapped[District | None] = relationship()
    created_by: Mapped[User] = relationship()
