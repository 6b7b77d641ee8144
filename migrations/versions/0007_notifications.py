"""notifications, their preferences and the mail sent

Revision ID: 0007_notifications
Revises: 0006_plan_completion
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0007_notifications'
down_revision = '0006_plan_completion'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
