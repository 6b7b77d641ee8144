"""Enqueue a job by dotted name: recorded in the database, then put on Redis; with no Redis, run in-process now.

The database, not Redis, is the record of work to do: every job enqueued here is a
`BackgroundJob` row first, so that one Redis never received (it was down) or lost
(restarted empty) is enqueued again by `workers.reconcile.reconcile_jobs`.
"""
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from app.clock import stored_now
from tenants.database import db
from workers.context import job as in_app_context
from workers.models import BackgroundJob

QUEUES = ("default", "imports", "reports", "notifications")
# A Redis that is down refuses at once; one that does not answer at all must not hold a page for long.
REDIS_CONNECT_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class RecordedJob:
    """What `push` needs of a `BackgroundJob` row, detached from any session."""

    rq_id: str
    name: str
    args: tuple
    queue: str


def redis_connection() -> Redis:
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS)


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection())


def own_session() -> Session:
    """A session of its own: a job's record commits apart from the caller's transaction."""
    # Under the test suite's outer transaction the bind is a connection: work in a savepoint of it.
    return Session(db.engine, join_transaction_mode="create_savepoint")


def enqueue(job_name: str, *args, queue_name: str = "default", job_id: str | None = None):
    """Run `job_name(*args)` in the background; the job must be idempotent (delivery is at least once).

    Args are ids and ISO dates (they are stored as JSON). `job_id` names the job on RQ (one id per
    piece of work, e.g. an import batch: enqueueing it again reuses its record). Returns the RQ job,
    or None when Redis is down: the job is then recorded and the reconcile enqueues it once Redis is back.
    Without REDIS_URL the job runs now and its result is returned.
    """
    if not current_app.config.get("REDIS_URL"):
        return import_string(job_name)(*args)
    recorded = _record(job_name, args, queue_name, job_id)
    try:
        return push(recorded)
    except RedisError as error:
        current_app.logger.warning("job service unavailable (%s): %s%s is recorded as job %s and will be "
                                   "enqueued when Redis is back", error, job_name, args, recorded.rq_id)
        return None


def _record(job_name: str, args: tuple, queue_name: str, job_id: str | None) -> RecordedJob:
    with own_session() as session:
        record = session.scalar(select(BackgroundJob).where(BackgroundJob.rq_id == job_id)) if job_id else None
        if record is None:
            record = BackgroundJob(rq_id=job_id or uuid4().hex, name=job_name, args=list(args), queue=queue_name)
            session.add(record)
        record.finished_at = None
        session.commit()
        return RecordedJob(record.rq_id, record.name, tuple(record.args), record.queue)


def push(recorded: RecordedJob):
    """Put a recorded job on its RQ queue with the timeout, the retries and the hook that marks it finished.

    Raises redis.exceptions.RedisError when Redis does not answer.
    """
    config = current_app.config
    retries = config["JOB_RETRIES"]
    intervals = config["JOB_RETRY_INTERVALS"][:retries]
    return queue(recorded.queue).enqueue(
        recorded.name,
        *recorded.args,
        job_id=recorded.rq_id,
        job_timeout=config["JOB_TIMEOUT_SECONDS"],
        retry=Retry(max=retries, interval=intervals) if retries else None,
        on_success=Callback(mark_finished),
    )


def mark_finished(job, connection, result, *args, **kwargs) -> None:
    """RQ's success hook, in the work horse: the record of this job is done with."""
    in_app_context(finish_record)(job.id)


def finish_record(rq_id: str, at: datetime | None = None) -> None:
    with own_session() as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.rq_id == rq_id, BackgroundJob.finished_at.is_(None))
                        .values(finished_at=at or stored_now()))
        session.commit()
