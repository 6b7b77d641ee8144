"""indexes for the regional rollups

Revision ID: 0003_rollups
Revises: 0002_fieldwork
"""
from alembic import op

revision = '0003_rollups'
down_revision = '0002_fieldwork'
branch_labels = None
depends_on = None

# name, table, columns: the same as app/indexes.py.
INDEXES = (
    ("ix_visits_last_per_school", "visits", ["district_id", "school_id", "visited_on"]),
    ("ix_visits_lead_visited_on", "visits", ["lead_id", "visited_on"]),
    ("ix_visits_district_visited_on", "visits", ["district_id", "visited_on", "minutes"]),
    ("ix_schools_district_category", "schools", ["district_id", "accountability_category"]),
    ("ix_support_assignments_lead_starts_on", "support_assignments", ["lead_id", "starts_on"]),
    ("ix_visit_supports_assignment", "visit_supports", ["district_id", "support_assignment_id"]),
)


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
