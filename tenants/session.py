"""The tenant scope, applied below the views to every ORM query and write.

Closes the holes of SQLAlchemy's "global WHERE criteria" recipe (DESIGN.md):

- aliases: the criteria is added with `include_aliases=True`;
- ORM bulk UPDATE and DELETE: filtered to the *write* scope; bulk INSERT and
  UPDATE that name a `district_id` are checked against it;
- flush INSERT/UPDATE/DELETE: guarded in `before_flush`;
- `Session.get` answering from the identity map without SQL: checked here;
- Core statements on tenant tables, which the criteria never sees: through
  the session (`update(School.__table__)`, `select(School.__table__.c.name)`,
  `select(...).select_from(text("schools"))`, SQL in a literal column) a
  statement is marked scoped only when the criteria reaches every tenant table
  in it, and refused (`ScopeBypassRefused`) otherwise; an INSERT must name the
  district of every row; through `Connection.execute` any statement naming a
  tenant table, and any `text()`, is refused. Both in a restricted scope only,
  and unless the caller states that it filtered by scope (`scope_checked=True`);
- the criteria lambda is cached per class: the district ids are computed
  outside it and captured as a bound parameter (`= :id` for one district, one
  array on PostgreSQL for more), never baked into SQL; a statement kept and run again (`REUSED_STATEMENT`)
  keeps its scoped copy per set of districts, never one scope's for another.
"""
import re
from contextvars import ContextVar
from functools import lru_cache

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import any_, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute, with_loader_criteria
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.sql.dml import Delete, Update
from sqlalchemy.sql.elements import BindParameter, ClauseElement, ColumnClause, TextClause
from sqlalchemy.sql.selectable import Select, TableClause
from sqlalchemy.sql.util import find_tables

from tenants.base import TENANT_TABLE, Tenanted
from tenants.personnel import (
    PersonnelRecord,
    PersonnelRecordPart,
    circle_criteria,
    is_personnel,
    may_read_record,
    refuse_records_outside_circle,
)
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
        if isinstance(found, PersonnelRecord) and not may_read_record(current_scope(), found):
            return None
        if isinstance(found, PersonnelRecordPart) and self.get(
                PersonnelRecord._record_class, (found.district_id, found.cycle_id)) is None:
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
    elif state.is_update or state.is_delete or state.is_insert:
        district_ids = scope.writable
        _refuse_foreign_values(state, scope)
    else:
        return
    if district_ids is not None and not state.execution_options.get(SCOPE_CHECKED):
        kept = state.execution_options.get(REUSED_STATEMENT)
        unreached = (_unreached_once if kept else _unreached)(state.statement, _is_tenant_insert(state))
        if unreached:
            raise ScopeBypassRefused(
                f"the tenant filter cannot reach {unreached} in this statement; use ORM entities "
                "(School, not School.__table__; no text() or SQL in literal columns), or filter by "
                "current_scope() and pass scope_checked=True"
            )
    state.update_execution_options(**{SCOPE_APPLIED: True})
    if state.is_insert:
        return
    if district_ids is not None:
        allowed = tuple(sorted(district_ids))
        on_postgresql = state.session.get_bind().dialect.name == "postgresql"
        scoping = _scoped_once if state.execution_options.get(REUSED_STATEMENT) else _scoped
        state.statement = scoping(state.statement, allowed, on_postgresql)
    circle = circle_criteria(scope)
    if circle is not None:
        # The second dimension (tenants/personnel.py): personnel records only within the reader's circle.
        record_criteria, part_criteria = circle
        state.statement = state.statement.options(
            with_loader_criteria(PersonnelRecord, record_criteria, include_aliases=True),
            with_loader_criteria(PersonnelRecordPart, part_criteria, include_aliases=True))


def _scoped(statement, allowed: tuple, on_postgresql: bool):
    """The statement with the tenant criteria for these districts."""
    if len(allowed) == 1:
        # One district (most requests): `= :id`, which PostgreSQL carries along the join's equalities of
        # district_id instead of counting each table's test as a further filter (an ANY on every table of a
        # join multiplies their selectivities: the planner expects one row and picks a nested loop).
        (district_id,) = allowed
        criteria = lambda cls: cls.district_id == district_id
    elif on_postgresql:
        # One array parameter, not one per district: the statement's text (so its compiled and prepared
        # forms) stays the same for any number of districts, and 520 ids cost one value to send and parse.
        ids = list(allowed)
        criteria = lambda cls: cls.district_id == any_(ids)
    else:
        criteria = lambda cls: cls.district_id.in_(allowed)
    return statement.options(with_loader_criteria(Tenanted, criteria, include_aliases=True))


@lru_cache(maxsize=1024)
def _scoped_once(statement, allowed: tuple, on_postgresql: bool):
    """`_scoped`, kept per statement and districts for statements built once and run again and again
    (`REUSED_STATEMENT`): SQLAlchemy then walks the scoped statement for its cache key once, not at every run."""
    return _scoped(statement, allowed, on_postgresql)


def _refuse_foreign_values(state, scope) -> None:
    """Refuse a bulk INSERT or UPDATE that writes a district_id outside the write scope.

    Raises `TenantWriteRefused` for a district outside the write scope, and `ScopeBypassRefused`
    (in a restricted write scope) for a district_id given as SQL, or an INSERT into a tenant table
    with a row that names no district: where such a row lands, nothing here can tell.
    """
    statement = state.statement
    rows = state.parameters
    rows = rows if isinstance(rows, list) else [rows or {}]
    # .values(...) on the statement, one row or many; `_values` and `_multi_values` are SQLAlchemy's record of them.
    stated = dict(getattr(statement, "_values", None) or {})
    many = [row for rows_given in getattr(statement, "_multi_values", None) or () for row in rows_given]
    named = [_by_name(row, statement) for row in many]
    rows = [{**_by_name(stated, statement), **row} for row in named or rows]
    restricted = scope.writable is not None and not state.execution_options.get(SCOPE_CHECKED)
    if restricted and _is_tenant_insert(state) and getattr(statement, "select", None) is not None:
        raise ScopeBypassRefused("an INSERT ... SELECT into a tenant table cannot be checked row by row")
    for row in rows:
        if "district_id" not in row:
            if restricted and _is_tenant_insert(state):
                raise ScopeBypassRefused("an INSERT into a tenant table must name the district of every row")
            continue
        district_id = row["district_id"]
        if isinstance(district_id, BindParameter):
            district_id = district_id.value
        elif isinstance(district_id, ClauseElement):
            if restricted:
                raise ScopeBypassRefused("a district_id written as SQL cannot be checked against the scope")
            continue
        if not scope.can_write(district_id):
            raise TenantWriteRefused(f"writing rows of district {district_id} is outside this scope")


def _by_name(values, statement) -> dict:
    """{column name: value} of one row of `.values()`, given by column, by name or (a tuple) by position."""
    if not isinstance(values, dict):
        values = dict(zip(statement.table.columns, values))
    return {getattr(column, "key", column): value for column, value in values.items()}


def _is_tenant_insert(state) -> bool:
    return state.is_insert and getattr(state.statement.table, "name", None) in _tenant_table_names()


@event.listens_for(TenantSession, "before_flush")
def _guard_flush(session, flush_context, instances):
    scope = current_scope()
    refuse_records_outside_circle(scope, session, (*session.new, *session.dirty, *session.deleted))
    if scope.writable is None:
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(row, Tenanted):
            continue
        # A personnel record is written by its circle wherever they read the district (a principal, a district
        # viewer, signs their own evaluation); the circle, checked above, is the narrower wall there.
        may_write = scope.can_read if is_personnel(row) else scope.can_write
        for district_id in _districts_touched(row):
            if not may_write(district_id):
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
    # A write is held to the write scope: a scope that reads every district may still write none (a fan-out).
    if getattr(clause, "is_dml", False):
        unrestricted = scope.writable is None
    elif isinstance(clause, TextClause):
        unrestricted = scope.readable is None and scope.writable is None
    else:
        unrestricted = scope.unrestricted
    if unrestricted or _flushing.get():
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


# SQL the criteria cannot read: anything beyond a name or `*` in a literal column (`literal_column("(SELECT ...)")`).
_PLAIN_LITERAL = re.compile(r"\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?|[0-9.]+")


def _unreached(statement, tenant_insert: bool = False) -> str | None:
    """What in `statement` the tenant criteria cannot reach: a tenant table named outside the ORM, or an ORM
    entity named only in a WHERE (`select(func.count()).where(School.id > 0)`), a `text()`, or SQL in a literal
    column; None when it reaches every tenant table (then the statement is scoped).

    `with_loader_criteria` filters an ORM entity where a SELECT takes rows from it: its columns, its
    `select_from` and its joins, aliases and subqueries included; and the table of an ORM UPDATE or DELETE.
    A plain `Table`, a lightweight `table()` or opaque SQL passes it untouched. The table an INSERT fills is
    left to `_refuse_foreign_values`, which checks the district of each row.
    """
    tenant_names = _tenant_table_names()
    named, reached, sources = set(), set(), []
    for element in _elements(statement, skip=statement.table if tenant_insert else None):
        mapper = _tenant_mapper(element)
        if mapper is not None:
            named.update(table.name for table in mapper.tables)
        elif isinstance(element, TextClause):
            return "a text() clause"
        elif isinstance(element, ColumnClause) and element.is_literal and not _PLAIN_LITERAL.fullmatch(element.name):
            return f"the literal SQL {element.name!r}"
        elif isinstance(element, TableClause) and element.name in tenant_names:
            named.add(element.name)
        sources.extend(_row_sources(element))
    for source in sources:
        if isinstance(source, QueryableAttribute):  # .join(School.district): the relationship's target
            target = source.property.mapper
            reached.update(_reach_of(target if issubclass(target.class_, Tenanted) else None))
            continue
        for element in _elements(source, within_select=False):
            reached.update(_reach_of(_tenant_mapper(element)))
    outside = sorted(named - reached)
    return f"the table {', '.join(outside)} outside the ORM's reach" if outside else None


def _elements(root, skip=None, within_select=True):
    """Every clause element under `root`; not under a nested SELECT unless `within_select` (it has sources of
    its own), and not `skip`."""
    seen, stack = {id(skip)}, [root]
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        yield element
        if within_select or element is root or not isinstance(element, Select):
            stack.extend(element.get_children())


def _row_sources(element) -> list:
    """Where a SELECT takes its rows from (columns, select_from, join targets), or what an UPDATE or DELETE changes."""
    if isinstance(element, Select):
        joins = [part for join in element._setup_joins for part in join[:2] if part is not None]
        return [*element._raw_columns, *element._from_obj, *joins]
    if isinstance(element, (Update, Delete)):
        return [element.table]
    return []


def _tenant_mapper(element):
    """The mapper of the tenant entity an ORM element stands for, or None."""
    entity = element._annotations.get("parententity") if element._annotations else None
    mapper = entity.mapper if entity is not None else None
    return mapper if mapper is not None and issubclass(mapper.class_, Tenanted) else None


def _reach_of(mapper) -> frozenset[str]:
    return frozenset(table.name for table in mapper.tables) | _association_tables(mapper) if mapper else frozenset()


@lru_cache(maxsize=1024)
def _unreached_once(statement, tenant_insert: bool = False) -> str | None:
    """`_unreached`, kept per statement for statements built once and run again (`REUSED_STATEMENT`)."""
    return _unreached(statement, tenant_insert)


@lru_cache(maxsize=256)
def _association_tables(mapper) -> frozenset[str]:
    """The `secondary` tables of relationships from or to `mapper`: a relationship load (Visit.supports) joins one
    between two ends that the criteria filters, so it reads nothing of another district."""
    return frozenset(
        rel.secondary.name
        for other in mapper.registry.mappers
        for rel in other.relationships
        if rel.secondary is not None and mapper in (other, rel.mapper)
    )


@lru_cache(maxsize=1)
def _tenant_table_names() -> frozenset[str]:
    """The tenant tables by name (a lightweight `table("schools")` carries no info): those marked TENANT_TABLE
    and those of every tenant model (`districts` too). Asked first at the first query, when every model is mapped."""
    names, classes, metadata = set(), [Tenanted], None
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        table = getattr(cls, "__table__", None)
        if table is not None:
            names.add(table.name)
            metadata = table.metadata
    marked = {table.name for table in metadata.tables.values() if table.info.get(TENANT_TABLE)} if metadata else set()
    return frozenset(names | marked)
