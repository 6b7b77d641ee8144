"""Jobs through real Redis and an RQ worker, and in-process when no Redis is configured."""
from rq import Queue, SimpleWorker
from rq.registry import FailedJobRegistry

from app.extensions import db
from tests.factories import SchoolFactory
from workers.jobs import refresh_school_count
from workers.queues import enqueue


def run_worker(redis):
    SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)


def test_adding_a_school_refreshes_the_count_through_a_worker(client, auth, world, redis):
    auth.sign_in(world.leader)
    world.home.school_count = 2
    db.session.flush()
    response = client.post("/districts/homeville/schools/new",
                           data={"name": "Third School", "code": "T3", "grade_span": "6-8",
                                 "accountability_category": "meeting_targets"})
    assert response.status_code == 302
    assert Queue("default", connection=redis).count == 1
    run_worker(redis)
    db.session.expire_all()
    assert world.home.school_count == 3


def test_a_failing_job_is_retried(app, world, redis):
    """A job for a district its user cannot reach fails, and is scheduled to try again."""
    job = enqueue("workers.jobs.refresh_school_count", world.home.id, world.foreign_leader.id)
    run_worker(redis)
    job.refresh()
    assert job.get_status() == "scheduled" and job.retries_left == app.config["JOB_RETRIES"] - 1


def test_a_job_out_of_retries_is_kept_as_failed_with_its_error(app, world, redis):
    app.config["JOB_RETRIES"] = 0
    try:
        job = enqueue("workers.jobs.refresh_school_count", world.home.id, world.foreign_leader.id)
    finally:
        app.config["JOB_RETRIES"] = 3
    run_worker(redis)
    assert job.id in FailedJobRegistry("default", connection=redis).get_job_ids()
    assert f"district {world.home.id} is not in reach" in job.latest_result().exc_string


def test_a_viewer_s_job_cannot_write(world):
    import pytest

    from tenants.scope import TenantWriteRefused

    with pytest.raises(TenantWriteRefused):
        refresh_school_count(world.home.id, world.viewer.id)


def test_jobs_run_in_process_without_redis(app, world):
    SchoolFactory(district=world.home)
    app.config["REDIS_URL"] = None
    try:
        assert enqueue("workers.jobs.refresh_school_count", world.home.id, world.leader.id) == 3
    finally:
        app.config["REDIS_URL"] = app.config["RATELIMIT_STORAGE_URI"]
    assert world.home.school_count == 3


def test_the_job_is_idempotent(world):
    assert refresh_school_count(world.home.id, world.leader.id) == 2
    assert refresh_school_count(world.home.id, world.leader.id) == 2
