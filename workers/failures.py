"""Jobs out of retries, kept in RQ's failed registries: list them, retry one; the state of one job for its page."""
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry

from workers.queues import QUEUES, queue, redis_connection

LAST_ERROR = "last_error"


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    name: str
    args: tuple
    failed_at: datetime | None
    error: str


@dataclass(frozen=True)
class JobState:
    """Where one job is, for the page that waits for it.

    `status` is one of RQ's (queued, started, scheduled: waiting for a retry, failed: out of retries,
    finished, ...) or "lost" (Redis does not have it: the reconcile enqueues it again within a minute)
    or "unavailable" (Redis does not answer), or "in-process" (no Redis configured: nothing runs in the background). `error` is the last line of its last failure,
    `retry_at` (UTC) when a scheduled retry is due, `retries_left` how many remain after that.
    """

    status: str
    error: str | None = None
    retry_at: datetime | None = None
    retries_left: int | None = None

    @property
    def can_start_again(self) -> bool:
        """Out of retries or lost: nothing would ever run it, so a person may."""
        return self.status in (JobStatus.FAILED, "lost")


def job_state(job_id: str) -> JobState:
    """The state of job `job_id` on RQ; never raises for Redis being down (status "unavailable")."""
    if not current_app.config.get("REDIS_URL"):
        return JobState("in-process")  # it ran inside the request that asked, and is over
    try:
        try:
            job = Job.fetch(job_id, connection=redis_connection())
        except NoSuchJobError:
            return JobState("lost")
        status = job.get_status(refresh=False)
        retry_at = None
        if status == JobStatus.SCHEDULED:
            retry_at = ScheduledJobRegistry(job.origin, connection=job.connection).get_scheduled_time(job)
        return JobState(status, _last_error(job), retry_at, job.retries_left)
    except RedisError:
        return JobState("unavailable")


def _last_error(job: Job) -> str | None:
    result = job.latest_result()
    error = ((result.exc_string if result and result.exc_string else None) or job.meta.get(LAST_ERROR) or "").strip()
    return error.splitlines()[-1] if error else None


def remember(job: Job, error: str) -> None:
    """Keep the error of this attempt with the job: RQ records none for an attempt that is retried."""
    job.meta[LAST_ERROR] = error[:500]
    job.save_meta()


def remember_error(job: Job, exc_type, exc_value, traceback) -> bool:
    """An RQ exception handler: remember the error, then let RQ's own handling go on."""
    # RQ's AbandonedJobError (the worker died) carries no message of its own.
    remember(job, f"{exc_type.__name__}: {exc_value or 'its worker stopped answering (killed, or its machine went down)'}")
    return True


def failed_jobs() -> list[FailedJob]:
    """Every failed job of every queue, most recent first, with the last line of its error."""
    found = []
    for name in QUEUES:
        registry = FailedJobRegistry(queue=queue(name))
        for job in Job.fetch_many(registry.get_job_ids(), connection=redis_connection()):
            if job is None:
                continue
            found.append(FailedJob(job.id, name, job.func_name, job.args, job.ended_at,
                                   _last_error(job) or "No error recorded"))
    return sorted(found, key=lambda j: j.failed_at or datetime.min, reverse=True)


def retry_failed_job(job_id: str) -> bool:
    """Put a failed job back on its queue; False if it is no longer failed (already retried)."""
    for name in QUEUES:
        registry = FailedJobRegistry(queue=queue(name))
        if job_id in registry.get_job_ids():
            registry.requeue(job_id)
            return True
    return False
