"""The failed jobs page: platform admins see each failed job's error and may retry it."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

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
    jobs = failed_jobs() if current_app.config.get("REDIS_URL") else []
    return render_template("jobs/failed.html", jobs=jobs, in_process=not current_app.config.get("REDIS_URL"))


@bp.post("/failed/<job_id>/retry")
def retry(job_id: str):
    if retry_failed_job(job_id):
        flash("The job is back on its queue.", "success")
    else:
        flash("That job is no longer in the failed list.", "error")
    return redirect(url_for("jobs.failed"))
