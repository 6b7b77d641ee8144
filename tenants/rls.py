"""The second wall: PostgreSQL row-level security, declared per transaction.

Migration 0014 puts policies on every tenant table: a row is visible only when its
`district_id` is in the districts the transaction declared for reading, and may be
written only when in those declared for writing. This module declares them, from
the scope current when each statement runs:

    app.read_district_ids  = "*" (every district) | "3,17,42" | "" (nothing)
    app.write_district_ids = the same, for INSERT/UPDATE/DELETE
    app.user_id = the person acting ("" for none), and
    app.evaluation_district_ids = the districts whose every evaluation they read ("*" for the platform
        itself): migration 0018's RESTRICTIVE policies hold personnel records to the circle of
        `tenants/personnel.py` from these two

Both are set with `set_config(..., true)`: transaction-local, so a connection handed
back to a pool (or to a transaction-pooling PgBouncer) carries nothing over, and a
transaction that declares nothing sees nothing. "*" is only ever declared for a scope
the app entered on purpose (`system_scope`, a platform admin's), never by default.

Cheaply: the connection remembers what its open transaction declared, and a statement
declares again only when the current scope differs (a scope computed inside a request,
a test entering another scope), the transaction ended, or a savepoint it was declared
in was rolled back (which undoes the declaration).

SQLite (the embedded `make run` database) has no row-level security: there the ORM
filter of `tenants/session.py` is the only wall.
"""
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from tenants.scope import Scope, current_scope

READ_SETTING = "app.read_district_ids"
WRITE_SETTING = "app.write_district_ids"
USER_SETTING = "app.user_id"
EVALUATIONS_SETTING = "app.evaluation_district_ids"
EVERY_DISTRICT = "*"
# PostgreSQL's insufficient_privilege: what a row refused by a policy's WITH CHECK raises.
INSUFFICIENT_PRIVILEGE = "42501"

_DECLARE = (f"SELECT set_config('{READ_SETTING}', %s, true), set_config('{WRITE_SETTING}', %s, true), "
            f"set_config('{USER_SETTING}', %s, true), set_config('{EVALUATIONS_SETTING}', %s, true)")
# Statements that read and write no rows: declaring before them would only be undone by them.
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
# Kept in the DBAPI connection's info: the (readable, writable, user, evaluations) its open transaction declared.
_DECLARED = "tenant_rls_declared"


def declared_ids(district_ids: frozenset[int] | None) -> str:
    """A set of districts as the policies read it: "*" for every district, else ids joined by commas."""
    if district_ids is None:
        return EVERY_DISTRICT
    return ",".join(str(district_id) for district_id in sorted(district_ids))


def declaration(scope: Scope) -> tuple[str, str, str, str]:
    """The (read, write, user, evaluations) settings a transaction declares for `scope`."""
    user = "" if scope.user_id is None else str(scope.user_id)
    return declared_ids(scope.readable), declared_ids(scope.writable), user, declared_ids(scope.evaluations_of)


def refused_by_row_security(error: BaseException) -> bool:
    """True for a write PostgreSQL refused because a row is outside the declared districts.

    Not for a missing GRANT (the same SQLSTATE): that is a deployment error, and stays a 500."""
    if not isinstance(error, DBAPIError) or getattr(error.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return False
    return "row-level security" in (error.orig.diag.message_primary or "")


@event.listens_for(Engine, "before_cursor_execute")
def _declare_scope(conn, cursor, statement, parameters, context, executemany):
    if conn.dialect.name != "postgresql":
        return
    raw = cursor.connection  # psycopg's connection: the declaration shares the statement's transaction
    status = raw.info.transaction_status
    if status == TransactionStatus.IDLE:
        conn.info.pop(_DECLARED, None)  # this statement opens a transaction: the last one's declaration is gone
    if status == TransactionStatus.INERROR or statement.startswith(_TRANSACTION_CONTROL):
        return  # a failed transaction runs nothing but its ROLLBACK; a SAVEPOINT reads no rows
    scope = current_scope()
    wanted = (scope.readable, scope.writable, scope.user_id, scope.evaluations_of)
    if conn.info.get(_DECLARED) == wanted:
        return
    # A cursor of its own: the statement's may be a server-side (named) one.
    raw.execute(_DECLARE, declaration(scope))
    conn.info[_DECLARED] = wanted


@event.listens_for(Engine, "rollback_savepoint")
def _savepoint_undone(conn, name, context):
    # ROLLBACK TO SAVEPOINT also undoes a set_config made after it: declare again at the next statement.
    conn.info.pop(_DECLARED, None)
