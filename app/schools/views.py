"""The school page, `districts.school`: a rule of the districts blueprint, defined here because it shows what
features above the districts' own records hold (visits, supports, plan actions)."""
from flask import abort, g, render_template

from app.clock import state_today
from app.people.services import readable_coaching_logs
from app.districts.views import bp
from app.schools.glance import school_at_a_glance, school_of
from tenants.lookup import can_write, logs_visits


@bp.get("/schools/<int:school_id>")
def school(school_id: int):
    district = g.district
    school = school_of(district, school_id) or abort(404)
    return render_template("districts/school.html", district=district, school=school,
                           glance=school_at_a_glance(district, school), can_edit=can_write(district.id),
                           readable_logs=readable_coaching_logs(school), logs_visits=logs_visits(district.id),
                           today=state_today())
