"""indexes for the regional rollups

Revision ID: 0003_rollups
Revises: 0002_fieldwork
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0003_rollups'
down_revision = '0002_fieldwork'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
