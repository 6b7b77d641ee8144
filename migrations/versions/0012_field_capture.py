"""captures that keep their catalog versions

Revision ID: 0012_field_capture
Revises: 0011_jobs

A rubric remembers when a new version retired it (a capture made before then may
still be rated on it), and a look-for the one of the previous version it was
copied from (one series across versions, for trends). Existing versions are
linked by the position of their look-fors, as "New version" copied them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_field_capture'
down_revision = '0011_jobs'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('look_fors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', ID, nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_look_fors_carried_from_id_look_fors'), 'look_fors',
                                    ['carried_from_id'], ['id'], ondelete='SET NULL')
    # Versions retired before this migration: their successor's creation is when they were replaced.
    op.execute("""
        UPDATE rubrics SET retired_at = (
            SELECT MIN(later.created_at) FROM rubrics later
            WHERE later.name = rubrics.name AND later.version > rubrics.version)
        WHERE active = false
    """)
    op.execute("""
        UPDATE look_fors SET carried_from_id = (
            SELECT earlier.id FROM look_fors earlier
            JOIN rubrics earlier_rubric ON earlier_rubric.id = earlier.rubric_id
            JOIN rubrics this_rubric ON this_rubric.id = look_fors.rubric_id
            WHERE earlier_rubric.name = this_rubric.name AND earlier.position = look_fors.position
              AND earlier_rubric.version = (
                SELECT MAX(r.version) FROM rubrics r
                WHERE r.name = this_rubric.name AND r.version < this_rubric.version))
    """)


def downgrade():
    with op.batch_alter_table('look_fors', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_look_fors_carried_from_id_look_fors'), type_='foreignkey')
        batch_op.drop_column('carried_from_id')
    with op.batch_alter_table('rubrics', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
