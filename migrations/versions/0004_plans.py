"""improvement plans, status reports and equity goals

Revision ID: 0004_plans
Revises: 0003_rollups
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0004_plans'
down_revision = '0003_rollups'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
