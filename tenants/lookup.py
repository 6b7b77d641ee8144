"""Helpers for views and jobs on top of the automatic filter.

`get_or_404` turns "not in scope" into 404 (never another district's data);
`require_write` answers 404 for a district out of reach and 403 for one that
may only be read; `cross_district_reads` is the one permission-checked door
for reads across districts (rollups).
"""
from contextlib import contextmanager

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from tenants.access import can_assign_supports, can_view_rollups, rollup_district_ids
from tenants.database import db
from tenants.models import District
from tenants.roles import Team
from tenants.scope import Scope, current_scope, entered


def get_or_404(model, **keys):
    """The one row matching `keys` within the current scope, or 404."""
    row = db.session.scalars(select(model).filter_by(**keys)).one_or_none()
    if row is None:
        abort(404)
    return row


def district_or_404(slug: str):
    """The district a tenant URL names, if it is in the current scope."""
    return get_or_404(District, slug=slug)


def require_write(district_id: int) -> None:
    """Changing the district's records (plan, schools, goals): 404 out of reach, 403 for a reader or a person who
    writes field work only (a school supervisor)."""
    scope = current_scope()
    if not scope.can_read(district_id):
        abort(404)
    if not scope.edits(district_id):
        abort(403, "Your role in this district is read only." if not scope.can_write(district_id)
              else "Your role in this district logs visits and observations; its records are its leaders'.")


def can_write(district_id: int) -> bool:
    """Whether the current person changes the district's records (what `require_write` lets through)."""
    return current_scope().edits(district_id)


def on_support_team(district_id: int) -> bool:
    """Leads of the district, their director, admins: they assign the district's supports."""
    return current_scope().supports(district_id)


def logs_visits(district_id: int) -> bool:
    """The district's support team and its own staff (leaders, school supervisors) log visits and observations."""
    return current_scope().logs_visits(district_id)


def require_field_team(district_id: int) -> None:
    """404 out of reach, 403 for those who read the district's field work but do not log it (its viewers)."""
    scope = current_scope()
    if not scope.can_read(district_id):
        abort(404)
    if not scope.logs_visits(district_id):
        abort(403, "Visits and observations are logged by the district's support team and its own staff.")


def on_team(district_id: int, team: str) -> bool:
    """Whether the current person is on `team` in the district: that team changes its own field work."""
    return current_scope().on_team(team, district_id)


def require_team(district_id: int, team: str) -> None:
    """Changing one team's field work (a visit, its observations, its follow-up): 404 out of reach, 403 for
    everyone not on that team in the district (the other team reads it)."""
    require_field_team(district_id)
    if not current_scope().on_team(team, district_id):
        abort(403, f"This is the {Team(team).label.lower()}'s work: its own team changes it.")


def require_assigner(district) -> None:
    require_write(district.id)
    if not can_assign_supports(current_user, district):
        abort(403, "Leads and supports are assigned by the regional director or a platform admin.")


@contextmanager
def cross_district_reads(user=None, region_ids=None):
    """Read several districts side by side, for those allowed rollups; read only."""
    user = user or current_user
    if not can_view_rollups(user):
        abort(403, "Cross-district figures are for regional directors and platform admins.")
    district_ids = rollup_district_ids(user, region_ids)
    scope = Scope(user_id=user.id, readable=district_ids, writable=frozenset(), label="cross-district reads")
    with entered(scope):
        yield district_ids
