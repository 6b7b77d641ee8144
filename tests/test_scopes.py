"""Scopes are made in tenants/ only, and a job runs in its own scope, in-process and under RQ alike."""
import re
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import select, update

from app.districts.models import School
from app.extensions import db
from tenants.scope import TenantWriteRefused, current_scope, entered, system_scope
from tenants.scopes import district_mail_scope, fan_out_scope, scheduled_report_scope
from tenants.session import ScopeBypassRefused
from workers.context import job
from workers.queues import enqueue

ROOT = Path(__file__).resolve().parent.parent
MADE_BY_HAND = re.compile(r"\b(Scope|system_scope)\(")


def _application_sources():
    """The application's Python files but tenants/, the command-line modules and migrations."""
    for path in [ROOT / "wsgi.py", ROOT / "config.py", *(ROOT / "app").rglob("*.py"), *(ROOT / "workers").rglob("*.py")]:
        if path.exists() and path.name != "cli.py":
            yield path


def test_scopes_are_made_only_in_tenants_the_command_line_and_migrations():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in _application_sources()
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if MADE_BY_HAND.search(line)]
    assert found == [], "make scopes with a named constructor of tenants/scopes.py:\n" + "\n".join(found)


@job(scope=lambda district_id: scheduled_report_scope(district_id))
def schools_seen_by_a_district_job(district_id: int) -> list[str]:
    return sorted(db.session.scalars(select(School.name)))


@job
def schools_seen_by_a_job_without_a_scope() -> list[str]:
    return sorted(db.session.scalars(select(School.name)))


def test_a_job_run_in_process_starts_from_no_scope_not_the_caller_s(world):
    caller = system_scope("a request of a platform admin")
    with entered(caller):
        assert schools_seen_by_a_district_job(world.home.id) == ["Homeville Elementary", "Homeville High"]
        assert schools_seen_by_a_job_without_a_scope() == []
        assert current_scope() is caller


def test_a_job_run_by_a_worker_enters_its_own_scope(app, world, redis):
    """A long-lived worker in a scope of its own (here the test's, every district) does not lend it to the job."""
    queued = enqueue("tests.test_scopes.schools_seen_by_a_district_job", world.foreign.id)
    unscoped = enqueue("tests.test_scopes.schools_seen_by_a_job_without_a_scope")
    SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)
    assert queued.latest_result().return_value == ["Faraway High", "Faraway Middle"]
    assert unscoped.latest_result().return_value == []


def test_jobs_without_redis_run_in_process_in_their_own_scope(app, world):
    app.config["REDIS_URL"] = None
    try:
        with entered(system_scope("a request of a platform admin")):
            seen = enqueue("tests.test_scopes.schools_seen_by_a_district_job", world.home.id)
    finally:
        app.config["REDIS_URL"] = app.config["RATELIMIT_STORAGE_URI"]
    assert seen == ["Homeville Elementary", "Homeville High"]


def test_a_fan_out_reads_every_district_and_writes_none(world):
    with entered(fan_out_scope("schools to count")):
        assert len(db.session.scalars(select(School)).all()) == 4
        with pytest.raises(ScopeBypassRefused):
            db.session.connection().execute(update(School.__table__).values(enrollment=1))
        world.home_school.enrollment = 1
        with pytest.raises(TenantWriteRefused):
            db.session.flush()
    db.session.rollback()


def test_a_district_mail_reads_one_district_and_writes_none(world):
    with entered(district_mail_scope(world.home.id)):
        assert {s.district_id for s in db.session.scalars(select(School))} == {world.home.id}
        world.home_school.enrollment = 1
        with pytest.raises(TenantWriteRefused):
            db.session.flush()
    db.session.rollback()
