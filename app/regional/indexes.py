"""Indexes the regional dashboard's aggregates read (created by migrations 0003_rollups and 0008_state_rollups).

Declared here, next to the queries that need them, and attached to the field-work
tables so that the models and the migration stay in step.
"""
from sqlalchemy import Index

from app.districts.models import School
from app.fieldwork.models import SupportAssignment, Visit, VisitSupport
from app.plans.models import Action, Milestone, ProgressUpdate, Risk

ROLLUP_INDEXES = (
    # The last visit of each school: an index-only walk, not a scan of every visit.
    Index("ix_visits_last_per_school", Visit.district_id, Visit.school_id, Visit.visited_on),
    # A lead's visits in a period (capacity).
    Index("ix_visits_lead_visited_on", Visit.lead_id, Visit.visited_on),
    # Hours delivered to a district in a period (deployment), with the minutes read from the index.
    Index("ix_visits_district_visited_on", Visit.district_id, Visit.visited_on, Visit.minutes),
    # The schools of a district needing assistance.
    Index("ix_schools_district_category", School.district_id, School.accountability_category),
    # A lead's supports overlapping a period.
    Index("ix_support_assignments_lead_starts_on", SupportAssignment.lead_id, SupportAssignment.starts_on),
    # The visits that served a support (filter by support type).
    Index("ix_visit_supports_assignment", VisitSupport.district_id, VisitSupport.support_assignment_id),
)

# Plan health per district at the scale of a state (migration 0008_state_rollups): the foreign keys
# through (district_id, <parent>_id) have no index of their own in PostgreSQL.
PLAN_ROLLUP_INDEXES = (
    # Each action's last progress update (stale actions): read from the index alone.
    Index("ix_plan_progress_updates_last_per_action", ProgressUpdate.district_id, ProgressUpdate.action_id,
          ProgressUpdate.reported_on),
    # The actions of a district's plans.
    Index("ix_plan_actions_plan", Action.district_id, Action.plan_id),
    # The milestones of an action (missed milestones).
    Index("ix_plan_milestones_action", Milestone.district_id, Milestone.action_id),
    # The risks of a district's plans.
    Index("ix_plan_risks_plan", Risk.district_id, Risk.plan_id),
)
