"""The onboarding wizard (platform admins): a district, its files, a preview, the job; the state directory."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from app.districts.blueprint import district_blueprint
from app.extensions import db
from app.guards import sign_in_required
from app.onboarding.files import MAX_BYTES
from app.onboarding.forms import LifecycleSchema, NewDistrictSchema
from app.onboarding.jobs import import_job
from app.onboarding.models import ImportBatch
from app.onboarding.services import (
    confirm_import,
    create_district,
    people_of_district,
    preview_directory_import,
    preview_district_import,
    reinvite,
    set_lifecycle,
)
from tenants.access import is_platform_admin
from tenants.models import AccountabilityStatus, District, Lifecycle, Region

bp = Blueprint("onboarding", __name__, url_prefix="/onboarding")
# One district's onboarding pages, /onboarding/districts/<slug>/...: the district is in g.district.
district_bp = district_blueprint("district_onboarding", __name__, under="/onboarding")


sign_in_required(bp)


def require_platform_admin() -> None:
    if not is_platform_admin(current_user):
        abort(403, "Onboarding is for platform admins.")


@bp.route("/", methods=["GET", "POST"])
def index():
    require_platform_admin()
    values, errors = {}, {}
    if request.method == "POST":
        values = request.form.to_dict()
        try:
            details = NewDistrictSchema().load(values)
            if db.session.get(Region, details["region_id"]) is None:
                raise ValidationError({"region_id": ["Pick a region."]})
        except ValidationError as error:
            errors = error.messages
        else:
            district = create_district(**details)
            db.session.commit()
            flash(f"Created {district.name}. Now upload its schools and people.", "success")
            return redirect(url_for("district_onboarding.import_files", slug=district.slug))
    districts = db.session.scalars(
        select(District).where(District.lifecycle != Lifecycle.ACTIVE).order_by(District.lifecycle, District.name)).all()
    batches = db.session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()).limit(20)).all()
    return render_template(
        "onboarding/index.html", values=values, errors=errors, districts=districts, batches=batches,
        regions=[(r.id, r.name) for r in db.session.scalars(select(Region).order_by(Region.name))],
        statuses=[(s.value, s.label) for s in AccountabilityStatus],
    ), 422 if errors else 200


@district_bp.route("/import", methods=["GET", "POST"])
def import_files():
    district = g.district
    require_platform_admin()
    preview = None
    if request.method == "POST":
        preview = preview_district_import(district, _uploads("schools", "people"), current_user)
        db.session.commit()
        if preview.batch:
            return redirect(url_for("onboarding.batch", batch_id=preview.batch.id))
    return render_template("onboarding/district_import.html", district=district, preview=preview,
                           people=people_of_district(district.id), max_mb=MAX_BYTES // (1024 * 1024)), 422 if preview else 200


@district_bp.post("/people/<int:user_id>/invitation")
def resend_invitation(user_id: int):
    district = g.district
    require_platform_admin()
    result = reinvite(district.id, user_id, current_user.id) or abort(404)
    for category, message in result.messages():
        flash(message, category)
    return redirect(url_for("district_onboarding.import_files", _anchor="people-heading"))


@bp.route("/directory", methods=["GET", "POST"])
def directory_import():
    require_platform_admin()
    preview = None
    if request.method == "POST":
        uploads = _uploads("districts", "schools")
        if len(uploads) < 2:
            flash("Choose both files: districts.csv and schools.csv.", "error")
            return render_template("onboarding/directory_import.html", preview=None), 422
        preview = preview_directory_import(uploads["districts"], uploads["schools"], current_user)
        db.session.commit()
        if preview.batch:
            return redirect(url_for("onboarding.batch", batch_id=preview.batch.id))
    return render_template("onboarding/directory_import.html", preview=preview), 422 if preview else 200


@bp.get("/imports/<int:batch_id>")
def batch(batch_id: int):
    require_platform_admin()
    batch = db.session.get(ImportBatch, batch_id) or abort(404)
    job = import_job(batch.id) if batch.status != "previewed" else None
    return render_template("onboarding/batch.html", batch=batch, state=job and job.state,
                           progress=job and job.progress,
                           watching=request.args.get("watch") == "1")


@bp.post("/imports/<int:batch_id>/confirm")
def confirm(batch_id: int):
    require_platform_admin()
    batch = db.session.get(ImportBatch, batch_id) or abort(404)
    start = confirm_import(batch, current_user)
    db.session.commit()
    if start:
        start()
    else:
        flash("This import is already queued, running or done: nothing more was queued.", "info")
    return redirect(url_for("onboarding.batch", batch_id=batch.id))


@district_bp.post("/lifecycle")
def lifecycle():
    district = g.district
    require_platform_admin()
    try:
        wanted = LifecycleSchema().load(request.form)["lifecycle"]
    except ValidationError:
        abort(400, "Choose onboarding, active or archived.")
    set_lifecycle(district, Lifecycle(wanted))
    db.session.commit()
    flash(f"{district.name} is now {wanted}.", "success")
    return redirect(url_for("onboarding.index"))


def _uploads(*names: str) -> dict[str, tuple[str, bytes]]:
    """The chosen files by field name; reading one byte past the limit is enough to refuse it."""
    chosen = {}
    for name in names:
        storage = request.files.get(name)
        if storage and storage.filename:
            chosen[name] = (storage.filename, storage.stream.read(MAX_BYTES + 1))
    return chosen
