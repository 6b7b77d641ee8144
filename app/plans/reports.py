"""Status reports: a frozen snapshot of a plan's figures, and what changed since the previous one.

The snapshot is plain JSON made from the same derived figures the pages show
(plan health, goals' gap and trajectory); the page, the PDF and the CSV are all
rendered from it, so a report never changes when the plan does.
"""
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.clock import state_today, stored_now
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from app.mail import send_later
from app.plans.equity import figures_of_goals, goals_with_progress
from app.plans.health import health_by_priority, plan_health
from app.plans.models import Action, EquityGoal, ImprovementPlan, Milestone, ProgressUpdate, StatusReport
from app.plans.services import risks_of
from app.text import dollars
from tenants.models import ReportingInterval

HEALTH_LABELS = {
    "actions": "Actions",
    "overdue": "Overdue actions",
    "stale": "Actions with no recent update",
    "over_budget": "Actions over budget",
    "milestones_missed": "Milestones missed",
    "open_high_risks": "Open high risks",
}


def interval_start(interval: ReportingInterval, day: date) -> date:
    """The first day of the reporting interval (month or quarter) that `day` falls in."""
    if interval == ReportingInterval.MONTHLY:
        return day.replace(day=1)
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def reports_of(district_id: int) -> list[StatusReport]:
    return list(db.session.scalars(
        select(StatusReport).where(StatusReport.district_id == district_id)
        .order_by(StatusReport.made_at.desc(), StatusReport.id.desc())
    ))


def previous_report(report: StatusReport) -> StatusReport | None:
    """The district's report made just before this one."""
    return db.session.scalars(
        select(StatusReport)
        .where(StatusReport.district_id == report.district_id,
               or_(StatusReport.made_at < report.made_at,
                   and_(StatusReport.made_at == report.made_at, StatusReport.id < report.id)))
        .order_by(StatusReport.made_at.desc(), StatusReport.id.desc())
        .limit(1)
    ).first()


def freeze_status_report(plan: ImprovementPlan, made_by: User | None, scheduled_for: date | None = None,
                         today: date | None = None) -> StatusReport:
    """Freeze the plan's figures now; a scheduled report is made once per district and interval.

    The report is flushed, not committed: the caller commits, then announces it
    (`announce_report`), so that the mail job finds it.
    """
    if scheduled_for is not None:
        existing = scheduled_report(plan.district_id, scheduled_for)
        if existing is not None:
            return existing
    today = today or state_today()
    made_at = stored_now()
    latest = next(iter(reports_of(plan.district_id)), None)
    # By the exact instant the previous report was frozen, not its day: an update posted on that day
    # after it was frozen belongs to this report, and one posted before it must not appear again.
    since = state_today(latest.made_at.replace(tzinfo=UTC)) if latest else plan.starts_on
    report = StatusReport(
        district_id=plan.district_id, plan_id=plan.id, scheduled_for=scheduled_for,
        made_by_id=made_by.id if made_by else None, made_at=made_at,
        snapshot=_plain(snapshot_of(plan, today, since, posted_after=latest.made_at if latest else None,
                                    frozen_at=made_at)),
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        # The same interval's job ran twice at once: the other run stored it first.
        existing = scheduled_report(plan.district_id, scheduled_for)
        if existing is None:
            raise
        return existing
    return report


def scheduled_report(district_id: int, scheduled_for: date | None) -> StatusReport | None:
    """The district's report scheduled for the interval starting `scheduled_for`, if made."""
    return db.session.scalars(
        select(StatusReport).where(StatusReport.district_id == district_id,
                                   StatusReport.scheduled_for == scheduled_for)
    ).one_or_none()


def snapshot_of(plan: ImprovementPlan, today: date, since: date, posted_after: datetime | None = None,
                frozen_at: datetime | None = None) -> dict:
    """Every figure a status report shows, as of `today`; supports (visits) since the day `since`.

    Progress updates are those posted after `posted_after` (the previous report's `made_at`,
    naive UTC) up to `frozen_at`; with no previous report, those reported on or after `since`.
    """
    posted = [ProgressUpdate.posted_at > posted_after] if posted_after else [ProgressUpdate.reported_on >= since]
    if frozen_at:
        posted.append(ProgressUpdate.posted_at <= frozen_at)
    district = plan.district
    health = plan_health(plan, today)
    by_priority = health_by_priority(plan, today)
    actions = list(db.session.scalars(
        select(Action).where(Action.district_id == plan.district_id, Action.plan_id == plan.id)
        .order_by(Action.due_on, Action.id)
    ))
    updates = db.session.execute(
        select(ProgressUpdate, Action.title)
        .join(Action, and_(Action.district_id == ProgressUpdate.district_id, Action.id == ProgressUpdate.action_id))
        .where(Action.plan_id == plan.id, *posted)
        .order_by(ProgressUpdate.reported_on, ProgressUpdate.id)
    )
    milestones = db.session.execute(
        select(Milestone, Action.title)
        .join(Action, and_(Action.district_id == Milestone.district_id, Action.id == Milestone.action_id))
        .where(Action.plan_id == plan.id)
        .order_by(Milestone.target_on, Milestone.id)
    )
    visits, minutes, observations = db.session.execute(
        select(func.count(func.distinct(Visit.id)), func.coalesce(func.sum(Visit.minutes), 0),
               select(func.count()).select_from(Observation)
               .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
               .where(Visit.district_id == district.id, Visit.visited_on >= since, Visit.visited_on <= today)
               .scalar_subquery())
        .where(Visit.district_id == district.id, Visit.visited_on >= since, Visit.visited_on <= today)
    ).one()
    return {
        "district": district.name,
        "plan": {"id": plan.id, "title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on,
                 "status": plan.status, "stale_after_days": district.stale_after_days},
        "as_of": today,
        "since": since,
        "health": health.as_dict(),
        "health_summary": health.summary(district.stale_after_days),
        "priorities": [
            {"title": p.title, "health": by_priority[p.id].as_dict(),
             "summary": by_priority[p.id].summary(district.stale_after_days)}
            for p in plan.priorities
        ],
        "actions": [
            {"id": a.id, "title": a.title, "status": a.status, "owner": a.owner.name, "due_on": a.due_on,
             "allocated_cents": a.allocated_cents, "spent_cents": a.spent_cents,
             "provider": a.provider.name if a.provider else None}
            for a in actions
        ],
        "updates": [
            {"action": title, "reported_on": u.reported_on, "status": u.status, "narrative": u.narrative}
            for u, title in updates
        ],
        "risks": [
            {"id": r.id, "title": r.title, "severity": r.severity, "status": r.status,
             "action": r.action.title if r.action else None, "mitigation": r.mitigation}
            for r in risks_of(plan)
        ],
        "milestones": [
            {"id": m.id, "title": m.title, "action": title, "target_on": m.target_on, "met_on": m.met_on,
             "state": "met" if m.met_on else ("missed" if m.target_on < today else "due")}
            for m, title in milestones
        ],
        "goals": figures_of_goals(goals_with_progress(EquityGoal.district_id == district.id)),
        "supports": {"visits": visits, "minutes": int(minutes), "observations": observations},
    }


def changes_since(before: dict | None, after: dict) -> list[str]:
    """What changed between two frozen snapshots, in words, for a report's "what changed" section."""
    if before is None:
        return ["This is the district's first status report."]
    changes = []
    for key, label in HEALTH_LABELS.items():
        old, new = before["health"].get(key, 0), after["health"].get(key, 0)
        if old != new:
            changes.append(f"{label}: {old} → {new}")
    for old, action in _matched(before, after, "actions"):
        if old is None:
            changes.append(f"New action: {action['title']}")
        elif old["status"] != action["status"]:
            changes.append(f"{action['title']}: {_words(old['status'])} → {_words(action['status'])}")
    for old, risk in _matched(before, after, "risks"):
        if old is None:
            changes.append(f"New {risk['severity']} risk: {risk['title']}")
        elif old["status"] != risk["status"]:
            changes.append(f"Risk {risk['status']}: {risk['title']}")
    for old, milestone in _matched(before, after, "milestones"):
        if old is not None and old["state"] != milestone["state"]:
            changes.append(f"Milestone {milestone['state']}: {milestone['title']}")
    for old, goal in _matched(before, after, "goals"):
        if old is not None and old["latest_year"] != goal["latest_year"]:
            changes.append(f"New measurement ({goal['latest_year']}) for {goal['metric']}, {goal['student_group']}")
        if old is not None and old["on_track"] != goal["on_track"]:
            changes.append(f"{goal['metric']}, {goal['student_group']}: {_track(old['on_track'])} → "
                           f"{_track(goal['on_track'])}")
    return changes or ["Nothing changed since the previous report."]


def _matched(before: dict, after: dict, section: str) -> list[tuple[dict | None, dict]]:
    """Each item of a section of the later snapshot with the same item (by id) in the earlier one, or None."""
    earlier = {item["id"]: item for item in before[section]}
    return [(earlier.get(item["id"]), item) for item in after[section]]


def _words(value: str) -> str:
    return value.replace("_", " ")


def _track(on_track: bool | None) -> str:
    return "no measurement yet" if on_track is None else ("on track" if on_track else "off track")


def csv_rows(snapshot: dict) -> list[tuple]:
    """The snapshot as rows of (section, item, status, date, figure) for a CSV download."""
    rows = [("Report", snapshot["district"], snapshot["plan"]["title"], snapshot["as_of"], None)]
    rows += [("Plan health", HEALTH_LABELS[key], None, None, value) for key, value in snapshot["health"].items()]
    rows += [("Priority", p["title"], p["summary"], None, None) for p in snapshot["priorities"]]
    rows += [("Action", a["title"], _words(a["status"]), a["due_on"],
              f"spent {dollars(a['spent_cents'])} of {dollars(a['allocated_cents'])}") for a in snapshot["actions"]]
    rows += [("Progress update", u["action"], _words(u["status"]), u["reported_on"], u["narrative"])
             for u in snapshot["updates"]]
    rows += [("Risk", r["title"], r["status"], None, r["severity"]) for r in snapshot["risks"]]
    rows += [("Milestone", m["title"], m["state"], m["target_on"], None) for m in snapshot["milestones"]]
    rows += [("Equity goal", f"{g['metric']}: {g['student_group']}", _track(g["on_track"]), g["latest_year"],
              f"latest {g['latest_value']}, gap {g['gap']}") for g in snapshot["goals"]]
    supports = snapshot["supports"]
    rows += [("Supports delivered", "Visits", None, None, supports["visits"]),
             ("Supports delivered", "Minutes", None, None, supports["minutes"]),
             ("Supports delivered", "Classroom observations", None, None, supports["observations"])]
    return rows


def _plain(value):
    """The snapshot as JSON values: dates as ISO text, Decimals as exact text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def announce_report(report: StatusReport) -> bool:
    """Queue the "report ready" mail to the district's leaders and monitor, by job name (plans stand below
    notifications). Call it after the report is committed: the job reads it from the database."""
    return send_later("workers.jobs.send_report_ready", report.district_id, report.id)
