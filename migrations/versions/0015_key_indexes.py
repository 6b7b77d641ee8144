"""an index on every foreign key; a way for the app to refresh the statistics of tables it bulk-loaded

Revision ID: 0015_key_indexes
Revises: 0014_row_security

- Indexes: the foreign keys no index covered (declared in `app/indexes.py` as KEY_INDEXES; the names,
  tables and columns are repeated here so that this migration stays what it was when the list grows).
- `refresh_statistics(tables text[])` (PostgreSQL only): ANALYZE the named tables of the public schema.
  The app connects as a role that owns no table, and ANALYZE by a non-owner only warns and skips; the
  function runs as its owner (SECURITY DEFINER), does nothing but ANALYZE, and only the app's role may
  call it. A bulk load ends with it (`app/statistics.py`): the planner's generic plans over
  `district_id = ANY($1)` go wrong on a table whose statistics predate its rows.
"""
from alembic import op
from flask import current_app

revision = '0015_key_indexes'
down_revision = '0014_row_security'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_observations_district_id_visit_id", "observations", ["district_id", "visit_id"]),
    ("ix_support_assignments_district_id_school_id", "support_assignments", ["district_id", "school_id"]),
    ("ix_plan_action_evidence_district_id_visit_id", "plan_action_evidence", ["district_id", "visit_id"]),
    ("ix_plan_action_evidence_district_id_observation_id", "plan_action_evidence",
     ["district_id", "observation_id"]),
    ("ix_plan_priorities_district_id_plan_id", "plan_priorities", ["district_id", "plan_id"]),
    ("ix_plan_strategies_district_id_priority_id", "plan_strategies", ["district_id", "priority_id"]),
    ("ix_plan_actions_district_id_strategy_id", "plan_actions", ["district_id", "strategy_id"]),
    ("ix_plan_actions_district_id_provider_id", "plan_actions", ["district_id", "provider_id"]),
    ("ix_plan_actions_district_id_reviewed_by_id", "plan_actions", ["district_id", "reviewed_by_id"]),
    ("ix_plan_progress_updates_district_id_milestone_id", "plan_progress_updates", ["district_id", "milestone_id"]),
    ("ix_plan_progress_updates_district_id_author_id", "plan_progress_updates", ["district_id", "author_id"]),
    ("ix_plan_risks_district_id_action_id", "plan_risks", ["district_id", "action_id"]),
    ("ix_plan_risks_district_id_owner_id", "plan_risks", ["district_id", "owner_id"]),
    ("ix_equity_goals_district_id_priority_id", "equity_goals", ["district_id", "priority_id"]),
    ("ix_status_reports_district_id_plan_id", "status_reports", ["district_id", "plan_id"]),
    ("ix_status_reports_district_id_made_by_id", "status_reports", ["district_id", "made_by_id"]),
    ("ix_plan_impact_reviews_district_id_action_id", "plan_impact_reviews", ["district_id", "action_id"]),
    ("ix_plan_impact_reviews_district_id_answered_by_id", "plan_impact_reviews", ["district_id", "answered_by_id"]),
    ("ix_look_fors_carried_from_id", "look_fors", ["carried_from_id"]),
)

REFRESH_STATISTICS = """
CREATE FUNCTION refresh_statistics(tables text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY tables LOOP
        IF to_regclass(format('public.%I', name)) IS NULL THEN
            RAISE EXCEPTION 'refresh_statistics: no table %', name;
        END IF;
        EXECUTE format('ANALYZE public.%I', name);
    END LOOP;
END
$$"""


def _app_role(connection) -> str | None:
    role = current_app.config.get("APP_DATABASE_ROLE")
    if not role or role == connection.exec_driver_sql("SELECT current_user").scalar():
        return None
    return connection.dialect.identifier_preparer.quote(role)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    op.execute(REFRESH_STATISTICS)
    op.execute("REVOKE ALL ON FUNCTION refresh_statistics(text[]) FROM PUBLIC")
    role = _app_role(connection)
    if role:
        op.execute(f"GRANT EXECUTE ON FUNCTION refresh_statistics(text[]) TO {role}")


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("DROP FUNCTION refresh_statistics(text[])")
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
