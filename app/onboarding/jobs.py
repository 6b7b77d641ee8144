"""The import job: applies a confirmed batch, reporting its progress to Redis for the wizard's page."""
from flask import current_app

from app.onboarding.services import apply_import
from tenants.scopes import person_job_scope
from workers.jobs import job
from workers.queues import redis_connection

PROGRESS_KEY = "import-progress:{}"
# Progress is only for the page that watches the job; a day is plenty.
PROGRESS_SECONDS = 24 * 3600


@job(scope=lambda batch_id, user_id: person_job_scope(user_id))
def run_import(batch_id: int, user_id: int) -> dict:
    """Apply import batch `batch_id` as user `user_id` (a platform admin); done batches are not applied twice."""
    return apply_import(batch_id, user_id, progress=lambda done, total: report_progress(batch_id, done, total))


def report_progress(batch_id: int, done: int, total: int) -> None:
    if current_app.config.get("REDIS_URL"):
        key = PROGRESS_KEY.format(batch_id)
        redis_connection().set(key, f"{done}/{total}", ex=PROGRESS_SECONDS)


def progress_of(batch_id: int) -> tuple[int, int] | None:
    """(done, total) of a running import, or None before it starts."""
    if not current_app.config.get("REDIS_URL"):
        return None
    value = redis_connection().get(PROGRESS_KEY.format(batch_id))
    if value is None:
        return None
    done, total = value.decode().split("/")
    return int(done), int(total)
