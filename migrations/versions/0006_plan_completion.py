"""district plan settings (moved from the plan) and classroom observations as action evidence

Revision ID: 0006_plan_completion
Revises: 0005_onboarding

The reporting interval and the days without an update move from the plan to the
district: each district takes the values of its current plan (the active one,
else the newest draft, else the newest closed one), or the defaults. An action's
evidence is a visit or one observation, each linked once.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_plan_completion'
down_revision = '0005_onboarding'
branch_labels = None
depends_on = None

# SQLite copies a table to alter it: its id stays AUTOINCREMENT, so a deleted row's id is never reused.
SQLITE_TENANT_ID = {'sqlite_autoincrement': True}

# The plan each district's settings come from, as a correlated subquery on both databases.
CURRENT_PLAN = """
    SELECT p.{column} FROM improvement_plans p WHERE p.district_id = districts.id
    ORDER BY CASE p.status WHEN 'active' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, p.starts_on DESC, p.id DESC
    LIMIT 1
"""


def upgrade():
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reporting_interval', sa.String(length=20), server_default='quarterly', nullable=False))
        batch_op.add_column(sa.Column('stale_after_days', sa.Integer(), server_default='30', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_districts_reporting_interval'), "reporting_interval IN ('monthly', 'quarterly')")
    for column in ('reporting_interval', 'stale_after_days'):
        op.execute(f"UPDATE districts SET {column} = ({CURRENT_PLAN.format(column=column)}) "
                   "WHERE EXISTS (SELECT 1 FROM improvement_plans p WHERE p.district_id = districts.id)")
    with op.batch_alter_table('improvement_plans', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_improvement_plans_reporting_interval'), type_='check')
        batch_op.drop_column('stale_after_days')
        batch_op.drop_column('reporting_interval')
    with op.batch_alter_table('plan_action_evidence', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_plan_action_evidence_district_id_action_id_observation_id'), ['district_id', 'action_id', 'observation_id'])
        batch_op.create_check_constraint(batch_op.f('ck_plan_action_evidence_visit_or_observation'), '(visit_id IS NULL) <> (observation_id IS NULL)')


def downgrade():
    # Observations linked as evidence did not exist before: they go, the visits stay.
    op.execute("DELETE FROM plan_action_evidence WHERE observation_id IS NOT NULL")
    with op.batch_alter_table('plan_action_evidence', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_plan_action_evidence_visit_or_observation'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_plan_action_evidence_district_id_action_id_observation_id'), type_='unique')
    with op.batch_alter_table('improvement_plans', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.add_column(sa.Column('reporting_interval', sa.String(length=20), server_default='quarterly', nullable=False))
        batch_op.add_column(sa.Column('stale_after_days', sa.Integer(), server_default='30', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_improvement_plans_reporting_interval'), "reporting_interval IN ('monthly', 'quarterly')")
    op.execute("UPDATE improvement_plans SET reporting_interval = (SELECT d.reporting_interval FROM districts d "
               "WHERE d.id = improvement_plans.district_id), stale_after_days = (SELECT d.stale_after_days "
               "FROM districts d WHERE d.id = improvement_plans.district_id)")
    with op.batch_alter_table('improvement_plans', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.alter_column('reporting_interval', server_default=None)
        batch_op.alter_column('stale_after_days', server_default=None)
    with op.batch_alter_table('districts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_districts_reporting_interval'), type_='check')
        batch_op.drop_column('stale_after_days')
        batch_op.drop_column('reporting_interval')
