from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.districts.blueprint import district_blueprint
from app.districts.forms import SchoolSchema
from app.districts.models import School
from app.districts.services import SchoolCodeTaken, save_school, school_added, schools_of
from app.extensions import db
from app.forms import InvalidInput, load_form
from tenants.access import can_assign_supports
from tenants.lookup import can_write, get_or_404, logs_visits, require_write
from tenants.models import AccountabilityStatus, District

# Every page here is one district's (the school page too, in app/schools/views.py: it reads every feature): the blueprint loads it into g.district (404 outside the user's scope).
bp = district_blueprint("districts", __name__)


@bp.get("")
def show():
    district = g.district
    return render_template(
        "districts/show.html", district=district, schools=schools_of(district), can_edit=can_write(district.id),
        logs_visits=logs_visits(district.id), assigner=can_assign_supports(current_user, district),
    )


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
    values, errors = _school_values(school), {}
    if request.method == "POST":
        values = request.form
        try:
            saved = save_school(district, load_form(SchoolSchema(), request.form), school)
        except InvalidInput as invalid:
            errors = invalid.messages
        except SchoolCodeTaken as taken:
            errors = {"code": [f"{taken} is already the code of another school in {district.name}."]}
        else:
            db.session.commit()
            if school is None:
                school_added(district, current_user.id)
            school = saved
            flash(f"Saved {school.name}.", "success")
            return redirect(url_for("districts.school", school_id=school.id))
    return render_template("districts/school_form.html", district=district, school=school, values=values,
                           errors=errors, categories=[(s.value, s.label) for s in AccountabilityStatus],
                           ), 422 if errors else 200


def _school_values(school: School | None) -> dict:
    """What the form shows before anything is typed: the school's details, or nothing for a new one."""
    if school is None:
        return {}
    values = {name: getattr(school, name) for name in SchoolSchema().fields}
    return {name: "" if value is None else value for name, value in values.items()}
