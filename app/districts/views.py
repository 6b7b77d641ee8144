from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from app.districts.blueprint import district_blueprint
from app.districts.forms import SchoolForm
from app.districts.models import School
from app.districts.services import SchoolCodeTaken, save_school
from app.home.services import schools_of
from tenants.access import can_assign_supports
from tenants.lookup import can_write, get_or_404, on_support_team, require_write
from tenants.models import District

# Every page here is one district's: the blueprint loads it into g.district (404 outside the user's scope).
bp = district_blueprint("districts", __name__)


@bp.get("")
def show():
    district = g.district
    return render_template(
        "districts/show.html", district=district, schools=schools_of(district), can_edit=can_write(district.id),
        support_team=on_support_team(district.id), assigner=can_assign_supports(current_user, district),
    )


@bp.get("/schools/<int:school_id>")
def school(school_id: int):
    district = g.district
    school = get_or_404(School, district_id=district.id, id=school_id)
    return render_template("districts/school.html", district=district, school=school, can_edit=can_write(district.id))


@bp.route("/schools/new", methods=["GET", "POST"])
def new_school():
    district = g.district
    require_write(district.id)
    return _school_form(district, None)


@bp.route("/schools/<int:school_id>/edit", methods=["GET", "POST"])
def edit_school(school_id: int):
    district = g.district
    school = get_or_404(School, district_id=district.id, id=school_id)
    require_write(district.id)
    return _school_form(district, school)


def _school_form(district: District, school: School | None):
    form = SchoolForm(obj=school)
    if form.validate_on_submit():
        try:
            school = save_school(district, form.data, current_user.id, school)
        except SchoolCodeTaken as taken:
            form.code.errors.append(f"{taken} is already the code of another school in {district.name}.")
        else:
            flash(f"Saved {school.name}.", "success")
            return redirect(url_for("districts.school", school_id=school.id))
    status = 422 if form.errors else 200
    return render_template("districts/school_form.html", district=district, school=school, form=form), status
