"""Redis killed under a running app (its own redis-server, on its own port): sign-in, password reset and every
job page keep working, Confirm never answers 500, and the work the database records is done once Redis is back."""
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.onboarding.models import ImportBatch, ImportStatus
from app.onboarding.services import confirm_import
from tenants.scope import entered, system_scope
from tests import factories
from tests.conftest import PASSWORD, clear_committed_data
from tests.processes import AppServer, RedisServer
from tests.test_job_retries import STATE, directory_batch
from tests.test_onboarding_worker import counts, start_worker
from workers.models import BackgroundJob
from workers.reconcile import reconcile_jobs

pytestmark = pytest.mark.browser  # commits: the app server reads from its own connections

UNAVAILABLE = "Job service unavailable"


@pytest.fixture
def own_redis():
    server = RedisServer().start()
    yield server
    server.kill()


@pytest.fixture
def app_server(app, own_redis, tmp_path):
    server = AppServer({"APP_ENV": "testing", "TEST_REDIS_URL": own_redis.url,
                        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg", "")},
                       tmp_path / "server.log").start()
    yield server
    server.stop()


def signed_in(server: AppServer, user) -> requests.Session:
    browser = requests.Session()
    response = browser.post(f"{server.url}/sign-in", data={"email": user.email, "password": PASSWORD},
                            allow_redirects=False, timeout=30)
    assert response.status_code == 302, response.text
    return browser


def test_with_redis_killed_nothing_answers_500_and_the_recorded_work_is_done_once_it_is_back(
        app, redis, own_redis, app_server, _smtp_server, monkeypatch):
    smtp, mailbox = _smtp_server
    mailbox.messages.clear()
    monkeypatch.setitem(app.config, "REDIS_URL", own_redis.url)  # this process's reconcile, on the app's Redis
    with app.app_context(), entered(system_scope("redis down test")):
        try:
            admin = factories.person(factories.Role.PLATFORM_ADMIN)
            leader = factories.UserFactory(name="Rhea Reset", email="rhea@example.org")
            db.session.commit()
            before_outage, during_outage = directory_batch(app, admin), directory_batch(app, admin)
            start = confirm_import(before_outage, admin)  # queued on Redis, which then loses it
            db.session.commit()  # the caller commits, then starts the job
            start()
            own_redis.kill()

            browser = signed_in(app_server, admin)  # the sign-in limiter falls back to memory
            assert "falling back to in-memory storage" in app_server.logged()
            reset = browser.post(f"{app_server.url}/forgot-password", data={"email": leader.email},
                                 allow_redirects=False, timeout=30)
            assert reset.status_code == 302
            failed = browser.get(f"{app_server.url}/jobs/failed", timeout=30)
            assert failed.status_code == 200 and UNAVAILABLE in failed.text
            for path in ("/onboarding/", "/onboarding/directory", f"/onboarding/imports/{before_outage.id}"):
                page = browser.get(app_server.url + path, timeout=30)
                assert page.status_code == 200, path
            assert UNAVAILABLE in browser.get(f"{app_server.url}/onboarding/imports/{before_outage.id}").text
            confirmed = browser.post(f"{app_server.url}/onboarding/imports/{during_outage.id}/confirm",
                                     allow_redirects=False, timeout=30)
            assert confirmed.status_code == 302
            db.session.rollback()
            assert db.session.get(ImportBatch, during_outage.id).status == ImportStatus.QUEUED
            assert UNAVAILABLE in browser.get(f"{app_server.url}/onboarding/imports/{during_outage.id}").text
            pending = db.session.scalars(select(BackgroundJob.name).where(BackgroundJob.finished_at.is_(None))).all()
            assert sorted(pending) == ["app.onboarding.jobs.run_import", "app.onboarding.jobs.run_import",
                                       "workers.jobs.send_password_reset"]

            own_redis.start()  # back, and empty
            assert reconcile_jobs(now=datetime.now() + timedelta(minutes=1))["requeued"] == 3
            worker = start_worker(app, "0", queues=("imports", "notifications"),
                                  env={"TEST_REDIS_URL": own_redis.url, "MAIL_SERVER": smtp.hostname,
                                       "MAIL_PORT": str(smtp.port)})
            assert worker.wait(timeout=300) == 0
            db.session.rollback()
            assert {db.session.get(ImportBatch, b.id).status for b in (before_outage, during_outage)} == {ImportStatus.DONE}
            assert counts() == STATE
            assert len(mailbox.to(leader.email)) == 1  # the reset asked for while Redis was down
            assert db.session.scalars(select(BackgroundJob.name).where(BackgroundJob.finished_at.is_(None))).all() == []
            assert reconcile_jobs(now=datetime.now() + timedelta(minutes=1))["requeued"] == 0
        finally:
            db.session.remove()
            clear_committed_data()
