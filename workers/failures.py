"""Jobs out of retries, kept in RQ's failed registries: list them, retry one."""
from dataclasses import dataclass
from datetime import datetime

from rq.job import Job
from rq.registry import FailedJobRegistry

from workers.queues import QUEUES, queue, redis_connection


@dataclass(frozen=True)
class FailedJob:
    id: str
    queue: str
    name: str
    args: tuple
    failed_at: datetime | None
    error: str


def failed_jobs() -> list[FailedJob]:
    """Every failed job of every queue, most recent first, with the last line of its error."""
    found = []
    for name in QUEUES:
        registry = FailedJobRegistry(queue=queue(name))
        for job in Job.fetch_many(registry.get_job_ids(), connection=redis_connection()):
            if job is None:
                continue
            result = job.latest_result()
            error = (result.exc_string if result and result.exc_string else job.exc_info) or ""
            found.append(FailedJob(job.id, name, job.func_name, job.args, job.ended_at,
                                   error.strip().splitlines()[-1] if error.strip() else "No error recorded"))
    return sorted(found, key=lambda j: j.failed_at or datetime.min, reverse=True)


def retry_failed_job(job_id: str) -> bool:
    """Put a failed job back on its queue; False if it is no longer failed (already retried)."""
    for name in QUEUES:
        registry = FailedJobRegistry(queue=queue(name))
        if job_id in registry.get_job_ids():
            registry.requeue(job_id)
            return True
    return False
