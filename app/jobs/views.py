"""The failed jobs page: platform admins see each failed job's error and may retry it."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from redis.exceptions import RedisError

from tenants.access import is_platform_admin
from workers.failures import failed_jobs, retry_failed_job

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.before_request
@login_required
def _platform_admins_only():
    if not is_platform_admin(current_user):
        abort(403, "Background jobs are for platform admins.")


@bp.get("/failed")
def failed():
    jobs, unavailable = [], False
    if current_app.config.get("REDIS_URL"):
        try:
            jobs = failed_jobs()
        except RedisError as error:
            current_app.logger.warning("failed jobs page: job service unavailable: %s", error)
            unavailable = True
    return render_template("jobs/failed.html", jobs=jobs, unavailable=unavailable,
                           in_process=not current_app.config.get("REDIS_URL"))


@bp.post("/failed/<job_id>/retry")
def retry(job_id: str):
    try:
        retried = retry_failed_job(job_id)
    except RedisError:
        flash("Job service unavailable: nothing was retried. Try again once it is back.", "error")
        return redirect(url_for("jobs.failed"))
    if retried:
        flash("The job is back on its queue.", "success")
    else:
        flash("That job is no longer in the failed list.", "error")
    return redirect(url_for("jobs.failed"))
