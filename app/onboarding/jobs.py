"""The import job: applies a confirmed batch, reporting its progress to Redis for the wizard's page."""
from dataclasses import dataclass

from flask import current_app
from redis.exceptions import RedisError

from app.auth.invitations import invite_people
from app.extensions import db
from app.onboarding.models import ImportKind, ImportStatus
from app.onboarding.services import (
    DIRECTORY_TABLES,
    DISTRICT_TABLES,
    Progress,
    batch_to_apply,
    import_batch,
    mark_failed,
    no_progress,
)
from app.statistics import refresh_statistics
from tenants.scopes import person_job_scope
from workers.context import job
from workers.failures import JobState, job_state
from workers.queues import redis_connection

PROGRESS_KEY = "import-progress:{}"
# Progress is only for the page that watches the job; a day is plenty.
PROGRESS_SECONDS = 24 * 3600


@job(scope=lambda batch_id, user_id: person_job_scope(user_id))
def run_import(batch_id: int, user_id: int) -> dict:
    """Apply import batch `batch_id` as user `user_id` (a platform admin); done batches are not applied twice."""
    # A new attempt starts from nothing (the last one left nothing): so does its progress.
    report_progress(batch_id, 0, 0)
    return apply_import(batch_id, user_id, progress=lambda done, total: report_progress(batch_id, done, total))


def apply_import(batch_id: int, user_id: int, progress: Progress = no_progress) -> dict:
    """Apply a confirmed batch as one transaction, then invite the people it added; a batch done answers its result.

    The job and `flask import directory` own the transaction here: committed whole, or rolled back and the
    batch marked failed in a transaction of its own, so that a failed or killed attempt leaves nothing.
    """
    batch = batch_to_apply(batch_id, user_id)
    if batch.status == ImportStatus.DONE:
        return batch.result
    try:
        result, newcomers = import_batch(batch, user_id, progress)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        mark_failed(batch_id, error)
        db.session.commit()
        raise
    # The planner's statistics of what the import filled, or its statements misjudge the new rows (issue 20).
    refresh_statistics(*(DIRECTORY_TABLES if batch.kind == ImportKind.DIRECTORY else DISTRICT_TABLES))
    # Only after the commit: a worker must find these people, and a mail that fails never undoes the import.
    invite_people(newcomers, user_id)
    return result


def report_progress(batch_id: int, done: int, total: int) -> None:
    if current_app.config.get("REDIS_URL"):
        key = PROGRESS_KEY.format(batch_id)
        redis_connection().set(key, f"{done}/{total}", ex=PROGRESS_SECONDS)


def progress_of(batch_id: int) -> tuple[int, int] | None:
    """(done, total) of a running import, or None before it starts (or when Redis does not answer)."""
    if not current_app.config.get("REDIS_URL"):
        return None
    try:
        value = redis_connection().get(PROGRESS_KEY.format(batch_id))
    except RedisError:
        return None
    if value is None:
        return None
    done, total = value.decode().split("/")
    return (int(done), int(total)) if int(total) else None


@dataclass(frozen=True)
class ImportJob:
    """What the batch page says about the job of a confirmed batch: its state and, while it runs, its progress."""

    state: JobState | None  # None: jobs run in-process (no Redis), nothing to say
    progress: tuple[int, int] | None


def import_job(batch_id: int) -> ImportJob:
    """The job of batch `batch_id`: its RQ state, and (done, total) rows only while an attempt is running."""
    from app.onboarding.services import import_job_id

    if not current_app.config.get("REDIS_URL"):
        return ImportJob(None, None)
    state = job_state(import_job_id(batch_id))
    # Progress left by an attempt that died says nothing about the next one.
    return ImportJob(state, progress_of(batch_id) if state.status == "started" else None)
