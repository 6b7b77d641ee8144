"""Regions and districts: the tenant itself, and the regions that group them."""
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from tenants.base import TENANT_TABLE, Id, Tenanted
from tenants.database import db


class AccountabilityStatus(StrEnum):
    """The state's accountability categories (MA_ACCOUNTABILITY.md), for districts and schools."""

    FOCUSED_TARGETED = "focused_targeted_support"
    BROAD_COMPREHENSIVE = "broad_comprehensive_support"
    SCHOOL_OF_RECOGNITION = "school_of_recognition"
    MEETING_TARGETS = "meeting_targets"
    PARTIALLY_MEETING_TARGETS = "partially_meeting_targets"
    INSUFFICIENT_DATA = "insufficient_data"

    @property
    def label(self) -> str:
        return ACCOUNTABILITY_LABELS[self]

    @property
    def requires_assistance(self) -> bool:
        return self in (AccountabilityStatus.FOCUSED_TARGETED, AccountabilityStatus.BROAD_COMPREHENSIVE)


ACCOUNTABILITY_LABELS = {
    AccountabilityStatus.FOCUSED_TARGETED: "Requiring assistance: focused/targeted support",
    AccountabilityStatus.BROAD_COMPREHENSIVE: "Requiring intervention: broad/comprehensive support",
    AccountabilityStatus.SCHOOL_OF_RECOGNITION: "School of recognition",
    AccountabilityStatus.MEETING_TARGETS: "Meeting targets",
    AccountabilityStatus.PARTIALLY_MEETING_TARGETS: "Partially meeting targets",
    AccountabilityStatus.INSUFFICIENT_DATA: "Insufficient data",
}


class ReportingInterval(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Lifecycle(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    ARCHIVED = "archived"


def enum_check(name: str, column: str, values) -> CheckConstraint:
    """A CHECK that keeps a string column inside an enum, on every database."""
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class Region(db.Model):
    """A group of districts served by one regional director's team (platform-wide)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    districts: Mapped[list["District"]] = relationship(back_populates="region", order_by="District.name")

    def __str__(self) -> str:
        return self.name


class District(Tenanted, db.Model):
    """A client school district: the tenant. Its own id is its district_id."""

    __tablename__ = "districts"
    __table_args__ = (
        enum_check("accountability_status", "accountability_status", AccountabilityStatus),
        enum_check("lifecycle", "lifecycle", Lifecycle),
        enum_check("reporting_interval", "reporting_interval", ReportingInterval),
        {"info": {TENANT_TABLE: True}},
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    district_id = synonym("id")
    region_id: Mapped[int] = mapped_column(Id, ForeignKey("regions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(60), default="Public School District")
    city: Mapped[str | None] = mapped_column(String(120))
    accountability_status: Mapped[AccountabilityStatus] = mapped_column(
        String(40), default=AccountabilityStatus.INSUFFICIENT_DATA
    )
    enrollment: Mapped[int | None]
    lifecycle: Mapped[Lifecycle] = mapped_column(String(20), default=Lifecycle.ONBOARDING)
    # Kept by the refresh_school_count job, so that lists of many districts need no count.
    school_count: Mapped[int] = mapped_column(default=0)
    # The state directory's id, so that a re-import updates instead of duplicating.
    directory_id: Mapped[int | None] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Improvement plan settings: how often a status report is made, and after how many days with no
    # progress update an action not done counts against plan health. Server defaults, because the
    # directory import and the state-scale demo insert districts below the ORM.
    reporting_interval: Mapped[ReportingInterval] = mapped_column(
        String(20), default=ReportingInterval.QUARTERLY, server_default=ReportingInterval.QUARTERLY.value)
    stale_after_days: Mapped[int] = mapped_column(default=30, server_default="30")

    region: Mapped[Region] = relationship(back_populates="districts", lazy="joined", innerjoin=True)

    @property
    def status(self) -> AccountabilityStatus:
        return AccountabilityStatus(self.accountability_status)

    def __str__(self) -> str:
        return self.name
