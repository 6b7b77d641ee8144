"""Schools: tenant data, keyed by (district_id, id)."""
from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.base import TenantScoped, tenant_table_args
from tenants.models import AccountabilityStatus, enum_check

GRADES = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")


class School(TenantScoped, db.Model):
    __tablename__ = "schools"
    __table_args__ = tenant_table_args(
        UniqueConstraint("district_id", "code"),
        UniqueConstraint("district_id", "directory_id"),
        enum_check("accountability_category", "accountability_category", AccountabilityStatus),
    )

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20))
    grade_span: Mapped[str] = mapped_column(String(10))
    enrollment: Mapped[int | None]
    accountability_category: Mapped[AccountabilityStatus] = mapped_column(
        String(40), default=AccountabilityStatus.INSUFFICIENT_DATA
    )
    city: Mapped[str | None] = mapped_column(String(120))
    directory_id: Mapped[int | None]

    @property
    def category(self) -> AccountabilityStatus:
        return AccountabilityStatus(self.accountability_category)

    def __str__(self) -> str:
        return self.name
