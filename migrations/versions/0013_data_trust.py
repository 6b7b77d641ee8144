"""suppressed measurements, progress updates posted at an exact time

Revision ID: 0013_data_trust
Revises: 0012_field_capture

- An equity measurement can be suppressed (the state printed "<10" or "-"): its value
  is then empty; a CHECK keeps exactly one of the two.
- A progress update keeps the instant it was posted, so that a status report takes the
  updates posted since the previous report was frozen. Existing updates take the start
  of the day they report on, the most a day-based comparison knew.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_data_trust'
down_revision = '0012_field_capture'
branch_labels = None
depends_on = None

# SQLite copies a table to alter it: its id stays AUTOINCREMENT, so a deleted row's id is never reused.
SQLITE_TENANT_ID = {'sqlite_autoincrement': True}
VALUE_OR_SUPPRESSED = "(suppressed AND value IS NULL) OR (NOT suppressed AND value IS NOT NULL)"


def upgrade():
    with op.batch_alter_table('equity_measurements', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.add_column(sa.Column('suppressed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('value', existing_type=sa.Numeric(precision=7, scale=2), nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_equity_measurements_value_or_suppressed'), VALUE_OR_SUPPRESSED)
    with op.batch_alter_table('plan_progress_updates', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.add_column(sa.Column('posted_at', sa.DateTime(), nullable=True))
    start_of_day = "reported_on || ' 00:00:00'" if op.get_bind().dialect.name == 'sqlite' else "reported_on"
    op.execute(f"UPDATE plan_progress_updates SET posted_at = {start_of_day}")
    with op.batch_alter_table('plan_progress_updates', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.alter_column('posted_at', existing_type=sa.DateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('plan_progress_updates', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.drop_column('posted_at')
    # A suppressed measurement has no value to go back to: it goes, as it would have had to stay out before.
    op.execute("DELETE FROM equity_measurements WHERE suppressed")
    with op.batch_alter_table('equity_measurements', schema=None, table_kwargs=SQLITE_TENANT_ID) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_equity_measurements_value_or_suppressed'), type_='check')
        batch_op.alter_column('value', existing_type=sa.Numeric(precision=7, scale=2), nullable=False)
        batch_op.drop_column('suppressed')
