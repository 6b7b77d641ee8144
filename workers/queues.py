"""Enqueue a job by dotted name: on Redis when configured, else run it in-process now."""
from flask import current_app
from redis import Redis
from rq import Queue, Retry
from werkzeug.utils import import_string

QUEUES = ("default", "imports", "reports", "notifications")


def redis_connection() -> Redis:
    return Redis.from_url(current_app.config["REDIS_URL"])


def queue(name: str = "default") -> Queue:
    return Queue(name, connection=redis_connection())


def enqueue(job_name: str, *args, queue_name: str = "default"):
    """Run `job_name(*args)` in the background; the job must be idempotent (delivery is at least once)."""
    if not current_app.config.get("REDIS_URL"):
        return import_string(job_name)(*args)
    retries = current_app.config["JOB_RETRIES"]
    return queue(queue_name).enqueue(
        job_name,
        *args,
        job_timeout=current_app.config["JOB_TIMEOUT_SECONDS"],
        retry=Retry(max=retries, interval=[10, 60, 300][:retries]) if retries else None,
    )
