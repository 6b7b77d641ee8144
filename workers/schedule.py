"""The schedule, read by `flask scheduler` (or `rq cron workers.schedule`): what is enqueued, when, on which queue.

Cron expressions are in UTC: rq's cron scheduler reads its clock in UTC. 10:00 and
11:00 UTC are 5 and 6 a.m. in Massachusetts in winter (6 and 7 a.m. in summer). The
jobs' "today" is the state's day (`app.clock.state_today`, setting STATE_TIME_ZONE),
whatever the hour they run.
Each job here only finds who or what is due and enqueues one idempotent job per
district or person, with the usual timeout and retries.
"""
from rq import cron

from config import Config
from workers.jobs import make_due_status_reports, reconcile_jobs, send_follow_up_reminders, send_weekly_digests

STATUS_REPORTS = "0 10 * * *"  # daily: reports due for the month or quarter, before the mail goes out
FOLLOW_UP_REMINDERS = "0 11 * * *"  # daily, morning
WEEKLY_DIGEST = "30 11 * * 1"  # Mondays, morning: the week before
# Every minute: work the database records as pending and Redis lost (a restart, an outage) is enqueued again.
RECONCILE = "* * * * *"

cron.register(make_due_status_reports, "reports", cron=STATUS_REPORTS, job_timeout=Config.JOB_TIMEOUT_SECONDS)
cron.register(send_follow_up_reminders, "notifications", cron=FOLLOW_UP_REMINDERS,
              job_timeout=Config.JOB_TIMEOUT_SECONDS)
cron.register(send_weekly_digests, "notifications", cron=WEEKLY_DIGEST, job_timeout=Config.JOB_TIMEOUT_SECONDS)
cron.register(reconcile_jobs, "default", cron=RECONCILE, job_timeout=Config.JOB_TIMEOUT_SECONDS)
