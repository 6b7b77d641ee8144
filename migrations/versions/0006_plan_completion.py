"""district plan settings, equity impact questions, edits and observation evidence

Revision ID: 0006_plan_completion
Revises: 0005_onboarding
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0006_plan_completion'
down_revision = '0005_onboarding'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
