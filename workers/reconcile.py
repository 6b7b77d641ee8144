"""The reconcile: the database's record of work to do against what Redis holds, every minute (workers/schedule.py)."""
from datetime import datetime, timedelta

from rq import Queue
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from sqlalchemy import delete, select

from app.clock import stored_now
from workers.failures import remember_error
from workers.models import BackgroundJob
from workers.queues import QUEUES, RecordedJob, own_session, push, redis_connection

# Records of finished jobs are kept this long (to answer "what ran"), and unfinished ones are
# enqueued again for this long: work older than that is stale (a report or a mail of last month).
KEPT_FOR = timedelta(days=7)
# A record younger than this may be on its way to Redis right now (`enqueue` records, then pushes).
IN_FLIGHT = timedelta(seconds=30)


def reconcile_jobs(now: datetime | None = None) -> dict[str, int]:
    """Enqueue again every recorded job that Redis lost, and due retries; let abandoned jobs retry or fail.

    Returns counts: {"requeued": jobs put back on Redis, "finished": records found finished,
    "retries_due": retries put on their queues}.
    Raises redis.exceptions.RedisError when Redis does not answer (the next run catches up).
    """
    now = now or stored_now()
    connection = redis_connection()
    # A job whose worker was killed stays "started" until its heartbeat lapses (90 s): after that,
    # cleanup hands it to its retry, or to the failed list with Retry when it has none left.
    for name in QUEUES:
        StartedJobRegistry(name, connection=connection).cleanup(exception_handlers=[remember_error])
    counts = {"requeued": 0, "finished": 0, "retries_due": _enqueue_due_retries(connection)}
    with own_session() as session:
        pending = session.scalars(select(BackgroundJob).where(
            BackgroundJob.finished_at.is_(None), BackgroundJob.created_at > now - KEPT_FOR,
            BackgroundJob.created_at < now - IN_FLIGHT).order_by(BackgroundJob.id)).all()
        jobs = Job.fetch_many([record.rq_id for record in pending], connection=connection) if pending else []
        for record, job in zip(pending, jobs):
            if job is None:
                push(RecordedJob(record.rq_id, record.name, tuple(record.args), record.queue))
                counts["requeued"] += 1
            elif job.get_status(refresh=False) == JobStatus.FINISHED:
                record.finished_at = now
                counts["finished"] += 1
        session.execute(delete(BackgroundJob).where(BackgroundJob.finished_at < now - KEPT_FOR))
        session.commit()
    return counts


def _enqueue_due_retries(connection) -> int:
    """Put retries whose time has come on their queues, as RQ's scheduler does.

    Each worker runs RQ's scheduler, but the one holding its lock may have been killed: the lock lapses
    after a minute and an idle worker takes it over only at its next maintenance. Retries do not wait for that.
    """
    moved = 0
    for name in QUEUES:
        queue = Queue(name, connection=connection)
        registry = ScheduledJobRegistry(queue=queue)
        for job in Job.fetch_many(registry.get_jobs_to_schedule(), connection=connection):
            if job is not None and registry.remove(job):
                queue._enqueue_job(job, at_front=bool(job.enqueue_at_front))
                moved += 1
    return moved
