"""`flask worker` and `flask scheduler`: an RQ worker with the application's context, and the one scheduler."""
import os

import click
from flask import current_app
from flask.cli import with_appcontext
from rq import Worker
from rq.cron import CronScheduler

from tenants.database import db
from workers.failures import remember, remember_error
from workers.queues import QUEUES, redis_connection

SCHEDULE = "workers.schedule"
# How often a worker moves on the jobs of workers that died and takes over the scheduler of one that
# was killed (rq's default: 10 minutes). An idle worker looks up from waiting for jobs every WORKER_TTL - 15 s
# (rq's default TTL, 420 s, would leave a killed worker's retries waiting for 7 minutes).
MAINTENANCE_SECONDS = 60
WORKER_TTL_SECONDS = 60


class AppWorker(Worker):
    """A forking worker whose work horse opens its own database connections, and which remembers why a job failed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, exception_handlers=[remember_error], **kwargs)

    def get_heartbeat_ttl(self, job) -> int:
        # rq gives a job its heartbeat interval plus a fixed 60 s; ours, three intervals (JOB_HEARTBEAT_SECONDS).
        return super().get_heartbeat_ttl(job) - 60 + 2 * self.job_monitoring_interval

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage):
        # RQ keeps no error for an attempt that is retried: the page waiting for the job says what happened.
        signal_number = os.WTERMSIG(ret_val) if ret_val and os.WIFSIGNALED(ret_val) else None
        killed_by = f" by signal {signal_number}" if signal_number else ""
        remember(job, f"Work-horse terminated unexpectedly{killed_by} (killed, or out of memory)")

    def main_work_horse(self, job, queue):
        # Connections inherited through fork() are the parent's: never share them.
        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)


def _require_redis(what: str) -> None:
    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError(f"Set REDIS_URL to run {what}; without it jobs run in-process.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.argument("queues", nargs=-1)
@with_appcontext
def worker_command(burst: bool, queues: tuple[str, ...]) -> None:
    """Run jobs from the queues (all of them by default) until stopped, and bring their retries back when due."""
    _require_redis("a worker")
    worker = AppWorker(list(queues or QUEUES), connection=redis_connection(), maintenance_interval=MAINTENANCE_SECONDS,
                       worker_ttl=WORKER_TTL_SECONDS, job_monitoring_interval=current_app.config["JOB_HEARTBEAT_SECONDS"])
    # A failed job waits for its retry in RQ's scheduled registry: without the scheduler it waits for ever.
    # Every worker may run it; they share it through a lock per queue in Redis.
    worker.work(burst=burst, with_scheduler=True)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Enqueue the jobs of workers/schedule.py when they are due, until stopped; exactly one may run."""
    _require_redis("the scheduler")
    connection = redis_connection()
    # rq's cron takes no lock: each scheduler running enqueues every due job. Refuse to be a second one.
    running = [scheduler.name for scheduler in CronScheduler.all(connection)]
    if running:
        raise click.ClickException(
            f"A scheduler is already running ({', '.join(running)}); exactly one may run. "
            "One that was killed without stopping drops out of the registry within 2 minutes."
        )
    scheduler = CronScheduler(connection=connection)
    scheduler.load_config_from_file(SCHEDULE)
    scheduler.start()
