"""improvement plans, status reports and equity goals

Revision ID: 0004_plans
Revises: 0003_rollups

Tenant tables keyed by (district_id, id), written by hand from the models in
app/plans/models.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_plans'
down_revision = '0003_rollups'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('improvement_plans',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reporting_interval', sa.String(length=20), nullable=False),
    sa.Column('stale_after_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("reporting_interval IN ('monthly', 'quarterly')", name=op.f('ck_improvement_plans_reporting_interval')),
    sa.CheckConstraint("status IN ('draft', 'active', 'closed')", name=op.f('ck_improvement_plans_status')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_improvement_plans_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_improvement_plans')),
    info={'tenant_table': True}
    )
    op.create_table('plan_providers',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('contract_cents', sa.Integer(), nullable=False),
    sa.Column('contract_starts_on', sa.Date(), nullable=True),
    sa.Column('contract_ends_on', sa.Date(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("kind IN ('provider', 'partner')", name=op.f('ck_plan_providers_kind')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_providers_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_providers')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_plan_providers_district_id_name')),
    info={'tenant_table': True}
    )
    op.create_table('plan_priorities',
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'plan_id'], ['improvement_plans.district_id', 'improvement_plans.id'], name=op.f('fk_plan_priorities_district_id_plan_id_improvement_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_priorities_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_priorities')),
    info={'tenant_table': True}
    )
    op.create_table('status_reports',
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('scheduled_for', sa.Date(), nullable=True),
    sa.Column('made_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('made_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'plan_id'], ['improvement_plans.district_id', 'improvement_plans.id'], name=op.f('fk_status_reports_district_id_plan_id_improvement_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_status_reports_district_id_districts')),
    sa.ForeignKeyConstraint(['made_by_id'], ['users.id'], name=op.f('fk_status_reports_made_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_status_reports')),
    sa.UniqueConstraint('district_id', 'scheduled_for', name=op.f('uq_status_reports_district_id_scheduled_for')),
    info={'tenant_table': True}
    )
    op.create_table('equity_goals',
    sa.Column('priority_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('metric', sa.String(length=200), nullable=False),
    sa.Column('student_group', sa.String(length=120), nullable=False),
    sa.Column('comparison_group', sa.String(length=120), nullable=False),
    sa.Column('baseline_value', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('baseline_year', sa.Integer(), nullable=False),
    sa.Column('target_value', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('target_year', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f('ck_equity_goals_direction')),
    sa.ForeignKeyConstraint(['district_id', 'priority_id'], ['plan_priorities.district_id', 'plan_priorities.id'], name=op.f('fk_equity_goals_district_id_priority_id_plan_priorities')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_equity_goals_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_equity_goals')),
    info={'tenant_table': True}
    )
    op.create_table('plan_strategies',
    sa.Column('priority_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'priority_id'], ['plan_priorities.district_id', 'plan_priorities.id'], name=op.f('fk_plan_strategies_district_id_priority_id_plan_priorities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_strategies_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_strategies')),
    info={'tenant_table': True}
    )
    op.create_table('equity_measurements',
    sa.Column('goal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('comparison_value', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'goal_id'], ['equity_goals.district_id', 'equity_goals.id'], name=op.f('fk_equity_measurements_district_id_goal_id_equity_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_equity_measurements_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_equity_measurements')),
    sa.UniqueConstraint('district_id', 'goal_id', 'year', name=op.f('uq_equity_measurements_district_id_goal_id_year')),
    info={'tenant_table': True}
    )
    op.create_table('plan_actions',
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('strategy_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('allocated_cents', sa.Integer(), nullable=False),
    sa.Column('spent_cents', sa.Integer(), nullable=False),
    sa.Column('funding_source', sa.String(length=200), nullable=True),
    sa.Column('provider_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reviewed_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'on_track', 'at_risk', 'off_track', 'done')", name=op.f('ck_plan_actions_status')),
    sa.ForeignKeyConstraint(['district_id', 'plan_id'], ['improvement_plans.district_id', 'improvement_plans.id'], name=op.f('fk_plan_actions_district_id_plan_id_improvement_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'provider_id'], ['plan_providers.district_id', 'plan_providers.id'], name=op.f('fk_plan_actions_district_id_provider_id_plan_providers')),
    sa.ForeignKeyConstraint(['district_id', 'strategy_id'], ['plan_strategies.district_id', 'plan_strategies.id'], name=op.f('fk_plan_actions_district_id_strategy_id_plan_strategies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_actions_district_id_districts')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_plan_actions_owner_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_plan_actions_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_actions')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_owner_id'), ['owner_id'], unique=False)

    op.create_table('plan_action_evidence',
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('visit_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('observation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_action_evidence_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'observation_id'], ['observations.district_id', 'observations.id'], name=op.f('fk_plan_action_evidence_district_id_observation_id_observations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'visit_id'], ['visits.district_id', 'visits.id'], name=op.f('fk_plan_action_evidence_district_id_visit_id_visits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_action_evidence_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_action_evidence')),
    sa.UniqueConstraint('district_id', 'action_id', 'visit_id', name=op.f('uq_plan_action_evidence_district_id_action_id_visit_id')),
    info={'tenant_table': True}
    )
    op.create_table('plan_milestones',
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.Column('met_on', sa.Date(), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_milestones_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_milestones_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_milestones')),
    info={'tenant_table': True}
    )
    op.create_table('plan_risks',
    sa.Column('plan_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('mitigation', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("severity IN ('low', 'medium', 'high')", name=op.f('ck_plan_risks_severity')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_plan_risks_status')),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_risks_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'plan_id'], ['improvement_plans.district_id', 'improvement_plans.id'], name=op.f('fk_plan_risks_district_id_plan_id_improvement_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_risks_district_id_districts')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_plan_risks_owner_id_users')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_risks')),
    info={'tenant_table': True}
    )
    op.create_table('plan_progress_updates',
    sa.Column('action_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('milestone_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('author_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint("status IN ('not_started', 'on_track', 'at_risk', 'off_track', 'done')", name=op.f('ck_plan_progress_updates_status')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_plan_progress_updates_author_id_users')),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_progress_updates_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id', 'milestone_id'], ['plan_milestones.district_id', 'plan_milestones.id'], name=op.f('fk_plan_progress_updates_district_id_milestone_id_plan_milestones'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_progress_updates_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_progress_updates')),
    info={'tenant_table': True}
    )


def downgrade():
    op.drop_table('plan_progress_updates')
    op.drop_table('plan_risks')
    op.drop_table('plan_milestones')
    op.drop_table('plan_action_evidence')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actions_owner_id'))

    op.drop_table('plan_actions')
    op.drop_table('equity_measurements')
    op.drop_table('plan_strategies')
    op.drop_table('equity_goals')
    op.drop_table('status_reports')
    op.drop_table('plan_priorities')
    op.drop_table('plan_providers')
    op.drop_table('improvement_plans')
