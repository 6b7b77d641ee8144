"""The jobs. Each takes ids only, enters the scope of its user and district, and is idempotent."""
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
def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Mail a person without a password a link to set one; sent once per job, never to someone who has one."""
    from app.auth.invitations import mail_invitation

    return mail_invitation(user_id, invited_by_id)


@job
def send_password_reset(user_id: int) -> bool:
    """Mail an active person a link to set a new password, once per job."""
    from app.auth.invitations import mail_password_reset

    return mail_password_reset(user_id)
