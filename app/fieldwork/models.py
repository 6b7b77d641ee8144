"""Supports, visits and observations.

Platform-wide catalogs: `SupportType`, `Rubric` with its `LookFor` items.
Tenant data, keyed by (district_id, id): `SupportAssignment`, `Visit`,
`VisitSupport` (the supports a visit served), `VisitObserver` (the people who
observed beside its author), `Observation` and `Rating`.
References between tenant rows go through district_id, so they never cross districts;
they are read-only relationships, and services set the ids.
"""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, and_, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.accounts.models import User
from app.districts.models import School
from app.extensions import db
from tenants.base import Id, TenantScoped, tenant_foreign_key, tenant_table_args
from tenants.models import enum_check
from tenants.roles import Team


class AssignmentStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class VisitKind(StrEnum):
    FORMAL = "formal"
    INFORMAL = "informal"
    VIRTUAL = "virtual"


class SupportType(db.Model):
    """A kind of support in the catalog: direct coaching, data inquiry, ..."""

    __tablename__ = "support_types"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name


class Rubric(db.Model):
    """A classroom observation instrument; a rubric with ratings is never edited, only versioned."""

    __tablename__ = "rubrics"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(default=1)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=4)
    # "1=Not yet, 2=Beginning, 3=Developing, 4=Established": what each point of the scale means.
    scale_labels: Mapped[str | None] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # When "New version" replaced it (UTC): captures made before then may still be rated on it.
    retired_at: Mapped[datetime | None]

    look_fors: Mapped[list["LookFor"]] = relationship(
        back_populates="rubric", order_by="LookFor.position", cascade="all, delete-orphan"
    )

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def label_for(self, value: int) -> str:
        labels = dict(part.split("=", 1) for part in (self.scale_labels or "").split(", ") if "=" in part)
        return labels.get(str(value), str(value))

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class LookFor(db.Model):
    """One thing an observer looks for in a classroom, rated on the rubric's scale."""

    __tablename__ = "look_fors"
    __table_args__ = (UniqueConstraint("rubric_id", "position"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    rubric_id: Mapped[int] = mapped_column(Id, ForeignKey("rubrics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # The look-for of the previous version this one was copied from: one series across versions, for trends.
    carried_from_id: Mapped[int | None] = mapped_column(Id, ForeignKey("look_fors.id", ondelete="SET NULL"))

    rubric: Mapped[Rubric] = relationship(back_populates="look_fors")

    def __str__(self) -> str:
        return self.title


class SupportAssignment(TenantScoped, db.Model):
    """A support a lead gives a district (or one of its schools) over a period, with planned hours."""

    __tablename__ = "support_assignments"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("school_id", "schools"),
        enum_check("status", "status", AssignmentStatus),
    )

    school_id: Mapped[int | None] = mapped_column(Id)
    support_type_id: Mapped[int] = mapped_column(Id, ForeignKey("support_types.id"), index=True)
    lead_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"), index=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    planned_hours: Mapped[int]
    status: Mapped[AssignmentStatus] = mapped_column(String(20), default=AssignmentStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    school: Mapped[School | None] = relationship(viewonly=True, lazy="joined")
    support_type: Mapped[SupportType] = relationship(lazy="joined", innerjoin=True)
    lead: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    def __str__(self) -> str:
        return f"{self.support_type.name} · {self.school.name if self.school else 'district-wide'}"

    @property
    def delivered_hours(self) -> float:
        return round(self.delivered_minutes / 60, 2)

    @property
    def delivered_share(self) -> int:
        """Delivered hours as a whole percentage of the planned hours."""
        return round(100 * self.delivered_minutes / (60 * self.planned_hours))


class Visit(TenantScoped, db.Model):
    """A visit to a school or the district office, by the district's support team or its own staff.

    `lead_id` is who conducted it (its author, an assistance lead or a district's supervisor); `team` whose
    work it is, fixed when it is logged: the team that changes it and reads its internal notes."""

    __tablename__ = "visits"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("school_id", "schools"),
        # A retried or offline-queued submission carries the same client UUID and lands once.
        UniqueConstraint("district_id", "client_uuid"),
        enum_check("kind", "kind", VisitKind),
        enum_check("team", "team", Team),
    )

    client_uuid: Mapped[str] = mapped_column(String(36))
    school_id: Mapped[int | None] = mapped_column(Id)
    lead_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"), index=True)
    team: Mapped[Team] = mapped_column(String(20), default=Team.SUPPORT, server_default=Team.SUPPORT.value)
    # The principal coached, when coaching the principal is what the visit was for.
    principal_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id"))
    visited_on: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int]
    kind: Mapped[VisitKind] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(300))
    participants: Mapped[str | None] = mapped_column(String(500))
    shared_notes: Mapped[str | None] = mapped_column(Text)
    # Kept within the support team: who sees it is the visibility book's rule (tenants/visibility.py).
    internal_notes: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    follow_up_done: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    school: Mapped[School | None] = relationship(viewonly=True, lazy="joined")
    lead: Mapped[User] = relationship(lazy="joined", innerjoin=True, foreign_keys=[lead_id])
    principal: Mapped[User | None] = relationship(foreign_keys=[principal_id])
    # As rows, not `secondary=` to users: the tenant filter reaches a table only through a tenant entity.
    observers: Mapped[list["VisitObserver"]] = relationship(viewonly=True, lazy="selectin", order_by="VisitObserver.id")
    supports: Mapped[list[SupportAssignment]] = relationship(
        secondary="visit_supports", viewonly=True, lazy="selectin", order_by="SupportAssignment.id"
    )
    observations: Mapped[list["Observation"]] = relationship(
        viewonly=True, lazy="selectin", order_by="Observation.id"
    )

    @property
    def place(self) -> str:
        return self.school.name if self.school else "District office"

    @property
    def team_label(self) -> str:
        """Whose work it is, in words: "Support team" or "District staff"."""
        return Team(self.team).label

    @property
    def by_district(self) -> bool:
        return self.team == Team.DISTRICT

    @property
    def co_observers(self) -> list[User]:
        """The people who observed beside its author, by name."""
        return sorted((observer.person for observer in self.observers), key=lambda person: person.name)

    @property
    def co_observer_ids(self) -> list[int]:
        return [observer.user_id for observer in self.observers]


class VisitObserver(TenantScoped, db.Model):
    """A person of the platform who observed beside a visit's author (a joint visit): the visit is on their lists
    too, and counts once wherever visits are counted."""

    __tablename__ = "visit_observers"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("visit_id", "visits", ondelete="CASCADE"),
        UniqueConstraint("district_id", "visit_id", "user_id"),
    )

    visit_id: Mapped[int] = mapped_column(Id)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"))

    person: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class VisitSupport(TenantScoped, db.Model):
    """A support a visit served: its minutes count toward that support's delivered hours."""

    __tablename__ = "visit_supports"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("visit_id", "visits", ondelete="CASCADE"),
        tenant_foreign_key("support_assignment_id", "support_assignments"),
        UniqueConstraint("district_id", "visit_id", "support_assignment_id"),
    )

    visit_id: Mapped[int] = mapped_column(Id)
    support_assignment_id: Mapped[int] = mapped_column(Id)


class Observation(TenantScoped, db.Model):
    """A classroom observation inside a visit, rated against a rubric."""

    __tablename__ = "observations"
    __table_args__ = tenant_table_args(tenant_foreign_key("visit_id", "visits", ondelete="CASCADE"))

    visit_id: Mapped[int] = mapped_column(Id)
    rubric_id: Mapped[int] = mapped_column(Id, ForeignKey("rubrics.id"), index=True)
    grade: Mapped[str] = mapped_column(String(4))
    subject: Mapped[str] = mapped_column(String(80))
    minutes: Mapped[int]
    feedback: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    visit: Mapped[Visit] = relationship(viewonly=True, lazy="joined", innerjoin=True)
    rubric: Mapped[Rubric] = relationship(lazy="joined", innerjoin=True)
    ratings: Mapped[list["Rating"]] = relationship(viewonly=True, lazy="selectin", order_by="Rating.look_for_id")


class Rating(TenantScoped, db.Model):
    """One look-for's rating in one observation, with the evidence for it."""

    __tablename__ = "ratings"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("observation_id", "observations", ondelete="CASCADE"),
        UniqueConstraint("district_id", "observation_id", "look_for_id"),
    )

    observation_id: Mapped[int] = mapped_column(Id)
    look_for_id: Mapped[int] = mapped_column(Id, ForeignKey("look_fors.id"), index=True)
    rating: Mapped[int]
    evidence: Mapped[str | None] = mapped_column(Text)

    look_for: Mapped[LookFor] = relationship(lazy="joined", innerjoin=True)


# Derived in SQL, never stored, and loaded only by the queries that ask (`undefer`, as the lists do); a
# column property rather than a per-query expression, so that a row refreshed later still knows how to load it.
SupportAssignment.delivered_minutes = column_property(
    select(func.coalesce(func.sum(Visit.minutes), 0))
    .join(VisitSupport, and_(VisitSupport.district_id == Visit.district_id, VisitSupport.visit_id == Visit.id))
    .where(VisitSupport.district_id == SupportAssignment.district_id,
           VisitSupport.support_assignment_id == SupportAssignment.id)
    .correlate_except(Visit, VisitSupport).scalar_subquery(),
    deferred=True,
)
_ratings = select(Rating).where(Rating.district_id == Observation.district_id, Rating.observation_id == Observation.id)
Observation.average_rating = column_property(
    _ratings.with_only_columns(func.avg(Rating.rating)).correlate_except(Rating).scalar_subquery(), deferred=True)
Observation.rated = column_property(
    _ratings.with_only_columns(func.count()).correlate_except(Rating).scalar_subquery(), deferred=True)
