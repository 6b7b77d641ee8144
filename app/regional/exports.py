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


def _field(header: str, name: str) -> Column:
    """A column showing the row's `name` as it is."""
    return Column(header, lambda row: getattr(row, name))


def _figure(header: str, name: str) -> Column:
    """A column showing the row's `name`, a SQL numeric, as a number a spreadsheet reads."""
    return Column(header, lambda row: _number(getattr(row, name)))


COLUMNS = {
    "coverage-districts": (
        _field("District", "district"),
        _field("Region", "region"),
        Column("Accountability", lambda r: _status(r.status)),
        _field("Schools needing assistance", "needing"),
        _field("Visited in 30 days", "visited_30"),
        _field("Visited in 60 days", "visited_60"),
        _field("Visited in 90 days", "visited_90"),
        Column("Share visited in 90 days (%)", lambda r: round(float(r.share_90))),
        _field("Never visited", "never_visited"),
        _field("Last visit", "last_visit"),
        _field("Days since", "days_since"),
        _field("Follow-ups overdue", "overdue"),
    ),
    "coverage-schools": (
        _field("District", "district"),
        _field("School", "school"),
        Column("Accountability", lambda r: _status(r.category)),
        _field("Last visit", "last_visit"),
        _field("Days since", "days_since"),
    ),
    "coverage-staff": (
        _field("District", "district"),
        _field("School", "school"),
        Column("Accountability", lambda r: _status(r.category)),
        _field("Visits by district staff in the period", "staff_visits"),
        _field("Last visit by district staff", "last_staff_visit"),
        _field("Days since", "days_since_staff"),
        _field("Visits by the support team in the period", "support_visits"),
        Column("Visited by nobody in the period", lambda r: "yes" if r.nobody else "no"),
    ),
    "capacity": (
        _field("Lead", "lead"),
        _field("Districts", "districts"),
        _field("Schools with supports", "schools"),
        _figure("Planned hours", "planned_hours"),
        _figure("Delivered hours", "delivered_hours"),
        _field("Visits", "visits"),
        _figure("Visits per week", "visits_per_week"),
        _figure("Planned share of capacity (%)", "load"),
        Column("Flag", _flag),
    ),
    "deployment": (
        _field("District", "district"),
        _field("Region", "region"),
        Column("Accountability", lambda r: _status(r.status)),
        _field("Schools needing assistance", "needing"),
        _field("Enrollment", "enrollment"),
        _figure("Hours delivered", "hours"),
        _figure("Hours per school needing assistance", "hours_per_school"),
        _figure("Hours per 1,000 students", "hours_per_thousand"),
        _figure("Ratio to the median district", "ratio"),
        Column("Flag", _flag),
    ),
    "plans": (
        _field("District", "district"),
        _field("Region", "region"),
        _field("Actions in active plans", "actions"),
        _field("Overdue actions", "overdue"),
        _field("Actions with no recent update", "stale"),
        _field("Actions over budget", "over_budget"),
        _field("Milestones missed", "milestones_missed"),
        _field("Open high risks", "open_high_risks"),
        _field("Equity goals on track", "on_track"),
        _field("Equity goals off track", "off_track"),
    ),
}
