"""captures that keep their catalog versions

Revision ID: 0012_field_capture
Revises: 0011_jobs
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0012_field_capture'
down_revision = '0011_jobs'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
