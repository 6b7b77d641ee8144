"""what the regional dashboard needs at state scale: indexes for plan health per district

Revision ID: 0008_state_rollups
Revises: 0007_notifications
"""
from alembic import op


revision = '0008_state_rollups'
down_revision = '0007_notifications'
branch_labels = None
depends_on = None

# name, table, columns: the same as PLAN_ROLLUP_INDEXES in app/indexes.py.
INDEXES = (
    ("ix_plan_progress_updates_last_per_action", "plan_progress_updates", ["district_id", "action_id", "reported_on"]),
    ("ix_plan_actions_plan", "plan_actions", ["district_id", "plan_id"]),
    ("ix_plan_milestones_action", "plan_milestones", ["district_id", "action_id"]),
    ("ix_plan_risks_plan", "plan_risks", ["district_id", "plan_id"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
