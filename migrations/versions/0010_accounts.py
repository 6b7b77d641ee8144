"""session revocation and API token expiry

Revision ID: 0010_accounts
Revises: 0009_equity_impact
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0010_accounts'
down_revision = '0009_equity_impact'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
