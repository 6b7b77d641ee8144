"""The districts a request or a job may read and write.

The scope lives in a context variable: set once when a request starts (from the
signed-in user) or when a job starts (from the ids it was given), read by the
session guard below every query. Nothing carries over from one request or job
to the next: with no scope entered, no tenant row is visible.
"""
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass

from tenants.roles import Team


class TenantWriteRefused(PermissionError):
    """A write aimed at a district outside the write scope."""


@dataclass(frozen=True)
class Scope:
    """What one user (or job) may reach. `None` means every district.

    `writable` are the districts whose rows this user may write at all (the walls below the views check it).
    Within them, roles differ:

    - `supported`: where this user is on the support team (a lead, their director, an admin): they log
      visits there and read the support team's internal notes;
    - `staffed`: where this user is district staff (a district leader, a school supervisor): they log
      visits there and read the district's own internal notes;
    - `field_only`: where this user writes field work only (a school supervisor): visits, observations
      and follow-ups, never the district's records (its plan, schools, goals, supports).

    Beside the districts, personnel records (`tenants/personnel.py`): `user_id` reads those about them or
    kept by them, and every one of the districts in `evaluations_of` (a superintendent granted "sees
    evaluations"; None for the platform itself). Reaching a district gives none of them, a platform admin's
    "every district" included.
    """

    user_id: int | None
    readable: frozenset[int] | None
    writable: frozenset[int] | None
    label: str = ""
    supported: frozenset[int] | None = frozenset()
    staffed: frozenset[int] | None = frozenset()
    field_only: frozenset[int] = frozenset()
    evaluations_of: frozenset[int] | None = frozenset()

    def can_read(self, district_id: int | None) -> bool:
        return self.readable is None or district_id in self.readable

    def can_write(self, district_id: int | None) -> bool:
        return self.writable is None or district_id in self.writable

    def edits(self, district_id: int | None) -> bool:
        """Changes the district's records (plan, schools, goals, supports), not only its field work."""
        return self.can_write(district_id) and district_id not in self.field_only

    def supports(self, district_id: int | None) -> bool:
        return self.can_write(district_id) and (self.supported is None or district_id in self.supported)

    def staffs(self, district_id: int | None) -> bool:
        return self.can_write(district_id) and (self.staffed is None or district_id in self.staffed)

    def logs_visits(self, district_id: int | None) -> bool:
        """Logs visits and observations in the district: its support team and its own staff."""
        return self.supports(district_id) or self.staffs(district_id)

    def on_team(self, team: str, district_id: int | None) -> bool:
        """Whether this person is on `team`  in the district: that team changes its own
        field work (a visit and its observations) and reads its internal notes."""
        return self.supports(district_id) if team == Team.SUPPORT else self.staffs(district_id)

    def team_in(self, district_id: int | None) -> Team | None:
        """The team whose work a visit this person logs in the district is: the support team's when they are on
        both (a lead who is also granted a district role), None when they log none."""
        if self.supports(district_id):
            return Team.SUPPORT
        return Team.DISTRICT if self.staffs(district_id) else None

    def narrowed_to(self, district_ids: frozenset[int], label: str) -> "Scope":
        """This scope within `district_ids` only: never wider, the same roles in each district."""
        def within(ids):
            return district_ids if ids is None else ids & district_ids
        return Scope(user_id=self.user_id, readable=within(self.readable), writable=within(self.writable),
                     label=label, supported=within(self.supported), staffed=within(self.staffed),
                     field_only=self.field_only & district_ids, evaluations_of=within(self.evaluations_of))

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
    return Scope(user_id=None, readable=None, writable=None, label=f"system: {reason}", supported=None, staffed=None,
                 evaluations_of=None)
