"""the district's own school support: school supervisors, visits by the district's staff, joint visits,
school leaders, school clusters, actions that name schools

Revision ID: 0017_district_school_support
Revises: 0016_send_once

- `role_grants.role` may be `school_supervisor` (a district role: visits and observes the district's schools).
- `visits.team`: whose work a visit is, `support_team` (every visit before this) or `district`; the team
  that changes it and reads its internal notes. `visits.principal_id`: the principal a coaching visit coached.
- `visit_observers`: the people who observed beside a visit's author (a joint visit).
- `school_clusters` (a quadrant, a network, a level, with its supervisor) and `schools.cluster_id`: a school
  is in at most one cluster.
- `school_leaders`: a school's principal (one at most) and assistant principals, people of the platform.
- `plan_action_schools`: the schools an action names.
- The new tenant tables get the row-level security every tenant table has (the policies of
  0014_row_security, repeated here so that each migration stays what it was), and the app's role
  (`APP_DATABASE_ROLE`) read/write on them, as 0016 did for its table.
"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

revision = '0017_district_school_support'
down_revision = '0016_send_once'
branch_labels = None
depends_on = None

NEW_TENANT_TABLES = ('school_clusters', 'school_leaders', 'visit_observers', 'plan_action_schools')
ROLES = "'platform_admin', 'regional_director', 'assistance_lead', 'district_leader', 'district_viewer'"
ROLES_NOW = ROLES + ", 'school_supervisor'"


def _allowed(setting: str) -> str:
    return (f"((SELECT tenant_declares_every_district('{setting}')) "
            f"OR district_id = ANY ((SELECT tenant_declared_ids('{setting}'))::bigint[]))")


def _row_security(table: str) -> None:
    read, write = _allowed('app.read_district_ids'), _allowed('app.write_district_ids')
    for statement in (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY tenant_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})",
        f"CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({write})",
    ):
        op.execute(statement)


def _app_role(connection) -> str | None:
    role = current_app.config.get("APP_DATABASE_ROLE")
    if not role or role == connection.exec_driver_sql("SELECT current_user").scalar():
        return None
    return connection.dialect.identifier_preparer.quote(role)


def _role_check(roles: str) -> None:
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grants_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_role_grants_role'), f"role IN ({roles})")


def upgrade():
    _role_check(ROLES_NOW)
    op.create_table('school_clusters',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('supervisor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_school_clusters_district_id_districts')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['users.id'], name=op.f('fk_school_clusters_supervisor_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_school_clusters')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_school_clusters_district_id_name')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('school_clusters', schema=None) as batch_op:
        batch_op.create_index('ix_school_clusters_district_id_supervisor_id', ['district_id', 'supervisor_id'], unique=False)

    op.create_table('school_leaders',
    sa.Column('school_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("position IN ('principal', 'assistant_principal')", name=op.f('ck_school_leaders_position')),
    sa.ForeignKeyConstraint(['district_id', 'school_id'], ['schools.district_id', 'schools.id'], name=op.f('fk_school_leaders_district_id_school_id_schools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_school_leaders_district_id_districts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_school_leaders_user_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_school_leaders')),
    sa.UniqueConstraint('district_id', 'school_id', 'user_id', name=op.f('uq_school_leaders_district_id_school_id_user_id')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('school_leaders', schema=None) as batch_op:
        batch_op.create_index('ix_school_leaders_district_id_user_id', ['district_id', 'user_id'], unique=False)
        batch_op.create_index('uq_school_leaders_one_principal', ['district_id', 'school_id'], unique=True, postgresql_where=sa.text("position = 'principal'"), sqlite_where=sa.text("position = 'principal'"))

    op.create_table('visit_observers',
    sa.Column('visit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'visit_id'], ['visits.district_id', 'visits.id'], name=op.f('fk_visit_observers_district_id_visit_id_visits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_visit_observers_district_id_districts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_visit_observers_user_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_visit_observers')),
    sa.UniqueConstraint('district_id', 'visit_id', 'user_id', name=op.f('uq_visit_observers_district_id_visit_id_user_id')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('visit_observers', schema=None) as batch_op:
        batch_op.create_index('ix_visit_observers_district_id_user_id', ['district_id', 'user_id'], unique=False)

    op.create_table('plan_action_schools',
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('school_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_action_schools_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'school_id'], ['schools.district_id', 'schools.id'], name=op.f('fk_plan_action_schools_district_id_school_id_schools')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_action_schools_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_action_schools')),
    sa.UniqueConstraint('district_id', 'action_id', 'school_id', name=op.f('uq_plan_action_schools_district_id_action_id_school_id')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('plan_action_schools', schema=None) as batch_op:
        batch_op.create_index('ix_plan_action_schools_district_id_school_id', ['district_id', 'school_id'], unique=False)

    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cluster_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index('ix_schools_district_id_cluster_id', ['district_id', 'cluster_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_schools_district_id_cluster_id_school_clusters'), 'school_clusters', ['district_id', 'cluster_id'], ['district_id', 'id'])

    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=20), server_default='support_team', nullable=False))
        batch_op.add_column(sa.Column('principal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index('ix_visits_district_id_principal_id', ['district_id', 'principal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_visits_principal_id_users'), 'users', ['principal_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_visits_team'), "team IN ('support_team', 'district')")

    connection = op.get_bind()
    if connection.dialect.name != 'postgresql':
        return
    role = _app_role(connection)
    for table in NEW_TENANT_TABLES:
        _row_security(table)
        if role:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
            op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {role}")


def downgrade():
    # School supervisors lose their grants: the role no longer exists.
    op.execute("DELETE FROM role_grants WHERE role = 'school_supervisor'")
    _role_check(ROLES)
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_visits_team'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_visits_principal_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_visits_district_id_principal_id')
        batch_op.drop_column('principal_id')
        batch_op.drop_column('team')

    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_schools_district_id_cluster_id_school_clusters'), type_='foreignkey')
        batch_op.drop_index('ix_schools_district_id_cluster_id')
        batch_op.drop_column('cluster_id')

    with op.batch_alter_table('plan_action_schools', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_action_schools_district_id_school_id')

    op.drop_table('plan_action_schools')
    with op.batch_alter_table('visit_observers', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_observers_district_id_user_id')

    op.drop_table('visit_observers')
    with op.batch_alter_table('school_leaders', schema=None) as batch_op:
        batch_op.drop_index('uq_school_leaders_one_principal', postgresql_where=sa.text("position = 'principal'"), sqlite_where=sa.text("position = 'principal'"))
        batch_op.drop_index('ix_school_leaders_district_id_user_id')

    op.drop_table('school_leaders')
    with op.batch_alter_table('school_clusters', schema=None) as batch_op:
        batch_op.drop_index('ix_school_clusters_district_id_supervisor_id')

    op.drop_table('school_clusters')
