"""Rows for improvement plans, equity goals, providers and status reports: writers change, everyone reads."""
from tests.matrix import WRITERS, TenantRoute

PLAN_FORM = {"title": "Renewed plan", "starts_on": "2026-07-01", "ends_on": "2029-06-30", "status": "active",
             "reporting_interval": "monthly", "stale_after_days": "21"}
# Answers to the equity impact checklist migration 0009 ships (question ids 1-4): a new action, and these edits
# of the due date and budget, ask it.
IMPACT_ANSWERS = {f"impact-{n}": "English learners in grades K-3." for n in range(1, 5)}
ACTION_FORM = {"strategy_id": "{strategy}", "title": "Coach K-3 teachers", "owner_id": "{leader}",
               "starts_on": "2026-09-01", "due_on": "2027-01-31", "status": "on_track", "allocated_cents": "1,000.00",
               **IMPACT_ANSWERS}
GOAL_FORM = {"metric": "Chronic absenteeism (%)", "student_group": "Students with disabilities",
             "comparison_group": "All students", "baseline_value": "30", "baseline_year": "2025",
             "target_value": "18", "target_year": "2028", "direction": "lower"}
P = "/districts/{slug}"

ROUTES = [
    TenantRoute("plans.dashboard", "GET", P + "/dashboard"),
    TenantRoute("plans.plan", "GET", P + "/plan"),
    TenantRoute("plans.new_plan", "GET", P + "/plan/new", WRITERS),
    TenantRoute("plans.new_plan", "POST", P + "/plan/new", WRITERS, data=PLAN_FORM),
    TenantRoute("plans.edit_plan", "GET", P + "/plans/{plan}/edit", WRITERS),
    TenantRoute("plans.edit_plan", "POST", P + "/plans/{plan}/edit", WRITERS, data=PLAN_FORM),
    TenantRoute("plans.add_priority", "POST", P + "/plans/{plan}/priorities", WRITERS, data={"title": "Attendance"}),
    TenantRoute("plans.add_strategy", "POST", P + "/plans/{plan}/strategies", WRITERS,
                data={"priority_id": "{priority}", "title": "Family outreach"}),
    TenantRoute("plans.new_action", "GET", P + "/plans/{plan}/actions/new", WRITERS),
    TenantRoute("plans.new_action", "POST", P + "/plans/{plan}/actions/new", WRITERS, data=ACTION_FORM),
    TenantRoute("plans.action", "GET", P + "/actions/{action}"),
    TenantRoute("plans.edit_action", "GET", P + "/actions/{action}/edit", WRITERS),
    TenantRoute("plans.edit_action", "POST", P + "/actions/{action}/edit", WRITERS, data=ACTION_FORM),
    TenantRoute("plans.post_update", "POST", P + "/actions/{action}/updates", WRITERS,
                data={"reported_on": "2026-10-01", "status": "at_risk", "narrative": "Vendor is late."}),
    TenantRoute("plans.add_milestone", "POST", P + "/actions/{action}/milestones", WRITERS,
                data={"title": "Training done", "target_on": "2027-01-15"}),
    TenantRoute("plans.milestone_met", "POST", P + "/milestones/{milestone}/met", WRITERS),
    TenantRoute("plans.add_risk", "POST", P + "/actions/{action}/risks", WRITERS,
                data={"title": "Substitute shortage", "severity": "medium"}),
    TenantRoute("plans.close_risk", "POST", P + "/risks/{risk}/close", WRITERS),
    TenantRoute("plans.review", "POST", P + "/actions/{action}/review", WRITERS, data={"review_comment": "Sound."}),
    TenantRoute("plans.link_evidence", "POST", P + "/actions/{action}/evidence", WRITERS,
                data={"visit_id": "{visit}"}),
    TenantRoute("plans.providers", "GET", P + "/providers"),
    TenantRoute("plans.providers", "POST", P + "/providers", WRITERS,
                data={"name": "Reading Recovery Council", "kind": "provider", "contract_cents": "25000"}),
    TenantRoute("plans.goals", "GET", P + "/goals"),
    TenantRoute("plans.goals", "POST", P + "/goals", WRITERS, data=GOAL_FORM),
    TenantRoute("plans.goal", "GET", P + "/goals/{goal}"),
    TenantRoute("plans.add_measurement", "POST", P + "/goals/{goal}/measurements", WRITERS,
                data={"year": "2027", "value": "29.5", "comparison_value": "44"}),
    TenantRoute("plans.reports", "GET", P + "/reports"),
    TenantRoute("plans.reports", "POST", P + "/reports", WRITERS),
    TenantRoute("plans.report", "GET", P + "/reports/{report}"),
    TenantRoute("plans.report_as_pdf", "GET", P + "/reports/{report}.pdf"),
    TenantRoute("plans.report_as_csv", "GET", P + "/reports/{report}.csv"),
]
