"""session revocation and API token expiry

Revision ID: 0010_accounts
Revises: 0009_equity_impact
"""
import hashlib
from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = '0010_accounts'
down_revision = '0009_equity_impact'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# Tokens made before this migration never expired: they get the default lifetime, counted from when they were made.
EXISTING_TOKEN_DAYS = 90


def _fingerprint(password_hash, email):
    """User.credentials_fingerprint as of this revision (frozen here: a migration never imports the app)."""
    return hashlib.sha256(f"{password_hash or ''}\n{email.lower()}".encode()).hexdigest()[:32]


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', Id, nullable=False),
        sa.Column('user_id', Id, nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_user_sessions_secret_hash')),
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('read_only', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('issued_for', sa.String(length=32), nullable=True))

    connection = op.get_bind()
    tokens = sa.table('api_tokens', sa.column('id', Id), sa.column('created_at', sa.DateTime()),
                      sa.column('expires_at', sa.DateTime()), sa.column('issued_for', sa.String()),
                      sa.column('user_id', Id))
    users = sa.table('users', sa.column('id', Id), sa.column('email', sa.String()),
                     sa.column('password_hash', sa.String()))
    rows = connection.execute(
        sa.select(tokens.c.id, tokens.c.created_at, users.c.password_hash, users.c.email)
        .join(users, users.c.id == tokens.c.user_id)
    ).all()
    for token_id, created_at, password_hash, email in rows:
        connection.execute(tokens.update().where(tokens.c.id == token_id).values(
            expires_at=created_at + timedelta(days=EXISTING_TOKEN_DAYS),
            issued_for=_fingerprint(password_hash, email),
        ))

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.alter_column('issued_for', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('issued_for')
        batch_op.drop_column('read_only')
        batch_op.drop_column('expires_at')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
