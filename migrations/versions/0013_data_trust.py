"""suppressed measurements, reports frozen at an exact time

Revision ID: 0013_data_trust
Revises: 0012_field_capture
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0013_data_trust'
down_revision = '0012_field_capture'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
