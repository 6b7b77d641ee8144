"""The jobs. Each takes ids only, runs in the scope its arguments give (see `job`), and is idempotent."""
from datetime import date
from functools import cache, wraps

from flask import has_app_context
from sqlalchemy import func, select

from app.extensions import db
from tenants.access import reading_scope_for_job, scope_for_job
from tenants.scope import NOTHING, entered
from tenants.scopes import district_mail_scope, fan_out_scope, scheduled_report_scope


@cache
def _app_for_jobs():
    from app import create_app

    return create_app()


def job(function=None, *, scope=None):
    """Run inside an application context (the caller's when in-process, the worker's own otherwise) and in the
    job's own scope: `scope(*args, **kwargs)`, a constructor of `tenants.scopes` or `tenants.access`.

    The job starts from no scope, so nothing carries over from the request that ran it in-process (no REDIS_URL)
    and it sees the same rows there as under RQ; a job declared without `scope` sees no tenant row.
    """
    if function is None:
        return lambda function: job(function, scope=scope)

    def in_own_scope(args, kwargs):
        with entered(NOTHING), entered(scope(*args, **kwargs) if scope else NOTHING):
            return function(*args, **kwargs)

    @wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return in_own_scope(args, kwargs)
        with _app_for_jobs().app_context():
            return in_own_scope(args, kwargs)

    return run


@job(scope=lambda district_id, user_id: scope_for_job(user_id, district_id))
def refresh_school_count(district_id: int, user_id: int) -> int:
    """Recount a district's schools into its cached school_count."""
    from app.districts.models import School
    from tenants.models import District

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


@job(scope=lambda today=None: fan_out_scope("districts due a status report"))
def make_due_status_reports(today: str | None = None) -> int:
    """For the scheduler: enqueue one status-report job per district whose interval has no report yet."""
    from app.plans.schedule import enqueue_due_status_reports

    return enqueue_due_status_reports(today)


@job(scope=lambda district_id, interval_start: scheduled_report_scope(district_id))
def make_status_report(district_id: int, interval_start: str) -> int:
    """Freeze a district's scheduled status report for the interval starting `interval_start`, once."""
    from app.plans.schedule import make_scheduled_report

    return make_scheduled_report(district_id, interval_start)


@job(scope=lambda today=None: fan_out_scope("people with follow-ups due"))
def send_follow_up_reminders(today: str | None = None) -> int:
    """For the scheduler: enqueue a reminder job per person with follow-ups due today or overdue."""
    from app.notifications.services import enqueue_follow_up_reminders

    return enqueue_follow_up_reminders(today)


@job(scope=lambda user_id, day: reading_scope_for_job(user_id))
def send_follow_up_reminder(user_id: int, day: str) -> bool:
    """Mail one lead their follow-ups due on `day` and overdue, once per day."""
    from app.notifications.services import send_follow_up_reminder as send

    return send(user_id, date.fromisoformat(day))


@job(scope=lambda district_id, report_id: district_mail_scope(district_id))
def send_report_ready(district_id: int, report_id: int) -> int:
    """Mail a district's leaders that a status report is ready, once per leader and report."""
    from app.notifications.services import send_report_ready as send

    return send(district_id, report_id)


@job(scope=lambda today=None: fan_out_scope("regional directors due a digest"))
def send_weekly_digests(today: str | None = None) -> int:
    """For the scheduler: enqueue a digest job per regional director for the last full week."""
    from app.notifications.services import enqueue_weekly_digests

    return enqueue_weekly_digests(today)


@job(scope=lambda user_id, week_start: reading_scope_for_job(user_id))
def send_weekly_digest(user_id: int, week_start: str) -> bool:
    """Mail one regional director the digest of the week starting `week_start`, once per week."""
    from app.notifications.services import send_weekly_digest as send

    return send(user_id, date.fromisoformat(week_start))


@job(scope=lambda user_id, invited_by_id: reading_scope_for_job(user_id))
def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Mail a person without a password a link to set one; sent once per job, never to someone who has one."""
    from app.auth.invitations import mail_invitation

    return mail_invitation(user_id, invited_by_id)


@job(scope=lambda user_id: reading_scope_for_job(user_id))
def send_password_reset(user_id: int) -> bool:
    """Mail an active person a link to set a new password, once per job."""
    from app.auth.invitations import mail_password_reset

    return mail_password_reset(user_id)


@job
def reconcile_jobs() -> dict:
    """For the scheduler: enqueue again the jobs the database records as pending and Redis has lost."""
    from workers.reconcile import reconcile_jobs as reconcile

    return reconcile()
