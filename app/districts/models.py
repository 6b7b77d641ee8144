"""Schools, the clusters a district groups them in, and their leaders: tenant data, keyed by (district_id, id)."""
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import db
from tenants.base import Id, TenantScoped, tenant_foreign_key, tenant_table_args
from tenants.models import AccountabilityStatus, enum_check

GRADES = ("PK", "K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")


class SchoolCluster(TenantScoped, db.Model):
    """A group of a district's schools (a quadrant, a network, a level) with the school supervisor who leads it."""

    __tablename__ = "school_clusters"
    __table_args__ = tenant_table_args(UniqueConstraint("district_id", "name"))

    name: Mapped[str] = mapped_column(String(120))
    supervisor_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id"))

    supervisor: Mapped[User | None] = relationship(lazy="joined")

    def __str__(self) -> str:
        return self.name


class School(TenantScoped, db.Model):
    __tablename__ = "schools"
    __table_args__ = tenant_table_args(
        UniqueConstraint("district_id", "code"),
        UniqueConstraint("district_id", "directory_id"),
        enum_check("accountability_category", "accountability_category", AccountabilityStatus),
        # A school is in at most one cluster: the cluster is a column of the school.
        tenant_foreign_key("cluster_id", "school_clusters"),
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
    cluster_id: Mapped[int | None] = mapped_column(Id)

    cluster: Mapped[SchoolCluster | None] = relationship(viewonly=True)
    leaders: Mapped[list["SchoolLeader"]] = relationship(
        viewonly=True, order_by="(SchoolLeader.position.desc(), SchoolLeader.id)")

    @property
    def principal(self) -> User | None:
        return next((leader.person for leader in self.leaders if leader.position == Position.PRINCIPAL), None)

    @property
    def category(self) -> AccountabilityStatus:
        return AccountabilityStatus(self.accountability_category)

    def __str__(self) -> str:
        return self.name


class Position(StrEnum):
    PRINCIPAL = "principal"
    ASSISTANT_PRINCIPAL = "assistant_principal"

    @property
    def label(self) -> str:
        return "Principal" if self is Position.PRINCIPAL else "Assistant principal"


class SchoolLeader(TenantScoped, db.Model):
    """A person who leads a school: its one principal, or one of its assistant principals.

    They sign in as the district's viewers (a grant of their own); this row says which school they lead."""

    __tablename__ = "school_leaders"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("school_id", "schools", ondelete="CASCADE"),
        UniqueConstraint("district_id", "school_id", "user_id"),
        enum_check("position", "position", Position),
        # One principal per school.
        Index("uq_school_leaders_one_principal", "district_id", "school_id", unique=True,
              postgresql_where=text("position = 'principal'"), sqlite_where=text("position = 'principal'")),
    )

    school_id: Mapped[int] = mapped_column(Id)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"))
    position: Mapped[Position] = mapped_column(String(30), default=Position.PRINCIPAL)

    person: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    school: Mapped[School] = relationship(viewonly=True, lazy="joined", innerjoin=True)

    @property
    def position_label(self) -> str:
        """"Principal" or "Assistant principal"."""
        return Position(self.position).label
