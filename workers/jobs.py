"""The jobs, each named by its dotted path here (`workers.jobs.<name>`) when enqueued and in the schedule.

Each takes ids only, runs in the scope its arguments give (`workers.context.job`), is idempotent, and calls
one service of the application: this module is the top of the house, where RQ enters it.
"""
from datetime import date

from app.auth.invitations import mail_invitation, mail_password_reset
from app.districts.services import recount_schools
from app.evaluations.services import mail_evaluation_to_sign
from app.extensions import db
from app.notifications import services as notifications
from app.plans.schedule import enqueue_due_status_reports, make_scheduled_report
from tenants.access import reading_scope_for_job, scope_for_job
from tenants.models import District
from tenants.scopes import district_mail_scope, fan_out_scope, scheduled_report_scope
from workers.context import job
from workers.reconcile import reconcile_jobs as reconcile


@job(scope=lambda district_id, user_id: scope_for_job(user_id, district_id))
def refresh_school_count(district_id: int, user_id: int) -> int:
    """Recount a district's schools into its cached school_count."""
    try:
        district = db.session.get(District, district_id)
        if district is None:
            raise LookupError(f"district {district_id} is not in reach of user {user_id}")
        count = recount_schools(district)
        db.session.commit()
        return count
    except Exception:
        db.session.rollback()
        raise


@job(scope=lambda today=None: fan_out_scope("districts due a status report"))
def make_due_status_reports(today: str | None = None) -> int:
    """For the scheduler: enqueue one status-report job per district whose interval has no report yet."""
    return enqueue_due_status_reports(today)


@job(scope=lambda district_id, interval_start: scheduled_report_scope(district_id))
def make_status_report(district_id: int, interval_start: str) -> int:
    """Freeze a district's scheduled status report for the interval starting `interval_start`, once."""
    return make_scheduled_report(district_id, interval_start)


@job(scope=lambda today=None: fan_out_scope("people with follow-ups due"))
def send_follow_up_reminders(today: str | None = None) -> int:
    """For the scheduler: enqueue a reminder job per person with follow-ups due today or overdue."""
    return notifications.enqueue_follow_up_reminders(today)


@job(scope=lambda user_id, day: reading_scope_for_job(user_id))
def send_follow_up_reminder(user_id: int, day: str) -> bool:
    """Mail one lead their follow-ups due on `day` and overdue, once per day."""
    return notifications.send_follow_up_reminder(user_id, date.fromisoformat(day))


@job(scope=lambda district_id, report_id: district_mail_scope(district_id))
def send_report_ready(district_id: int, report_id: int) -> int:
    """Mail a district's leaders that a status report is ready, once per leader and report."""
    return notifications.send_report_ready(district_id, report_id)


@job(scope=lambda today=None: fan_out_scope("regional directors due a digest"))
def send_weekly_digests(today: str | None = None) -> int:
    """For the scheduler: enqueue a digest job per regional director for the last full week."""
    return notifications.enqueue_weekly_digests(today)


@job(scope=lambda user_id, week_start: reading_scope_for_job(user_id))
def send_weekly_digest(user_id: int, week_start: str) -> bool:
    """Mail one regional director the digest of the week starting `week_start`, once per week."""
    return notifications.send_weekly_digest(user_id, date.fromisoformat(week_start))


@job(scope=lambda district_id, principal_id, report_id: reading_scope_for_job(principal_id))
def send_evaluation_to_sign(district_id: int, principal_id: int, report_id: int) -> bool:
    """Mail a principal that a version of their evaluation is ready to sign (read as them: it is in their circle)."""
    return mail_evaluation_to_sign(district_id, principal_id, report_id)


@job(scope=lambda user_id, invited_by_id: reading_scope_for_job(user_id))
def send_invitation(user_id: int, invited_by_id: int | None) -> bool:
    """Mail a person without a password a link to set one; sent once per job, never to someone who has one."""
    return mail_invitation(user_id, invited_by_id)


@job(scope=lambda user_id: reading_scope_for_job(user_id))
def send_password_reset(user_id: int) -> bool:
    """Mail an active person a link to set a new password, once per job."""
    return mail_password_reset(user_id)


@job
def reconcile_jobs() -> dict:
    """For the scheduler: enqueue again the jobs the database records as pending and Redis has lost."""
    return reconcile()
