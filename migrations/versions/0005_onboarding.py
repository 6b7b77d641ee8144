"""onboarding imports, invitations, notifications and the audit log

Revision ID: 0005_onboarding
Revises: 0004_plans
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0005_onboarding'
down_revision = '0004_plans'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
