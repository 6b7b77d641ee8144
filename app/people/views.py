"""A district's school people: its schools' leaders, its clusters of schools, a principal's page."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.invitations import invite_people
from app.districts.blueprint import district_blueprint
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.districts.people import (
    ClusterSchema,
    SchoolLeaderSchema,
    add_school_leader,
    cluster_names,
    clusters_of,
    delete_cluster,
    led_schools,
    people_of,
    remove_school_leader,
    save_cluster,
    supervisor_choices,
    supervisors_of,
)
from app.districts.services import schools_of
from app.extensions import db
from app.forms import InvalidInput, load_form
from app.people.services import coaching_log, cycles_of_principal, may_read_coaching_log_of
from tenants.access import may_read_coaching_log
from tenants.lookup import can_write, get_or_404, require_write
from tenants.scope import current_scope

bp = district_blueprint("people", __name__)

POSITIONS = [(p.value, p.label) for p in Position]


@bp.route("/schools/<int:school_id>/leaders", methods=["GET", "POST"])
def school_leaders(school_id: int):
    district = g.district
    school = get_or_404(School, district_id=district.id, id=school_id)
    require_write(district.id)
    values, errors = {"position": Position.PRINCIPAL.value}, {}
    if request.method == "POST":
        values = request.form
        try:
            leader, person = add_school_leader(district, school, load_form(SchoolLeaderSchema(), request.form))
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            needs_invitation = person.password_hash is None
            label, name = leader.position_label.lower(), person.name
            db.session.commit()
            flash(f"{name} is now {label} of {school.name}.", "success")
            if needs_invitation:
                for category, message in invite_people([person.id], current_user.id).messages():
                    flash(message, category)
            return redirect(url_for("people.school_leaders", school_id=school.id))
    return render_template("people/leaders.html", district=district, school=school, leaders=school.leaders,
                           people=[(p.id, f"{p.name} ({p.email})") for p in people_of(district.id)],
                           positions=POSITIONS, values=values, errors=errors), 422 if errors else 200


@bp.post("/schools/<int:school_id>/leaders/<int:leader_id>/remove")
def remove_leader(school_id: int, leader_id: int):
    district = g.district
    leader = get_or_404(SchoolLeader, district_id=district.id, school_id=school_id, id=leader_id)
    require_write(district.id)
    name, school_name = leader.person.name, leader.school.name
    remove_school_leader(leader)
    db.session.commit()
    flash(f"{name} no longer leads {school_name}.", "success")
    return redirect(url_for("people.school_leaders", school_id=school_id))


@bp.get("/clusters")
def clusters():
    district = g.district
    return render_template("people/clusters.html", district=district, clusters=clusters_of(district),
                           can_edit=can_write(district.id))


@bp.route("/clusters/new", methods=["GET", "POST"])
def new_cluster():
    require_write(g.district.id)
    return _cluster_form(None)


@bp.route("/clusters/<int:cluster_id>/edit", methods=["GET", "POST"])
def edit_cluster(cluster_id: int):
    cluster = get_or_404(SchoolCluster, district_id=g.district.id, id=cluster_id)
    require_write(g.district.id)
    return _cluster_form(cluster)


@bp.post("/clusters/<int:cluster_id>/delete")
def remove_cluster(cluster_id: int):
    cluster = get_or_404(SchoolCluster, district_id=g.district.id, id=cluster_id)
    require_write(g.district.id)
    name = cluster.name
    delete_cluster(cluster)
    db.session.commit()
    flash(f"Deleted the cluster {name}; its schools are in no cluster now.", "success")
    return redirect(url_for("people.clusters"))


def _cluster_form(cluster: SchoolCluster | None):
    district = g.district
    schools = schools_of(district)
    if cluster is None:
        values, chosen = {}, set()
    else:
        values = {"name": cluster.name, "supervisor_id": cluster.supervisor_id or ""}
        chosen = {s.id for s in schools if s.cluster_id == cluster.id}
    errors = {}
    if request.method == "POST":
        values, chosen = request.form, set(request.form.getlist("school_ids"))
        try:
            saved = save_cluster(district, load_form(ClusterSchema(), request.form, lists=("school_ids",)), cluster)
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            name = saved.name
            db.session.commit()
            flash(f"Saved the cluster {name}.", "success")
            return redirect(url_for("people.clusters"))
    chosen = {str(i) for i in chosen}
    return render_template("people/cluster_form.html", district=district, cluster=cluster, schools=schools,
                           chosen=chosen, values=values, errors=errors, cluster_names=cluster_names(district.id),
                           supervisors=[(p.id, p.name) for p in supervisor_choices(district.id)],
                           ), 422 if errors else 200


# Links to a school leader's page only for those who may open it (the school page, a visit's page).
bp.add_app_template_global(may_read_coaching_log_of, "may_read_coaching_log_of")


@bp.get("/principals/<int:user_id>")
def principal(user_id: int):
    district = g.district
    leads = led_schools(district.id, user_id)
    if not leads:
        abort(404)
    supervisors = supervisors_of(leads)
    if not may_read_coaching_log(current_user, current_scope(), district.id, user_id, [s.id for s in supervisors]):
        abort(403, "A principal's coaching log is for them, their supervisor, the district's leaders and its "
                   "support team.")
    return render_template("people/principal.html", district=district, person=leads[0].person, leads=leads,
                           supervisors=supervisors, visits=coaching_log(district.id, user_id),
                           cycles=cycles_of_principal(district.id, user_id))
