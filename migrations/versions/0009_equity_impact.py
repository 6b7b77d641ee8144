"""equity impact questions and their answers on actions

Revision ID: 0009_equity_impact
Revises: 0008_state_rollups

The platform's checklist (a catalog, shipped here with ids 1-4) and, keyed by
(district_id, id), each action's rounds of answers; from app/plans/impact.py.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009_equity_impact'
down_revision = '0008_state_rollups'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table('equity_impact_questions',
    sa.Column('id', ID, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('help_text', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equity_impact_questions'))
    )
    op.create_table('plan_impact_reviews',
    sa.Column('action_id', ID, nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('answered_by_id', ID, nullable=True),
    sa.Column('answered_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('id', ID, sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_plan_impact_reviews_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id', 'action_id'], ['plan_actions.district_id', 'plan_actions.id'], name=op.f('fk_plan_impact_reviews_district_id_action_id_plan_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_impact_reviews_district_id_districts')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_impact_reviews')),
    info={'tenant_table': True}
    )
    op.create_table('plan_impact_answers',
    sa.Column('review_id', ID, nullable=False),
    sa.Column('question_id', ID, nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('id', ID, sa.Identity(always=False), autoincrement=True, nullable=False),
    sa.Column('district_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['district_id', 'review_id'], ['plan_impact_reviews.district_id', 'plan_impact_reviews.id'], name=op.f('fk_plan_impact_answers_district_id_review_id_plan_impact_reviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_plan_impact_answers_district_id_districts')),
    sa.ForeignKeyConstraint(['question_id'], ['equity_impact_questions.id'], name=op.f('fk_plan_impact_answers_question_id_equity_impact_questions')),
    sa.PrimaryKeyConstraint('district_id', 'id', name=op.f('pk_plan_impact_answers')),
    sa.UniqueConstraint('district_id', 'review_id', 'question_id', name=op.f('uq_plan_impact_answers_district_id_review_id_question_id')),
    info={'tenant_table': True}
    )
    with op.batch_alter_table('plan_impact_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_impact_answers_question_id'), ['question_id'], unique=False)
    _ship_checklist()


# The checklist every installation starts with, in the student groups' words of the state's accountability
# system (../shared/data/MA_ACCOUNTABILITY.md); admins edit it afterwards.
QUESTIONS = [
    ("Which student groups will this action serve?",
     "Name them as the state reports them: high needs, economically disadvantaged (low income), English learners "
     "and former English learners, students with disabilities, racial and ethnic groups."),
    ("Could this action widen a gap for high-needs students, English learners or students with disabilities? "
     "How will you prevent that?",
     "Think of access: schedules, transportation, language, accommodations, and who is likely to be left out."),
    ("What data will show its effect on those student groups, and when?",
     "For example MCAS results, chronic absenteeism or progress toward English language proficiency, "
     "by student group, with the dates you will look at them."),
    ("Who from those student groups, or their families, was consulted, and what did they say?",
     "Students, families, the English Learner Parent Advisory Council, the Special Education Parent Advisory "
     "Council, community partners."),
]


def _ship_checklist():
    questions = sa.table("equity_impact_questions", sa.column("id"), sa.column("position"), sa.column("text"),
                         sa.column("help_text"), sa.column("active"))
    op.bulk_insert(questions, [
        {"id": i, "position": i, "text": text, "help_text": help_text, "active": True}
        for i, (text, help_text) in enumerate(QUESTIONS, start=1)
    ])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"SELECT setval(pg_get_serial_sequence('equity_impact_questions', 'id'), {len(QUESTIONS)})")


def downgrade():
    with op.batch_alter_table('plan_impact_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_impact_answers_question_id'))
    op.drop_table('plan_impact_answers')
    op.drop_table('plan_impact_reviews')
    op.drop_table('equity_impact_questions')
