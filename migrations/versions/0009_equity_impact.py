"""equity impact questions and their answers on actions

Revision ID: 0009_equity_impact
Revises: 0008_state_rollups
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0009_equity_impact'
down_revision = '0008_state_rollups'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
