"""People and their role grants (platform-wide tables)."""
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from tenants.base import Id
from tenants.models import District, Region, enum_check
from tenants.roles import Role


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    grants: Mapped[list["RoleGrant"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def credentials_fingerprint(self) -> str:
        """Changes with the password hash or the email: retires the links and sessions made before."""
        material = f"{self.password_hash or ''}\n{self.email.lower()}"
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def get_id(self) -> str:
        """What a session remembers: a new password (or email) signs every other session out."""
        return f"{self.id}:{self.credentials_fingerprint}"

    def has_role(self, role: Role) -> bool:
        return any(grant.role == role for grant in self.grants)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ApiToken(db.Model):
    """A personal token for the JSON API; only its SHA-256 is stored.

    It works until `expires_at` (UTC), until revoked, and only while its person's credentials are
    those it was issued for (`issued_for`): a new password or email ends it, whatever changed them.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime]
    # A read-only token reads what its person may read and is refused every change (403).
    read_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    issued_for: Mapped[str] = mapped_column(String(32))  # User.credentials_fingerprint when issued

    user: Mapped[User] = relationship()


class UserSession(db.Model):
    """A signed-in browser session, so that sign-out, a new password or deactivation ends it on the server.

    The session cookie carries the secret; only its SHA-256 is stored. A session unused for the
    idle lifetime (SESSION_IDLE_HOURS) ends too.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class RoleGrant(db.Model):
    """A role held by a person over everything, one region or one district."""

    __tablename__ = "role_grants"
    __table_args__ = (
        enum_check("role", "role", Role),
        CheckConstraint(
            "(role = 'platform_admin' AND region_id IS NULL AND district_id IS NULL)"
            " OR (role = 'regional_director' AND region_id IS NOT NULL AND district_id IS NULL)"
            " OR (role NOT IN ('platform_admin', 'regional_director')"
            " AND district_id IS NOT NULL AND region_id IS NULL)",
            name="scope_matches_role",
        ),
        CheckConstraint("NOT sees_evaluations OR role = 'district_leader'", name="sees_evaluations_is_a_leaders"),
        UniqueConstraint("user_id", "role", "region_id", "district_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(String(30))
    region_id: Mapped[int | None] = mapped_column(Id, ForeignKey("regions.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(Id, ForeignKey("districts.id"), index=True)
    # How the district knows this person: superintendent, principal, accountability monitor...
    title: Mapped[str | None] = mapped_column(String(120))
    # A district leader granted this (the superintendent) reads every evaluation of the district's principals
    # (tenants/personnel.py); no other grant may carry it.
    sees_evaluations: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    user: Mapped[User] = relationship(back_populates="grants")
    region: Mapped[Region | None] = relationship()
    district: Mapped[District | None] = relationship()

    def __str__(self) -> str:
        where = self.district or self.region or "everything"
        return f"{Role(self.role).label} · {where}"
