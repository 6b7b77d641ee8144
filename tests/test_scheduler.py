"""The schedule and the one scheduler process, on real Redis: rq's cron scheduler and `flask scheduler`."""
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from croniter import croniter
from rq import Queue
from rq.cron import CronScheduler

from tests.test_notifications import MONDAY, run_worker
from tests.test_onboarding_worker import wait_for
from workers import schedule

PROJECT = Path(__file__).resolve().parent.parent


def loaded(redis) -> CronScheduler:
    scheduler = CronScheduler(connection=redis)
    scheduler.load_config_from_file("workers.schedule")
    return scheduler


def test_the_schedule_registers_each_job_on_its_queue_with_its_cron_expression(redis):
    jobs = {(job.func_name, job.queue_name, job.cron) for job in loaded(redis).get_jobs()}
    assert jobs == {
        ("workers.jobs.make_due_status_reports", "reports", "0 10 * * *"),
        ("workers.jobs.send_follow_up_reminders", "notifications", "0 11 * * *"),
        ("workers.jobs.send_weekly_digests", "notifications", "30 11 * * 1"),
        ("workers.jobs.reconcile_jobs", "default", "* * * * *"),
    }


def test_the_cron_expressions_mean_mornings_utc_and_mondays():
    sunday_noon = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    def next_after(expression: str, moment: datetime) -> datetime:
        return croniter(expression, moment).get_next(datetime)

    assert next_after(schedule.STATUS_REPORTS, sunday_noon) == datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert next_after(schedule.FOLLOW_UP_REMINDERS, sunday_noon) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    first_digest = next_after(schedule.WEEKLY_DIGEST, sunday_noon)
    assert first_digest == datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # a Monday
    assert next_after(schedule.WEEKLY_DIGEST, first_digest) == datetime(2026, 11, 30, 11, 30, tzinfo=UTC)


def test_a_due_cron_job_is_enqueued_onto_its_queue_and_its_mail_goes_out(world, mailbox, redis):
    from tests import factories

    factories.visit(world.home, world.lead, follow_up_on=MONDAY - timedelta(days=400), purpose="Long overdue")
    scheduler = loaded(redis)
    reminders = next(job for job in scheduler.get_jobs() if job.func_name.endswith("send_follow_up_reminders"))
    reminders.next_enqueue_time = datetime.now(UTC) - timedelta(seconds=1)  # its 11:00 has come

    assert scheduler.enqueue_jobs() == [reminders]  # the others are not due yet
    notifications = Queue("notifications", connection=redis)
    assert [job.func_name for job in notifications.get_jobs()] == ["workers.jobs.send_follow_up_reminders"]
    assert Queue("reports", connection=redis).count == 0
    assert reminders.next_enqueue_time > datetime.now(UTC)  # and next at the following 11:00

    run_worker(redis)
    assert "Long overdue" in mailbox.text(mailbox.to(world.lead.email)[0])


def start_scheduler(app) -> subprocess.Popen:
    env = {**os.environ, "APP_ENV": "testing", "TEST_REDIS_URL": app.config["REDIS_URL"],
           "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_flask_scheduler_runs_the_schedule_and_refuses_to_be_a_second_one(app, redis):
    first = start_scheduler(app)
    try:
        running = wait_for(lambda: CronScheduler.all(redis), 20, "the scheduler to register")
        assert [len(s.get_jobs()) for s in running] == [4] and running[0].pid == first.pid

        second = start_scheduler(app)
        output, _ = second.communicate(timeout=30)
        assert second.returncode != 0
        assert "A scheduler is already running" in output and "exactly one may run" in output
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=20)
    assert CronScheduler.all(redis) == []  # it left the registry when stopped


def test_flask_scheduler_needs_redis(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["scheduler"])
    assert result.exit_code != 0 and "Set REDIS_URL to run the scheduler" in result.output
