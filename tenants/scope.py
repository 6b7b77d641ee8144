"""The districts a request or a job may read and write.

The scope lives in a context variable: set once when a request starts (from the
signed-in user) or when a job starts (from the ids it was given), read by the
session guard below every query. Nothing carries over from one request or job
to the next: with no scope entered, no tenant row is visible.
"""
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass


class TenantWriteRefused(PermissionError):
    """A write aimed at a district outside the write scope."""


@dataclass(frozen=True)
class Scope:
    """What one user (or job) may reach. `None` means every district.

    `supported` are the districts where this user is on the support team (a lead,
    their director, an admin): they log visits there and read internal notes.
    """

    user_id: int | None
    readable: frozenset[int] | None
    writable: frozenset[int] | None
    label: str = ""
    supported: frozenset[int] | None = frozenset()

    def can_read(self, district_id: int | None) -> bool:
        return self.readable is None or district_id in self.readable

    def can_write(self, district_id: int | None) -> bool:
        return self.writable is None or district_id in self.writable

    def supports(self, district_id: int | None) -> bool:
        return self.can_write(district_id) and (self.supported is None or district_id in self.supported)

    @property
    def unrestricted(self) -> bool:
        return self.readable is None


NOTHING = Scope(user_id=None, readable=frozenset(), writable=frozenset(), label="signed out")

_current: ContextVar[Scope] = ContextVar("tenant_scope", default=NOTHING)


def current_scope() -> Scope:
    return _current.get()


def enter(scope: Scope) -> Token:
    """Make `scope` current until `leave` is called with the token."""
    return _current.set(scope)


def leave(token: Token) -> None:
    _current.reset(token)


@contextmanager
def entered(scope: Scope):
    token = enter(scope)
    try:
        yield scope
    finally:
        leave(token)


def system_scope(reason: str) -> Scope:
    """Every district, for the platform itself (command line, migrations, demo data)."""
    return Scope(user_id=None, readable=None, writable=None, label=f"system: {reason}", supported=None)
