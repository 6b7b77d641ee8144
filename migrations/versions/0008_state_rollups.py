"""what the regional dashboard needs at state scale

Revision ID: 0008_state_rollups
Revises: 0007_notifications
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0008_state_rollups'
down_revision = '0007_notifications'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
