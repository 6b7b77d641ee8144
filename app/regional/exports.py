"""The columns of each dashboard table in a CSV or Excel download (the same figures as on the page)."""
from app.lists import Column
from tenants.models import AccountabilityStatus

FLAGS = {"over": "Over-loaded", "under": "Under-loaded", "below": "Far below the median", "above": "Far above the median"}


def _status(value) -> str:
    return AccountabilityStatus(value).label


def _flag(row) -> str:
    return FLAGS.get(row.flag, "")


def _number(value):
    return float(value) if value is not None else None


COLUMNS = {
    "coverage-districts": (
        Column("District", lambda r: r.district),
        Column("Region", lambda r: r.region),
        Column("Accountability", lambda r: _status(r.status)),
        Column("Schools needing assistance", lambda r: r.needing),
        Column("Visited in 30 days", lambda r: r.visited_30),
        Column("Visited in 60 days", lambda r: r.visited_60),
        Column("Visited in 90 days", lambda r: r.visited_90),
        Column("Share visited in 90 days (%)", lambda r: round(float(r.share_90))),
        Column("Never visited", lambda r: r.never_visited),
        Column("Last visit", lambda r: r.last_visit),
        Column("Days since", lambda r: r.days_since),
        Column("Follow-ups overdue", lambda r: r.overdue),
    ),
    "coverage-schools": (
        Column("District", lambda r: r.district),
        Column("School", lambda r: r.school),
        Column("Accountability", lambda r: _status(r.category)),
        Column("Last visit", lambda r: r.last_visit),
        Column("Days since", lambda r: r.days_since),
    ),
    "capacity": (
        Column("Lead", lambda r: r.lead),
        Column("Districts", lambda r: r.districts),
        Column("Schools with supports", lambda r: r.schools),
        Column("Planned hours", lambda r: _number(r.planned_hours)),
        Column("Delivered hours", lambda r: _number(r.delivered_hours)),
        Column("Visits", lambda r: r.visits),
        Column("Visits per week", lambda r: _number(r.visits_per_week)),
        Column("Planned share of capacity (%)", lambda r: _number(r.load)),
        Column("Flag", _flag),
    ),
    "deployment": (
        Column("District", lambda r: r.district),
        Column("Region", lambda r: r.region),
        Column("Accountability", lambda r: _status(r.status)),
        Column("Schools needing assistance", lambda r: r.needing),
        Column("Enrollment", lambda r: r.enrollment),
        Column("Hours delivered", lambda r: _number(r.hours)),
        Column("Hours per school needing assistance", lambda r: _number(r.hours_per_school)),
        Column("Hours per 1,000 students", lambda r: _number(r.hours_per_thousand)),
        Column("Ratio to the median district", lambda r: _number(r.ratio)),
        Column("Flag", _flag),
    ),
    "plans": (
        Column("District", lambda r: r.district),
        Column("Region", lambda r: r.region),
        Column("Actions in active plans", lambda r: r.actions),
        Column("Overdue actions", lambda r: r.overdue),
        Column("Actions with no recent update", lambda r: r.stale),
        Column("Actions over budget", lambda r: r.over_budget),
        Column("Milestones missed", lambda r: r.milestones_missed),
        Column("Open high risks", lambda r: r.open_high_risks),
        Column("Equity goals on track", lambda r: r.on_track),
        Column("Equity goals off track", lambda r: r.off_track),
    ),
}
