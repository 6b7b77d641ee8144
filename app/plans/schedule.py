"""Scheduled status reports: which districts are due, and making one district's report in its own scope.

A scheduler (`rq cron` or any clock) calls `workers.jobs.make_due_status_reports`
as often as it likes (daily is plenty); it enqueues `workers.jobs.make_status_report`
per district whose current interval has no report. That job is idempotent: the
unique key (district_id, scheduled_for) keeps one report per district and interval
even when it runs twice, and the enqueue helper gives it a timeout and retries.
"""
from datetime import date

from sqlalchemy import select

from app.clock import state_today
from app.extensions import db
from app.plans.models import ImprovementPlan, PlanStatus, StatusReport
from app.plans.reports import announce_report, freeze_status_report, interval_start, scheduled_report
from tenants.models import District
from workers.queues import enqueue


def enqueue_due_status_reports(today: str | None = None) -> int:
    """Enqueue the report job of every district with an active plan and no report for its current interval.

    The interval (monthly or quarterly) is the district's setting. Runs in the job's scope: every district, read only.
    """
    day = date.fromisoformat(today) if today else state_today()
    plans = db.session.execute(
        select(District.id, District.reporting_interval)
        .join(ImprovementPlan, ImprovementPlan.district_id == District.id)
        .where(ImprovementPlan.status == PlanStatus.ACTIVE)
        .distinct()
    ).all()
    starts = {district_id: interval_start(interval, day) for district_id, interval in plans}
    made = set(db.session.execute(
        select(StatusReport.district_id, StatusReport.scheduled_for)
        .where(StatusReport.scheduled_for.in_(set(starts.values())))
    ).tuples())
    due = [(district_id, start) for district_id, start in starts.items() if (district_id, start) not in made]
    for district_id, start in due:
        enqueue("workers.jobs.make_status_report", district_id, start.isoformat(), queue_name="reports")
    return len(due)


def make_scheduled_report(district_id: int, interval_start_on: str) -> int:
    """Freeze the report, in the job's scope of this one district only: the platform acts, on no one's behalf."""
    try:
        plan = db.session.scalars(
            select(ImprovementPlan).where(ImprovementPlan.district_id == district_id,
                                          ImprovementPlan.status == PlanStatus.ACTIVE)
            .order_by(ImprovementPlan.starts_on.desc()).limit(1)
        ).first()
        if plan is None:
            raise LookupError(f"district {district_id} has no active plan to report on")
        start = date.fromisoformat(interval_start_on)
        made = scheduled_report(district_id, start)
        if made is not None:
            return made.id  # the run that made it announced it
        report = freeze_status_report(plan, None, scheduled_for=start)
        # The job owns the transaction; the mail job reads the report, so it is announced once committed. If a run
        # at the same moment stored the interval's report first, this is that one: the mail job mails once per report.
        db.session.commit()
        announce_report(report)
        return report.id
    except Exception:
        db.session.rollback()
        raise
