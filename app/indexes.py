"""Every index the pages read beyond the keys, declared in one place: the models carry them (each `Index`
attaches itself to its table), migrations create them, and `tests/test_indexes.py` lists foreign keys
that none covers.

A tenant table's foreign key is (district_id, <parent>_id) (tenants/base.py); PostgreSQL indexes the
referenced key, never the referencing columns. Without an index the planner joins a parent to its
children by scanning each district's children (a nested loop over 900 visits, each reading its
district's observations: 1.3 s for a lead's home page at state scale).
"""
from sqlalchemy import Index

from app.accounts.models import User  # noqa: F401  (mapped before the plan models refer to it)
from app.districts.models import School, SchoolCluster, SchoolLeader
from app.evaluations.models import (
    EvaluationCycle,
    EvaluationEvent,
    EvaluationEvidence,
    EvaluationGoal,
    EvaluationGoalAction,
    EvaluationGoalRating,
    EvaluationReport,
    EvaluationStep,
)
from app.fieldwork.models import LookFor, Observation, SupportAssignment, Visit, VisitObserver, VisitSupport
from app.plans.impact import ImpactReview
from app.plans.models import (
    Action,
    ActionEvidence,
    ActionSchool,
    EquityGoal,
    Milestone,
    Priority,
    ProgressUpdate,
    Risk,
    StatusReport,
    Strategy,
)

# The regional dashboard's aggregates (migrations 0003_rollups and 0008_state_rollups).
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

# Plan health per district at the scale of a state (migration 0008_state_rollups).
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


def key_index(*columns) -> Index:
    """An index on a foreign key's columns, named after its table and columns."""
    table = columns[0].table.name
    return Index(f"ix_{table}_{'_'.join(column.key for column in columns)}", *columns)


# Every other foreign key (migration 0015_key_indexes): a tenant key by (district_id, <parent>_id), a user
# by (district_id, <user>_id) so that one district's rows of a person are one range.
KEY_INDEXES = (
    key_index(Observation.district_id, Observation.visit_id),
    key_index(SupportAssignment.district_id, SupportAssignment.school_id),
    key_index(ActionEvidence.district_id, ActionEvidence.visit_id),
    key_index(ActionEvidence.district_id, ActionEvidence.observation_id),
    key_index(Priority.district_id, Priority.plan_id),
    key_index(Strategy.district_id, Strategy.priority_id),
    key_index(Action.district_id, Action.strategy_id),
    key_index(Action.district_id, Action.provider_id),
    key_index(Action.district_id, Action.reviewed_by_id),
    key_index(ProgressUpdate.district_id, ProgressUpdate.milestone_id),
    key_index(ProgressUpdate.district_id, ProgressUpdate.author_id),
    key_index(Risk.district_id, Risk.action_id),
    key_index(Risk.district_id, Risk.owner_id),
    key_index(EquityGoal.district_id, EquityGoal.priority_id),
    key_index(StatusReport.district_id, StatusReport.plan_id),
    key_index(StatusReport.district_id, StatusReport.made_by_id),
    key_index(ImpactReview.district_id, ImpactReview.action_id),
    key_index(ImpactReview.district_id, ImpactReview.answered_by_id),
    key_index(LookFor.carried_from_id),
    # District school support (migration 0017_district_school_support): a person's joint visits, the visits
    # coaching a principal, a supervisor's clusters, a cluster's schools, a person's schools, a school's actions.
    key_index(VisitObserver.district_id, VisitObserver.user_id),
    key_index(Visit.district_id, Visit.principal_id),
    key_index(SchoolCluster.district_id, SchoolCluster.supervisor_id),
    key_index(School.district_id, School.cluster_id),
    key_index(SchoolLeader.district_id, SchoolLeader.user_id),
    key_index(ActionSchool.district_id, ActionSchool.school_id),
    # Principals' evaluation cycles (migration 0018_evaluations): an evaluator's cycles, a cycle's parts, the
    # evidence a visit or an observation is, and the people named on a part (kept when they leave: SET NULL).
    key_index(EvaluationCycle.district_id, EvaluationCycle.evaluator_id),
    key_index(EvaluationCycle.district_id, EvaluationCycle.school_id),
    key_index(EvaluationCycle.district_id, EvaluationCycle.opened_by_id),
    key_index(EvaluationStep.district_id, EvaluationStep.completed_by_id),
    key_index(EvaluationGoal.district_id, EvaluationGoal.cycle_id),
    key_index(EvaluationGoalAction.district_id, EvaluationGoalAction.cycle_id),
    key_index(EvaluationGoalAction.district_id, EvaluationGoalAction.action_id),
    key_index(EvaluationEvidence.district_id, EvaluationEvidence.cycle_id),
    key_index(EvaluationEvidence.district_id, EvaluationEvidence.visit_id),
    key_index(EvaluationEvidence.district_id, EvaluationEvidence.observation_id),
    key_index(EvaluationEvidence.district_id, EvaluationEvidence.added_by_id),
    key_index(EvaluationGoalRating.district_id, EvaluationGoalRating.cycle_id),
    key_index(EvaluationReport.district_id, EvaluationReport.issued_by_id),
    key_index(EvaluationReport.district_id, EvaluationReport.signed_by_id),
    key_index(EvaluationEvent.district_id, EvaluationEvent.cycle_id),
    key_index(EvaluationEvent.district_id, EvaluationEvent.user_id),
)


def foreign_keys_without_index(metadata) -> list[str]:
    """'table(columns)' of each foreign key whose columns lead no index, primary key or unique constraint,
    neither alone nor after `district_id`."""
    missing = []
    for table in sorted(metadata.tables.values(), key=lambda t: t.name):
        leading = [tuple(column.name for column in index.columns) for index in table.indexes]
        leading += [tuple(column.name for column in constraint.columns) for constraint in table.constraints
                    if constraint is table.primary_key or constraint.__class__.__name__ == "UniqueConstraint"]
        for key in table.foreign_key_constraints:
            columns = tuple(key.column_keys)
            wanted = {columns, columns if columns[0] == "district_id" else ("district_id", *columns)}
            if not any(found[:len(want)] == want for found in leading for want in wanted):
                missing.append(f"{table.name}({', '.join(columns)})")
    return missing
