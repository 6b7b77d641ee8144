"""Every retry path, end to end: real `flask worker` processes (with RQ's scheduler) killed by pid, on real
Redis and PostgreSQL. A killed work horse is retried; a killed worker's job is retried once its heartbeat
lapses; a job out of retries is on /jobs/failed and Confirm again starts it; a mail that fails is sent on retry."""
import os
import signal
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.mail import send_later
from app.onboarding.models import ImportBatch, ImportStatus
from app.onboarding.services import confirm_import, import_job_id, preview_directory_import
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import clear_committed_data
from tests.mailbox import Mailbox, free_port
from tests.test_onboarding_worker import (
    counts,
    kill_worker_and_work_horse,
    start_worker,
    stop_worker,
    wait_for,
    work_horses,
)
from workers.failures import job_state
from workers.reconcile import reconcile_jobs

pytestmark = pytest.mark.browser  # commits: worker processes read from their own connections

STATE = (520, 1837)  # districts and schools of the state directory
HEARTBEAT_SECONDS = 5


@pytest.fixture
def committed(app, redis, auth, monkeypatch):
    """An app context in the system scope with a platform admin signed in; committed data cleared afterwards."""
    # Retries come back within seconds here; production waits 10 s, 1 min, 5 min.
    monkeypatch.setitem(app.config, "JOB_RETRY_INTERVALS", [2])
    workers = []
    with app.app_context(), entered(system_scope("retry test")):
        admin = factories.person(factories.Role.PLATFORM_ADMIN)
        db.session.commit()
        auth.sign_in(admin)
        try:
            yield admin, workers
        finally:
            for worker in workers:
                stop_worker(worker)
            db.session.remove()  # its transaction would hold up the clean-up's TRUNCATE
            clear_committed_data()


def directory_batch(app, admin) -> ImportBatch:
    folder = Path(app.config["DIRECTORY_PATH"])
    files = [(name, (folder / name).read_bytes()) for name in ("districts.csv", "schools.csv")]
    return preview_directory_import(*files, admin).batch


def batch_status(batch_id: int) -> ImportStatus:
    db.session.rollback()
    return db.session.get(ImportBatch, batch_id).status


def page(client, batch_id: int) -> str:
    response = client.get(f"/onboarding/imports/{batch_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_killed_work_horse_is_retried_and_the_page_says_so(app, client, committed):
    admin, workers = committed
    batch = directory_batch(app, admin)
    start = confirm_import(batch, admin)
    db.session.commit()  # the caller commits, then starts the job
    start()
    worker = start_worker(app, "0.3", burst=False)
    workers.append(worker)
    wait_for(lambda: "of 2,357 rows" in page(client, batch.id), 60, "the page to show the import under way")

    horse = work_horses(worker)[0]
    os.kill(horse, signal.SIGKILL)  # as the OOM killer would
    state = wait_for(lambda: (s := job_state(import_job_id(batch.id))).status == "scheduled" and s, 20, "the retry")
    assert "Work-horse terminated unexpectedly" in state.error
    text = page(client, batch.id)
    assert "An attempt failed" in text and "Work-horse terminated unexpectedly" in text and "tried again at" in text
    assert "of 2,357 rows" not in text  # the dead attempt's progress is not shown as if it went on

    wait_for(lambda: batch_status(batch.id) == ImportStatus.DONE, 120, "the retry to import the batch")
    assert counts() == STATE
    assert worker.poll() is None  # the worker itself lived on
    assert "Imported" in page(client, batch.id)


def test_a_killed_worker_s_job_is_retried_by_another_within_its_heartbeat(app, client, committed):
    admin, workers = committed
    batch = directory_batch(app, admin)
    start = confirm_import(batch, admin)
    db.session.commit()  # the caller commits, then starts the job
    start()
    # Heartbeats every 5 s instead of 30: the killed worker's job lapses after 15 s instead of 90.
    heartbeat = {"JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    first = start_worker(app, "0.5", burst=False, env=heartbeat)
    wait_for(lambda: "of 2,357 rows" in page(client, batch.id), 60, "the import to be under way")
    killed_at = time.monotonic()
    kill_worker_and_work_horse(first)
    assert counts() == (0, 0)  # its transaction died with it
    workers.append(start_worker(app, "0", burst=False, env=heartbeat))

    # The reconcile runs every minute on the scheduler's schedule; here, every few seconds.
    def reconciled_and_done():
        reconcile_jobs()
        return batch_status(batch.id) == ImportStatus.DONE

    wait_for(reconciled_and_done, 240, "the abandoned job to be retried")
    took = time.monotonic() - killed_at
    lapses_after = 3 * HEARTBEAT_SECONDS  # as 90 s does with production's 30 s heartbeat
    assert took < lapses_after + 90, f"an abandoned job waited {took:.0f} s"
    assert counts() == STATE


def test_a_job_out_of_retries_is_on_the_failed_page_and_confirm_again_imports(app, client, committed):
    admin, workers = committed
    app.config["JOB_RETRIES"] = 0
    try:
        batch = directory_batch(app, admin)
        start = confirm_import(batch, admin)
        db.session.commit()  # the caller commits, then starts the job
        start()
        worker = start_worker(app, "0.3", burst=False)
        workers.append(worker)
        wait_for(lambda: "of 2,357 rows" in page(client, batch.id), 60, "the import to be under way")
        os.kill(work_horses(worker)[0], signal.SIGKILL)
        wait_for(lambda: job_state(import_job_id(batch.id)).status == "failed", 20, "the job to fail")

        failed = client.get("/jobs/failed").get_data(as_text=True)
        assert "run_import" in failed and "Work-horse terminated unexpectedly" in failed and "Retry" in failed
        text = page(client, batch.id)
        assert "The import failed: nothing was imported" in text and "Confirm the import again" in text

        response = client.post(f"/onboarding/imports/{batch.id}/confirm")
        assert response.status_code == 302
        wait_for(lambda: batch_status(batch.id) == ImportStatus.DONE, 120, "the import confirmed again")
        assert counts() == STATE
        assert "run_import" not in client.get("/jobs/failed").get_data(as_text=True)
    finally:
        app.config["JOB_RETRIES"] = 3


def test_an_invitation_that_fails_while_the_mail_server_is_down_is_sent_on_retry(app, committed):
    admin, workers = committed
    person = factories.UserFactory(name="Ivy Invited", email="ivy@example.org", password_hash=None)
    db.session.commit()
    port = free_port()  # nothing listens here yet: the mail server is down
    workers.append(start_worker(app, "0", burst=False, queues=("notifications",),
                                env={"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port)}))
    assert send_later("workers.jobs.send_invitation", person.id, admin.id)
    job_id = wait_for(lambda: next((job.id for job in failed_once()), None), 30, "the first attempt to fail")
    assert "Connection refused" in (job_state(job_id).error or "")

    mailbox = Mailbox()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()  # the mail server is back
    try:
        wait_for(lambda: mailbox.to(person.email), 60, "the retry to send the invitation")
        assert "set-password/invitation/" in mailbox.text(mailbox.to(person.email)[0])
        time.sleep(1)
        assert len(mailbox.to(person.email)) == 1
    finally:
        server.stop()


def failed_once():
    """Jobs of the notifications queue waiting for a retry."""
    from rq.registry import ScheduledJobRegistry

    from workers.queues import queue

    registry = ScheduledJobRegistry(queue=queue("notifications"))
    return [job for job in (queue("notifications").fetch_job(i) for i in registry.get_job_ids()) if job]
