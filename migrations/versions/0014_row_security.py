"""PostgreSQL row-level security on every tenant table

Revision ID: 0014_row_security
Revises: 0013_data_trust

On PostgreSQL only (SQLite has no row-level security: there the ORM filter is the only
wall). The last migration on purpose: it finds the tenant tables in the database, so
tables that earlier migrations add are covered without being named here.

- Every table of the public schema with a `district_id` column, and `districts` by its
  `id`: ENABLE and FORCE (the owner too) ROW LEVEL SECURITY, with policies that let a
  row be read when its district is in the transaction's declared read set, and written
  (INSERT/UPDATE/DELETE, old and new row) when in its write set (`tenants/rls.py`).
- `PLATFORM_TABLES` have a `district_id` but are not tenant data: who may reach which
  district is read before any scope exists (the ORM filter leaves them alone too).
- The app's role (`APP_DATABASE_ROLE`) gets read/write on the tables and use of their
  sequences, nothing more: it owns nothing, so it cannot turn the policies off.
"""
from alembic import op
from flask import current_app

revision = '0014_row_security'
down_revision = '0013_data_trust'
branch_labels = None
depends_on = None

PLATFORM_TABLES = frozenset({"role_grants", "import_batches"})
READ_SETTING = "app.read_district_ids"
WRITE_SETTING = "app.write_district_ids"

# What one setting declares ("*", "3,17" or nothing): every district, or these ids.
FUNCTIONS = [
    """CREATE FUNCTION tenant_declares_every_district(setting text) RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting(setting, true), '') = '*'
    $$""",
    """CREATE FUNCTION tenant_declared_ids(setting text) RETURNS bigint[] LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN coalesce(current_setting(setting, true), '') IN ('', '*') THEN '{}'::bigint[]
                    ELSE string_to_array(current_setting(setting, true), ',')::bigint[] END
    $$""",
]
POLICIES = ("tenant_read", "tenant_insert", "tenant_update", "tenant_delete")
# Read and write, nothing more: not TRUNCATE (it passes by row-level security), not the migrations' own table.
GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
)
REVOKES = (
    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}",
    "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
    "REVOKE USAGE ON SCHEMA public FROM {role}",
)


def tenant_tables(connection) -> list[tuple[str, str]]:
    """(table, column holding its district) for every tenant table of the public schema."""
    rows = connection.exec_driver_sql(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = 'district_id' ORDER BY table_name"
    ).scalars()
    return [("districts", "id")] + [(table, "district_id") for table in rows if table not in PLATFORM_TABLES]


def _policies(table: str, column: str) -> list[str]:
    read, write = _allowed(READ_SETTING, column), _allowed(WRITE_SETTING, column)
    return [
        f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY tenant_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})",
        f"CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({write})",
    ]


def _allowed(setting: str, column: str) -> str:
    # Each (SELECT ...) refers to no row: PostgreSQL evaluates it once per statement (an InitPlan), not per row.
    return (f"((SELECT tenant_declares_every_district('{setting}')) "
            f"OR {column} = ANY ((SELECT tenant_declared_ids('{setting}'))::bigint[]))")


def _to_app_role(connection, statements) -> None:
    """Run GRANTS or REVOKES for the app's role; none when the app connects as the migrating role itself."""
    role = current_app.config.get("APP_DATABASE_ROLE")
    if not role or role == connection.exec_driver_sql("SELECT current_user").scalar():
        return
    for statement in statements:
        op.execute(statement.format(role=connection.dialect.identifier_preparer.quote(role)))


def upgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for function in FUNCTIONS:
        op.execute(function)
    for table, column in tenant_tables(connection):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        for policy in _policies(table, column):
            op.execute(policy)
    _to_app_role(connection, GRANTS)


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    _to_app_role(connection, REVOKES)
    for table, _column in tenant_tables(connection):
        for policy in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP FUNCTION tenant_declared_ids(text)")
    op.execute("DROP FUNCTION tenant_declares_every_district(text)")
