"""A real worker process on real Redis, killed with SIGKILL in the middle of the state directory import:
no partial rows are left, and the retried job completes."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue
from rq.registry import FailedJobRegistry, StartedJobRegistry
from sqlalchemy import func, select

from app.districts.models import School
from app.extensions import db
from app.onboarding.jobs import progress_of
from app.onboarding.models import ImportBatch, ImportStatus
from app.onboarding.services import confirm_import, import_job_id, preview_directory_import
from tenants.models import District
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import clear_committed_data
from workers.failures import retry_failed_job

pytestmark = pytest.mark.browser  # commits: the worker process reads the batch from its own connection

PROJECT = Path(__file__).resolve().parent.parent


def start_worker(app, delay: str, *, burst: bool = True, queues: tuple[str, ...] = ("imports",),
                 env: dict | None = None) -> subprocess.Popen:
    """A real `flask worker` process on the test database and Redis (non-burst ones run RQ's scheduler too)."""
    env = {**os.environ, "APP_ENV": "testing", "IMPORT_STEP_DELAY_SECONDS": delay,
           "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", ""),
           "TEST_REDIS_URL": app.config["REDIS_URL"], **(env or {})}
    # Its own process group: the forked work horse dies with the worker.
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", *(["--burst"] if burst else []),
                             *queues], cwd=PROJECT, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_worker(worker: subprocess.Popen) -> None:
    """Stop a worker, its scheduler and its work horse, whatever state it is in."""
    if worker.poll() is None:
        for pid in work_horses(worker):  # in process groups of their own
            os.kill(pid, signal.SIGKILL)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=20)


def work_horses(worker: subprocess.Popen) -> list[int]:
    """The pids of the worker's children that run a job (not its scheduler process)."""
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    # RQ puts each horse in a process group of its own; the scheduler process stays in the worker's.
    return [int(pid) for pid in children if _process_group_of(int(pid)) == int(pid)]


def _process_group_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def kill_worker_and_work_horse(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and the work horse it forked (RQ puts the horse in a process group of its own)."""
    horses = work_horses(worker)
    assert horses, "the worker has no work horse running the import"
    for pid in horses:
        os.kill(int(pid), signal.SIGKILL)
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    for pid in horses:  # gone, so its open transaction is rolled back by PostgreSQL
        wait_for(lambda pid=pid: not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], 10, "the horse to die")


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def counts():
    db.session.rollback()
    with entered(system_scope("test reads")):
        return (db.session.scalar(select(func.count()).select_from(District).where(District.directory_id.is_not(None))),
                db.session.scalar(select(func.count()).select_from(School)))


def test_a_worker_killed_mid_import_leaves_nothing_and_the_retry_completes(app, redis):
    app.config["JOB_RETRIES"] = 0  # the abandoned job goes straight to the failed list, for the retry button
    try:
        with app.app_context(), entered(system_scope("worker test")):
            admin = factories.person(factories.Role.PLATFORM_ADMIN)
            db.session.commit()
            folder = Path(app.config["DIRECTORY_PATH"])
            files = [(name, (folder / name).read_bytes()) for name in ("districts.csv", "schools.csv")]
            batch = preview_directory_import(*files, admin).batch
            start = confirm_import(batch, admin)
            db.session.commit()  # the caller commits, then starts the job
            start()
            job_id = import_job_id(batch.id)
            worker = start_worker(app, delay="0.3")
            done, total = wait_for(lambda: (p := progress_of(batch.id)) and p[0] >= 800 and p, 60, "the import to be under way")
            assert done < total
            kill_worker_and_work_horse(worker)
            assert counts() == (0, 0)
            db.session.expire_all()
            assert db.session.get(ImportBatch, batch.id).status == ImportStatus.QUEUED

            # RQ notices the dead worker's job when its heartbeat lapses; here we do not wait for it.
            StartedJobRegistry(queue=Queue("imports", connection=redis)).cleanup(timestamp=time.time() + 3600)
            assert job_id in FailedJobRegistry(queue=Queue("imports", connection=redis)).get_job_ids()
            assert retry_failed_job(job_id)
            worker = start_worker(app, delay="0")
            assert worker.wait(timeout=300) == 0
            assert counts() == (520, 1837)
            db.session.expire_all()
            finished = db.session.get(ImportBatch, batch.id)
            assert finished.status == ImportStatus.DONE, finished.error
    finally:
        app.config["JOB_RETRIES"] = 3
        with app.app_context():
            clear_committed_data()
