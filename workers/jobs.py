"""The jobs. Each takes ids only, enters the scope of its user and district, and is idempotent."""
from datetime import date
from functools import cache, wraps

from flask import has_app_context
from sqlalchemy import func, select

from app.extensions import db
from tenants.access import scope_for_job
from tenants.scope import entered


@cache
def _app_for_jobs():
    from app import create_app

    return create_app()


def job(function):
    """Run inside an application context: the caller's when in-process, the worker's own otherwise."""

    @wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _app_for_jobs().app_context():
            return function(*args, **kwargs)

    return run


@job
def refresh_school_count(district_id: int, user_id: int) -> int:
    """Recount a district's schools into its cached school_count."""
    from app.districts.models import School
    from tenants.models import District

    with entered(scope_for_job(user_id, district_id)):
        try:
            district = db.session.get(District, district_id)
            if district is None:
                raise LookupError(f"district {district_id} is not in reach of user {user_id}")
            district.school_count = db.session.scalar(
                select(func.count()).select_from(School).where(School.district_id == district_id)
            )
            db.session.commit()
            return district.school_count
        except Exception:
            db.session.rollback()
            raise


@job
def make_due_status_reports(today: str | None = None) -> int:
    """For the scheduler: enqueue one status-report job per district whose interval has no report yet."""
    from app.plans.schedule import enqueue_due_status_reports

    return enqueue_due_status_reports(today)


@job
def make_status_report(district_id: int, interval_start: str) -> int:
    """Freeze a district's scheduled status report for the interval starting `interval_start`, once."""
    from app.plans.schedule import make_scheduled_report

    return make_scheduled_report(district_id, interval_start)


@job
def send_follow_up_reminders(today: str | None = None) -> int:
    """For the scheduler: enqueue a reminder job per person with follow-ups due today or overdue."""
    from app.notifications.services import enqueue_follow_up_reminders

    return enqueue_follow_up_reminders(today)


@job
def send_follow_up_reminder(user_id: int, day: str) -> bool:
    """Mail one lead their follow-ups due on `day` and overdue, once per day."""
    from app.notifications.services import send_follow_up_reminder as send

    return send(user_id, date.fromisoformat(day))


@job
def send_report_ready(district_id: int, report_id: int) -> int:
    """Mail a district's leaders that a status report is ready, once per leader and report."""
    from app.notifications.services import send_report_ready as send

    return send(district_id, report_id)


@job
def send_weekly_digests(today: str | None = None) -> int:
    """For the scheduler: enqueue a digest job per regional director for the last full week."""
    from app.notifications.services import enqueue_weekly_digests

    return enqueue_weekly_digests(today)


@job
def send_weekly_digest(user_id: int, week_start: str) -> bool:
    """Mail one regional director the digest of the week starting `week_start`, once per week."""
    from app.notifications.services import send_weekly_digest as send

    return send(user_id, date.fromisoformat(week_start))


@job
def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Mail a person without a password a link to set one; sent once per job, never to someone who has one."""
    from app.auth.invitations import mail_invitation

    return mail_invitation(user_id, invited_by_id)


@job
def send_password_reset(user_id: int) -> bool:
    """Mail an active person a link to set a new password, once per job."""
    from app.auth.invitations import mail_password_reset

    return mail_password_reset(user_id)


@job
def reconcile_jobs() -> dict:
    """For the scheduler: enqueue again the jobs the database records as pending and Redis has lost."""
    from workers.reconcile import reconcile_jobs as reconcile

    return reconcile()
