"""The tenant scope, applied below the views to every ORM query and write.

Closes the holes of SQLAlchemy's "global WHERE criteria" recipe (DESIGN.md):

- aliases: the criteria is added with `include_aliases=True`;
- ORM bulk UPDATE and DELETE: filtered to the *write* scope; bulk INSERT and
  UPDATE that name a `district_id` are checked against it;
- flush INSERT/UPDATE/DELETE: guarded in `before_flush`;
- `Session.get` answering from the identity map without SQL: checked here;
- Core statements on tenant tables (`Connection.execute`, `select(table)`,
  `text()`), which the criteria never sees: refused in a restricted scope
  unless the caller states that it filtered by scope (`scope_checked=True`);
- the criteria lambda is cached per class: the district ids are computed
  outside it and captured as a bound parameter (one array on PostgreSQL),
  never baked into SQL; a statement kept and run again (`REUSED_STATEMENT`)
  keeps its scoped copy per set of districts, never one scope's for another.
"""
from contextvars import ContextVar
from functools import lru_cache

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import any_, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import with_loader_criteria
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.util import find_tables

from tenants.base import TENANT_TABLE, Tenanted
from tenants.scope import TenantWriteRefused, current_scope

SCOPE_APPLIED = "tenant_scope_applied"
SCOPE_CHECKED = "scope_checked"
# An execution option of statements built once and kept (the regional dashboard's): see `_scoped_once`.
REUSED_STATEMENT = "tenant_reused_statement"

# True while this context flushes: flush statements are Core, and guarded in before_flush.
_flushing: ContextVar[bool] = ContextVar("tenant_flushing", default=False)


class ScopeBypassRefused(PermissionError):
    """A statement that the tenant filter cannot see, run in a restricted scope."""


class TenantSession(FlaskSession):
    """Flask-SQLAlchemy's session, with `get` held to the read scope."""

    def get(self, entity, ident, **kwargs):
        found = super().get(entity, ident, **kwargs)
        if isinstance(found, Tenanted) and not current_scope().can_read(found.district_id):
            return None
        return found

    def get_one(self, entity, ident, **kwargs):
        found = self.get(entity, ident, **kwargs)
        if found is None:
            raise NoResultFound("No row was found when one was required")
        return found


@event.listens_for(TenantSession, "do_orm_execute")
def _apply_scope(state):
    scope = current_scope()
    if state.is_select:
        district_ids = scope.readable
    elif state.is_update or state.is_delete:
        district_ids = scope.writable
        _refuse_foreign_values(state, scope)
    elif state.is_insert:
        _refuse_foreign_values(state, scope)
        state.update_execution_options(**{SCOPE_APPLIED: True})
        return
    else:
        return
    state.update_execution_options(**{SCOPE_APPLIED: True})
    if district_ids is None:
        return
    allowed = tuple(sorted(district_ids))
    on_postgresql = state.session.get_bind().dialect.name == "postgresql"
    scoping = _scoped_once if state.execution_options.get(REUSED_STATEMENT) else _scoped
    state.statement = scoping(state.statement, allowed, on_postgresql)


def _scoped(statement, allowed: tuple, on_postgresql: bool):
    """The statement with the tenant criteria for these districts."""
    if on_postgresql:
        # One array parameter, not one per district: the statement's text (so its compiled and prepared
        # forms) stays the same for any number of districts, and 520 ids cost one value to send and parse.
        ids = list(allowed)
        criteria = lambda cls: cls.district_id == any_(ids)  # noqa: E731
    else:
        criteria = lambda cls: cls.district_id.in_(allowed)  # noqa: E731
    return statement.options(with_loader_criteria(Tenanted, criteria, include_aliases=True))


@lru_cache(maxsize=1024)
def _scoped_once(statement, allowed: tuple, on_postgresql: bool):
    """`_scoped`, kept per statement and districts for statements built once and run again and again
    (`REUSED_STATEMENT`): SQLAlchemy then walks the scoped statement for its cache key once, not at every run."""
    return _scoped(statement, allowed, on_postgresql)


def _refuse_foreign_values(state, scope) -> None:
    """Refuse a bulk INSERT or UPDATE that writes a district_id outside the write scope."""
    rows = state.parameters
    rows = rows if isinstance(rows, list) else [rows or {}]
    written = [row["district_id"] for row in rows if "district_id" in row]
    # .values(district_id=...) on the statement; `_values` is SQLAlchemy's own record of them.
    for column, value in (getattr(state.statement, "_values", None) or {}).items():
        if getattr(column, "key", column) == "district_id":
            written.append(getattr(value, "value", value))
    for district_id in written:
        if not scope.can_write(district_id):
            raise TenantWriteRefused(f"writing rows of district {district_id} is outside this scope")


@event.listens_for(TenantSession, "before_flush")
def _guard_flush(session, flush_context, instances):
    scope = current_scope()
    if scope.writable is None:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(row, Tenanted):
            continue
        for district_id in _districts_touched(row):
            if not scope.can_write(district_id):
                raise TenantWriteRefused(
                    f"{type(row).__name__} of district {district_id} is outside this scope"
                )
    _flushing.set(True)


@event.listens_for(TenantSession, "after_flush_postexec")
def _flush_done(session, flush_context):
    _flushing.set(False)


@event.listens_for(TenantSession, "after_soft_rollback")
def _flush_failed(session, previous_transaction):
    _flushing.set(False)


def _districts_touched(row) -> set:
    """The district a row is written to, and the one it leaves if it moves."""
    district_id = row.district_id
    if district_id is None and getattr(row, "district", None) is not None:
        district_id = row.district.id
    touched = {district_id}
    history = inspect(row).attrs.district_id.history
    touched.update(history.deleted or ())
    return touched


@event.listens_for(Engine, "before_execute")
def _refuse_unscoped_core(conn, clause, multiparams, params, execution_options):
    scope = current_scope()
    if scope.unrestricted or _flushing.get():
        return
    options = {**conn.get_execution_options(), **execution_options}
    if options.get(SCOPE_APPLIED) or options.get(SCOPE_CHECKED):
        return
    if isinstance(clause, TextClause) or _names_tenant_table(clause):
        raise ScopeBypassRefused(
            "a Core or text statement on tenant tables bypasses the tenant filter; "
            "use an ORM query, or filter by current_scope() and pass scope_checked=True"
        )


def _names_tenant_table(clause) -> bool:
    try:
        tables = find_tables(clause, include_aliases=True, include_joins=True, include_crud=True)
    except Exception:  # DDL and other statements that are not queries
        return False
    return any(getattr(table, "info", {}).get(TENANT_TABLE) for table in tables)
