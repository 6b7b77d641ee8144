"""the database as the record of work to do (jobs that really retry)

Revision ID: 0011_jobs
Revises: 0010_accounts
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_jobs'
down_revision = '0010_accounts'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "background_jobs",
        sa.Column("id", Id, primary_key=True),
        sa.Column("rq_id", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("queue", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_background_jobs")),
        sa.UniqueConstraint("rq_id", name=op.f("uq_background_jobs_rq_id")),
    )
    op.create_index(op.f("ix_background_jobs_finished_at"), "background_jobs", ["finished_at"])


def downgrade():
    op.drop_index(op.f("ix_background_jobs_finished_at"), table_name="background_jobs")
    op.drop_table("background_jobs")
