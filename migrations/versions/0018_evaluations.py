"""principals' evaluation cycles, a personnel record: private to its evaluator, the principal and the superintendent

Revision ID: 0018_evaluations
Revises: 0017_district_school_support

- `role_grants.sees_evaluations`: a district leader's grant that reads every evaluation of the district (the
  superintendent's); no other grant may carry it.
- `evaluation_calendars`: the dates a district sets for a school year's cycles.
- `evaluation_cycles` (one per principal per school year, with `principal_id` and `evaluator_id`) and its
  parts, each with `cycle_id`: `evaluation_steps`, `evaluation_goals`, `evaluation_goal_actions`,
  `evaluation_evidence`, `evaluation_ratings`, `evaluation_goal_ratings`, `evaluation_reports` (issued
  versions and signatures), `evaluation_events` (the cycle's own history).
- Row-level security: every new table gets the tenant policies of 0014_row_security (repeated here, so that
  each migration stays what it was). The cycle and its parts get one more policy each, RESTRICTIVE (so it
  narrows the tenant policies instead of adding to them), for every command: a cycle is seen and written only
  when the transaction's person (`app.user_id`) is its evaluator or principal, or its district is declared in
  `app.evaluation_district_ids` ("*" for the platform itself); a part only when its cycle is (the EXISTS reads
  the cycles under the same policies). Their tenant write policies take the districts declared for reading:
  the circle writes the record wherever its people read the district (a principal, a district viewer, signs
  their own evaluation). `tenants/rls.py` declares both settings; `tenants/personnel.py` holds
  the same rule for the ORM.
- `sent_mails.kind` may be `evaluation_to_sign` (a principal has an evaluation to sign).
- The app's role (`APP_DATABASE_ROLE`) reads and writes the new tables, as for 0017's.
"""
from alembic import op
import sqlalchemy as sa
from flask import current_app

revision = '0018_evaluations'
down_revision = '0017_district_school_support'
branch_labels = None
depends_on = None

PARTS = ('evaluation_steps', 'evaluation_goals', 'evaluation_goal_actions', 'evaluation_evidence',
         'evaluation_ratings', 'evaluation_goal_ratings', 'evaluation_reports', 'evaluation_events')
NEW_TENANT_TABLES = ('evaluation_calendars', 'evaluation_cycles', *PARTS)
MAIL_KINDS = "'invitation', 'password_reset', 'follow_up_reminder', 'report_ready', 'weekly_digest'"
MAIL_KINDS_NOW = MAIL_KINDS + ", 'evaluation_to_sign'"

# Whether the transaction's person may read an evaluation cycle with these keys (tenants/personnel.py, in SQL).
IN_CIRCLE = """CREATE FUNCTION personnel_in_circle(district bigint, evaluator bigint, principal bigint)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT tenant_declares_every_district('app.evaluation_district_ids')
        OR district = ANY (tenant_declared_ids('app.evaluation_district_ids'))
        OR nullif(current_setting('app.user_id', true), '')::bigint IN (evaluator, principal)
$$"""


def _allowed(setting: str) -> str:
    return (f"((SELECT tenant_declares_every_district('{setting}')) "
            f"OR district_id = ANY ((SELECT tenant_declared_ids('{setting}'))::bigint[]))")


def _row_security(table: str, write_setting: str = 'app.write_district_ids') -> None:
    read, write = _allowed('app.read_district_ids'), _allowed(write_setting)
    for statement in (
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_read ON {table} FOR SELECT USING ({read})",
        f"CREATE POLICY tenant_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY tenant_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})",
        f"CREATE POLICY tenant_delete ON {table} FOR DELETE USING ({write})",
    ):
        op.execute(statement)


def _personnel_circle(table: str) -> None:
    if table == 'evaluation_cycles':
        condition = "personnel_in_circle(district_id, evaluator_id, principal_id)"
    else:
        condition = (f"EXISTS (SELECT 1 FROM evaluation_cycles c WHERE c.district_id = {table}.district_id "
                     f"AND c.id = {table}.cycle_id)")
    op.execute(f"CREATE POLICY personnel_circle ON {table} AS RESTRICTIVE FOR ALL "
               f"USING ({condition}) WITH CHECK ({condition})")


def _mail_kinds(kinds: str) -> None:
    with op.batch_alter_table('sent_mails', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_sent_mails_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_sent_mails_kind'), f"kind IN ({kinds})")


def _app_role(connection) -> str | None:
    role = current_app.config.get("APP_DATABASE_ROLE")
    if not role or role == connection.exec_driver_sql("SELECT current_user").scalar():
        return None
    return connection.dialect.identifier_preparer.quote(role)


def upgrade():
    op.create_table('evaluation_calendars',
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('self_assessment_due', sa.Date(), nullable=False),
    sa.Column('goals_due', sa.Date(), nullable=False),
    sa.Column('formative_due', sa.Date(), nullable=False),
    sa.Column('summative_due', sa.Date(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_calendars_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_calendars')),
    sa.UniqueConstraint('district_id', 'school_year', name=op.f('uq_evaluation_calendars_district_id_school_year')),
    info={'tenant_table': True}
    )
    op.create_table('evaluation_cycles',
    sa.Column('school_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('plan_type', sa.String(length=30), nullable=False),
    sa.Column('plan_months', sa.Integer(), nullable=False),
    sa.Column('formative_kind', sa.String(length=30), nullable=False),
    sa.Column('self_assessment', sa.Text(), nullable=True),
    sa.Column('opened_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('now()'), nullable=False),
    sa.Column('principal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('evaluator_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("formative_kind IN ('formative_assessment', 'formative_evaluation')", name=op.f('ck_evaluation_cycles_formative_kind')),
    sa.CheckConstraint("plan_type IN ('developing', 'self_directed_growth', 'directed_growth', 'improvement')", name=op.f('ck_evaluation_cycles_plan_type')),
    sa.ForeignKeyConstraint(['district_id', 'school_id'], ['schools.district_id', 'schools.id'], name=op.f('fk_evaluation_cycles_district_id_school_id_schools')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_cycles_district_id_districts')),
    sa.ForeignKeyConstraint(['evaluator_id'], ['users.id'], name=op.f('fk_evaluation_cycles_evaluator_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_evaluation_cycles_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['principal_id'], ['users.id'], name=op.f('fk_evaluation_cycles_principal_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_cycles')),
    sa.UniqueConstraint('district_id', 'principal_id', 'school_year', name=op.f('uq_evaluation_cycles_district_id_principal_id_school_year')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_cycles', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_cycles_district_id_evaluator_id', ['district_id', 'evaluator_id'], unique=False)
        batch_op.create_index('ix_evaluation_cycles_district_id_opened_by_id', ['district_id', 'opened_by_id'], unique=False)
        batch_op.create_index('ix_evaluation_cycles_district_id_school_id', ['district_id', 'school_id'], unique=False)

    op.create_table('evaluation_events',
    sa.Column('at', sa.DateTime(), server_default=sa.text('now()'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('what', sa.String(length=300), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_events_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_events_district_id_districts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_evaluation_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_events')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_events', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_events_district_id_cycle_id', ['district_id', 'cycle_id'], unique=False)
        batch_op.create_index('ix_evaluation_events_district_id_user_id', ['district_id', 'user_id'], unique=False)

    op.create_table('evaluation_goals',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('key_actions', sa.Text(), nullable=True),
    sa.Column('benchmarks', sa.Text(), nullable=True),
    sa.Column('progress_notes', sa.Text(), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("kind IN ('student_learning', 'professional_practice', 'school_improvement')", name=op.f('ck_evaluation_goals_kind')),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_goals_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_goals_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_goals')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_goals', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_goals_district_id_cycle_id', ['district_id', 'cycle_id'], unique=False)

    op.create_table('evaluation_ratings',
    sa.Column('assessment', sa.String(length=20), nullable=False),
    sa.Column('standard', sa.String(length=10), nullable=False),
    sa.Column('rating', sa.String(length=30), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("assessment IN ('formative', 'summative')", name=op.f('ck_evaluation_ratings_assessment')),
    sa.CheckConstraint("rating IN ('exemplary', 'proficient', 'needs_improvement', 'unsatisfactory')", name=op.f('ck_evaluation_ratings_rating')),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_ratings_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_ratings_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_ratings')),
    sa.UniqueConstraint('district_id', 'cycle_id', 'assessment', 'standard', name=op.f('uq_evaluation_ratings_district_id_cycle_id_assessment_standard')),
    info={'tenant_table': True}
    )
    op.create_table('evaluation_reports',
    sa.Column('assessment', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('content', sa.JSON(), nullable=True),
    sa.Column('issued_at', sa.DateTime(), nullable=True),
    sa.Column('issued_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('signed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("assessment IN ('formative', 'summative')", name=op.f('ck_evaluation_reports_assessment')),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_reports_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_reports_district_id_districts')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_evaluation_reports_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_evaluation_reports_signed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_reports')),
    sa.UniqueConstraint('district_id', 'cycle_id', 'assessment', 'version', name=op.f('uq_evaluation_reports_district_id_cycle_id_assessment_version')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_reports', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_reports_district_id_issued_by_id', ['district_id', 'issued_by_id'], unique=False)
        batch_op.create_index('ix_evaluation_reports_district_id_signed_by_id', ['district_id', 'signed_by_id'], unique=False)

    op.create_table('evaluation_steps',
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('completed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("step IN ('self_assessment', 'goals_and_plan', 'implementation', 'formative', 'summative')", name=op.f('ck_evaluation_steps_step')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['users.id'], name=op.f('fk_evaluation_steps_completed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_steps_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_steps_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_steps')),
    sa.UniqueConstraint('district_id', 'cycle_id', 'step', name=op.f('uq_evaluation_steps_district_id_cycle_id_step')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_steps', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_steps_district_id_completed_by_id', ['district_id', 'completed_by_id'], unique=False)

    op.create_table('evaluation_evidence',
    sa.Column('visit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('observation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('collected_on', sa.Date(), nullable=False),
    sa.Column('indicators', sa.JSON(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_type', sa.String(length=100), nullable=True),
    sa.Column('file_data', sa.LargeBinary(), nullable=True),
    sa.Column('added_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('now()'), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_evaluation_evidence_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_evidence_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'observation_id'], ['observations.district_id', 'observations.id'], name=op.f('fk_evaluation_evidence_district_id_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'visit_id'], ['visits.district_id', 'visits.id'], name=op.f('fk_evaluation_evidence_district_id_visit_id_visits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_evidence_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_evidence')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_evidence_district_id_added_by_id', ['district_id', 'added_by_id'], unique=False)
        batch_op.create_index('ix_evaluation_evidence_district_id_cycle_id', ['district_id', 'cycle_id'], unique=False)
        batch_op.create_index('ix_evaluation_evidence_district_id_observation_id', ['district_id', 'observation_id'], unique=False)
        batch_op.create_index('ix_evaluation_evidence_district_id_visit_id', ['district_id', 'visit_id'], unique=False)

    op.create_table('evaluation_goal_actions',
    sa.Column('goal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_evaluation_goal_actions_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_goal_actions_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'goal_id'], ['evaluation_goals.district_id', 'evaluation_goals.id'], name=op.f('fk_evaluation_goal_actions_district_id_goal_id_evaluation_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_goal_actions_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_goal_actions')),
    sa.UniqueConstraint('district_id', 'goal_id', 'action_id', name=op.f('uq_evaluation_goal_actions_district_id_goal_id_action_id')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_goal_actions', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_goal_actions_district_id_action_id', ['district_id', 'action_id'], unique=False)
        batch_op.create_index('ix_evaluation_goal_actions_district_id_cycle_id', ['district_id', 'cycle_id'], unique=False)

    op.create_table('evaluation_goal_ratings',
    sa.Column('goal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('assessment', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('cycle_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("assessment IN ('formative', 'summative')", name=op.f('ck_evaluation_goal_ratings_assessment')),
    sa.CheckConstraint("progress IN ('did_not_meet', 'some_progress', 'significant_progress', 'met', 'exceeded')", name=op.f('ck_evaluation_goal_ratings_progress')),
    sa.ForeignKeyConstraint(['district_id', 'cycle_id'], ['evaluation_cycles.district_id', 'evaluation_cycles.id'], name=op.f('fk_evaluation_goal_ratings_district_id_cycle_id_evaluation_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'goal_id'], ['evaluation_goals.district_id', 'evaluation_goals.id'], name=op.f('fk_evaluation_goal_ratings_district_id_goal_id_evaluation_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_evaluation_goal_ratings_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_evaluation_goal_ratings')),
    sa.UniqueConstraint('district_id', 'goal_id', 'assessment', name=op.f('uq_evaluation_goal_ratings_district_id_goal_id_assessment')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('evaluation_goal_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_goal_ratings_district_id_cycle_id', ['district_id', 'cycle_id'], unique=False)

    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sees_evaluations', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_role_grants_sees_evaluations_is_a_leaders'),
                                         "NOT sees_evaluations OR role = 'district_leader'")
    _mail_kinds(MAIL_KINDS_NOW)

    connection = op.get_bind()
    if connection.dialect.name != 'postgresql':
        return
    op.execute(IN_CIRCLE)
    role = _app_role(connection)
    for table in NEW_TENANT_TABLES:
        if table == 'evaluation_calendars':
            _row_security(table)
        else:
            # Written by the circle wherever its people read the district (a principal signs their own).
            _row_security(table, write_setting='app.read_district_ids')
            _personnel_circle(table)
        if role:
            op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
            op.execute(f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {role}")


def downgrade():
    op.execute("DELETE FROM sent_mails WHERE kind = 'evaluation_to_sign'")
    _mail_kinds(MAIL_KINDS)
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_role_grants_sees_evaluations_is_a_leaders'), type_='check')
        batch_op.drop_column('sees_evaluations')

    with op.batch_alter_table('evaluation_goal_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_goal_ratings_district_id_cycle_id')

    op.drop_table('evaluation_goal_ratings')
    with op.batch_alter_table('evaluation_goal_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_goal_actions_district_id_cycle_id')
        batch_op.drop_index('ix_evaluation_goal_actions_district_id_action_id')

    op.drop_table('evaluation_goal_actions')
    with op.batch_alter_table('evaluation_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_evidence_district_id_visit_id')
        batch_op.drop_index('ix_evaluation_evidence_district_id_observation_id')
        batch_op.drop_index('ix_evaluation_evidence_district_id_cycle_id')
        batch_op.drop_index('ix_evaluation_evidence_district_id_added_by_id')

    op.drop_table('evaluation_evidence')
    with op.batch_alter_table('evaluation_steps', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_steps_district_id_completed_by_id')

    op.drop_table('evaluation_steps')
    with op.batch_alter_table('evaluation_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_reports_district_id_signed_by_id')
        batch_op.drop_index('ix_evaluation_reports_district_id_issued_by_id')

    op.drop_table('evaluation_reports')
    op.drop_table('evaluation_ratings')
    with op.batch_alter_table('evaluation_goals', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_goals_district_id_cycle_id')

    op.drop_table('evaluation_goals')
    with op.batch_alter_table('evaluation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_events_district_id_user_id')
        batch_op.drop_index('ix_evaluation_events_district_id_cycle_id')

    op.drop_table('evaluation_events')
    with op.batch_alter_table('evaluation_cycles', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_cycles_district_id_school_id')
        batch_op.drop_index('ix_evaluation_cycles_district_id_opened_by_id')
        batch_op.drop_index('ix_evaluation_cycles_district_id_evaluator_id')

    op.drop_table('evaluation_cycles')
    op.drop_table('evaluation_calendars')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP FUNCTION personnel_in_circle(bigint, bigint, bigint)")
