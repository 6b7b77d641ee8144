"""one record of mail sent once, for every mail: sent_mails replaces sent_notifications

Revision ID: 0016_send_once
Revises: 0015_key_indexes

- `sent_mails` (user, kind, about) unique: the claim `app.mail.send_once` takes before sending any mail,
  invitations and password resets (about: the job's id) as well as the notifications (about: the
  period). Invitations and resets kept their mark in Redis, lost when Redis restarted.
- The rows of `sent_notifications` move over (period becomes about), and the table goes.
- Platform-wide, as the person it goes to: no district_id, so no row-level security; the app's role
  (`APP_DATABASE_ROLE`) gets read/write on it and use of its sequence, as 0014 gave on every table then.
"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

revision = '0016_send_once'
down_revision = '0015_key_indexes'
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
NOTIFICATION_KINDS = "'follow_up_reminder', 'report_ready', 'weekly_digest'"
MAIL_KINDS = "'invitation', 'password_reset', " + NOTIFICATION_KINDS


def _app_role(connection) -> str | None:
    role = current_app.config.get("APP_DATABASE_ROLE")
    if connection.dialect.name != "postgresql" or not role \
            or role == connection.exec_driver_sql("SELECT current_user").scalar():
        return None
    return connection.dialect.identifier_preparer.quote(role)


def _grant(table: str) -> None:
    role = _app_role(op.get_bind())
    if role:
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
        op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {role}")


def upgrade():
    op.create_table('sent_mails',
    sa.Column('id', Id, nullable=False),
    sa.Column('user_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('about', sa.String(length=80), nullable=False),
    sa.Column('sent_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint(f"kind IN ({MAIL_KINDS})", name=op.f('ck_sent_mails_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sent_mails_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mails')),
    sa.UniqueConstraint('user_id', 'kind', 'about', name=op.f('uq_sent_mails_user_id_kind_about'))
    )
    op.execute("INSERT INTO sent_mails (user_id, kind, about, sent_at) "
               "SELECT user_id, kind, period, sent_at FROM sent_notifications ORDER BY id")
    op.drop_table('sent_notifications')
    _grant('sent_mails')


def downgrade():
    op.create_table('sent_notifications',
    sa.Column('id', Id, nullable=False),
    sa.Column('user_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('sent_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint(f"kind IN ({NOTIFICATION_KINDS})", name=op.f('ck_sent_notifications_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sent_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_notifications')),
    sa.UniqueConstraint('user_id', 'kind', 'period', name=op.f('uq_sent_notifications_user_id_kind_period'))
    )
    # Invitations and resets were remembered in Redis then: their records have no place to go back to.
    op.execute("INSERT INTO sent_notifications (user_id, kind, period, sent_at) "
               f"SELECT user_id, kind, about, sent_at FROM sent_mails WHERE kind IN ({NOTIFICATION_KINDS}) "
               "AND length(about) <= 40 ORDER BY id")
    op.drop_table('sent_mails')
    _grant('sent_notifications')
