"""Pages for logging visits and observations, assigning supports and leads."""
import uuid
from datetime import datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import RoleGrant, User
from app.clock import state_today, stored_now
from app.districts.blueprint import district_blueprint
from app.districts.models import GRADES
from app.districts.services import schools_of
from app.extensions import db
from app.fieldwork.forms import ratings_from_form
from app.fieldwork.models import AssignmentStatus, Observation, Rubric, SupportAssignment, Visit
from app.fieldwork.schemas import AssignmentSchema, ObservationSchema, VisitSchema
from app.fieldwork.services import (
    assign_lead,
    leads_of,
    mark_follow_up_done,
    record_observation,
    record_visit,
    rubrics_in_use,
    save_assignment,
    support_types,
    unassign_lead,
    update_observation,
    update_visit,
)
from app.fieldwork.services import delete_observation as delete_observation_and_ratings
from app.fieldwork.visit_form import DEFAULT_KIND, DEFAULT_PLACE, field_limits, required_fields, visit_choices
from app.forms import InvalidInput, load, load_form
from app.lists import enum_choices
from tenants.lookup import get_or_404, on_team, require_assigner, require_field_team, require_team
from tenants.models import District
from tenants.roles import Role
from tenants.scope import current_scope

bp = district_blueprint("fieldwork", __name__)


# --- visits -------------------------------------------------------------------------------------


@bp.route("/visits/new", methods=["GET", "POST"])
def new_visit():
    district = g.district
    require_field_team(district.id)
    values = {"client_uuid": str(uuid.uuid4()), "visited_on": state_today().isoformat(), "kind": DEFAULT_KIND,
              "school_id": request.args.get("school", DEFAULT_PLACE)}
    errors = {}
    if request.method == "POST":
        values = request.form
        try:
            data = load_form(VisitSchema(), request.form, lists=("support_ids", "co_observer_ids"))
            visit, created = record_visit(district, current_user, data)
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            db.session.commit()
            flash("Visit saved." if created else "This visit was already saved.", "success")
            return redirect(url_for("fieldwork.visit", visit_id=visit.id))
    return _visit_form(district, values, errors, visit=None)


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
def edit_visit(visit_id: int):
    district = g.district
    visit = get_or_404(Visit, district_id=district.id, id=visit_id)
    require_team(district.id, visit.team)
    values = _visit_values(visit)
    errors = {}
    if request.method == "POST":
        values = request.form
        try:
            data = load_form(VisitSchema(), request.form, lists=("support_ids", "co_observer_ids"),
                             checkboxes=("follow_up_done",))
            update_visit(visit, data)
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            db.session.commit()
            flash("Visit updated.", "success")
            return redirect(url_for("fieldwork.visit", visit_id=visit.id))
    return _visit_form(district, values, errors, visit=visit)


def _visit_values(visit: Visit) -> dict:
    values = {field: getattr(visit, field) for field in VisitSchema().fields if hasattr(visit, field)}
    values["support_ids"] = [support.id for support in visit.supports]
    values["co_observer_ids"] = visit.co_observer_ids
    return {key: ("" if value is None else value) for key, value in values.items()}


def _visit_form(district: District, values, errors: dict, visit: Visit | None):
    status = 422 if errors else 200
    choices = visit_choices(district, visit.supports if visit else (), visit.lead_id if visit else current_user.id,
                            visit.co_observers if visit else ())
    # Whose internal notes these are: a stored visit's team, or the team the person logs this one for.
    notes_of = visit or Visit(district_id=district.id, team=current_scope().team_in(district.id))
    return render_template(
        "fieldwork/visit_form.html", district=district, visit=visit, values=values, errors=errors, choices=choices,
        chosen_supports=_chosen(values, "support_ids"), chosen_co_observers=_chosen(values, "co_observer_ids"),
        notes_of=notes_of, limits=field_limits(), required=required_fields(),
    ), status


def _chosen(values, name: str) -> set[str]:
    """The values of a group of checkboxes, from a submitted form or a stored visit's values."""
    return {str(v) for v in (values.getlist(name) if hasattr(values, "getlist") else values.get(name, []))}


@bp.get("/visits/<int:visit_id>")
def visit(visit_id: int):
    district = g.district
    visit = get_or_404(Visit, district_id=district.id, id=visit_id)
    return render_template("fieldwork/visit.html", district=district, visit=visit,
                           on_its_team=on_team(district.id, visit.team))


@bp.post("/visits/<int:visit_id>/follow-up-done")
def follow_up_done(visit_id: int):
    district = g.district
    visit = get_or_404(Visit, district_id=district.id, id=visit_id)
    require_team(district.id, visit.team)
    mark_follow_up_done(visit)
    db.session.commit()
    flash("Follow-up marked done.", "success")
    return redirect(url_for("fieldwork.visit", visit_id=visit.id))


# --- observations -------------------------------------------------------------------------------


@bp.route("/visits/<int:visit_id>/observations/new", methods=["GET", "POST"])
def new_observation(visit_id: int):
    district = g.district
    visit = get_or_404(Visit, district_id=district.id, id=visit_id)
    require_team(district.id, visit.team)
    rubrics = rubrics_in_use()
    # The version the form was opened with, even if a new version replaced it since: its ratings stay its own.
    rubric = _chosen_rubric(rubrics)
    values, errors = {}, {}
    if request.method == "POST":
        values = request.form
        raw = _observation_input(values, rubric)
        try:
            observation = record_observation(visit, load(ObservationSchema(), raw), _opened_at(values))
        except InvalidInput as invalid:
            errors = _rating_errors_by_look_for(invalid.messages, raw["ratings"])
        else:
            db.session.commit()
            flash(f"Observation saved: grade {observation.grade} {observation.subject}.", "success")
            return redirect(url_for("fieldwork.visit", visit_id=visit.id) + "#observations")
    return render_template(
        "fieldwork/observation_form.html", district=district, visit=visit, rubric=rubric, rubrics=rubrics,
        values=values, errors=errors, grade_options=[(g, g) for g in GRADES],
        opened_at=values.get("opened_at") or stored_now().isoformat(timespec="seconds"),
    ), 422 if errors else 200


def _observation_input(form, rubric: Rubric) -> dict:
    """The observation form as the schema reads it: blank fields left out, one rating per look-for rated."""
    raw = {key: form.get(key, "").strip() for key in ("grade", "subject", "minutes", "feedback")}
    return {key: value for key, value in raw.items() if value} | {
        "rubric_id": rubric.id, "ratings": ratings_from_form(form, rubric),
    }


def _chosen_rubric(rubrics: list[Rubric]) -> Rubric:
    chosen = request.values.get("rubric_id", type=int)
    rubric = db.session.get(Rubric, chosen) if chosen else None
    return rubric if rubric is not None and (rubric.active or request.method == "POST") else rubrics[0]


def _opened_at(form) -> datetime | None:
    """When the form was opened (stamped by the server in the page), or None if it is not a time."""
    try:
        return datetime.fromisoformat(form.get("opened_at", ""))
    except ValueError:
        return None


def _rating_errors_by_look_for(messages: dict, ratings: list[dict]) -> dict:
    """Name rating errors by the look-for they are about, as the form shows them."""
    named = {}
    for key, problem in messages.items():
        parts = key.split(".")
        if parts[0] == "ratings" and len(parts) == 3:
            field = "evidence" if parts[2] == "evidence" else "rating"  # the form's own ids: rating-5, evidence-5
            named[f"{field}-{ratings[int(parts[1])]['look_for_id']}"] = problem
        else:
            named[key] = problem
    return named


@bp.get("/observations/<int:observation_id>")
def observation(observation_id: int):
    district = g.district
    observation = get_or_404(Observation, district_id=district.id, id=observation_id)
    return _observation_page(district, observation)


def _observation_page(district: District, observation: Observation, errors: dict | None = None):
    return render_template("fieldwork/observation.html", district=district, observation=observation,
                           on_its_team=on_team(district.id, observation.visit.team), errors=errors or {}), \
        422 if errors else 200


@bp.route("/observations/<int:observation_id>/edit", methods=["GET", "POST"])
def edit_observation(observation_id: int):
    district = g.district
    observation = get_or_404(Observation, district_id=district.id, id=observation_id)
    require_team(district.id, observation.visit.team)
    # Always on the observation's own version, even one replaced since it was rated.
    rubric = observation.rubric
    values, errors = _observation_values(observation), {}
    if request.method == "POST":
        values = request.form
        raw = _observation_input(values, rubric)
        try:
            data = load(ObservationSchema(), raw)
            data.pop("rubric_id")
            update_observation(observation, data)
        except InvalidInput as invalid:
            errors = _rating_errors_by_look_for(invalid.messages, raw["ratings"])
        else:
            db.session.commit()
            flash(f"Observation updated: grade {observation.grade} {observation.subject}.", "success")
            return redirect(url_for("fieldwork.observation", observation_id=observation.id))
    return render_template(
        "fieldwork/observation_form.html", district=district, visit=observation.visit, observation=observation,
        rubric=rubric, rubrics=[rubric], values=values, errors=errors, grade_options=[(g, g) for g in GRADES],
        opened_at=stored_now().isoformat(timespec="seconds"),
    ), 422 if errors else 200


def _observation_values(observation: Observation) -> dict:
    """The form's values for a stored observation, as strings, the way a submitted form has them."""
    values = {"grade": observation.grade, "subject": observation.subject, "minutes": str(observation.minutes),
              "feedback": observation.feedback or ""}
    for rating in observation.ratings:
        values[f"rating-{rating.look_for_id}"] = str(rating.rating)
        values[f"evidence-{rating.look_for_id}"] = rating.evidence or ""
    return values


@bp.post("/observations/<int:observation_id>/delete")
def delete_observation(observation_id: int):
    district = g.district
    observation = get_or_404(Observation, district_id=district.id, id=observation_id)
    require_team(district.id, observation.visit.team)
    if "confirm" not in request.form:
        return _observation_page(district, observation, {"confirm": ["Tick the box to confirm the deletion."]})
    visit_id = observation.visit_id
    delete_observation_and_ratings(observation)
    db.session.commit()
    flash("Observation deleted.", "success")
    return redirect(url_for("fieldwork.visit", visit_id=visit_id) + "#observations")


# --- support assignments and leads --------------------------------------------------------------


@bp.route("/assignments/new", methods=["GET", "POST"])
def new_assignment():
    district = g.district
    require_assigner(district)
    return _assignment_form(district, None)


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
def edit_assignment(assignment_id: int):
    district = g.district
    assignment = get_or_404(SupportAssignment, district_id=district.id, id=assignment_id)
    require_assigner(district)
    return _assignment_form(district, assignment)


def _assignment_form(district: District, assignment: SupportAssignment | None):
    if assignment:
        values = {f: getattr(assignment, f) for f in AssignmentSchema().fields if hasattr(assignment, f)}
        values = {k: "" if v is None else v for k, v in values.items()}
    else:
        values = {"starts_on": state_today().isoformat(), "status": "active"}
    errors = {}
    if request.method == "POST":
        values = request.form
        try:
            saved = save_assignment(district, load_form(AssignmentSchema(), request.form), assignment)
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            db.session.commit()
            flash(f"Saved the support: {saved}.", "success")
            return redirect(url_for("districts.show", slug=district.slug))
    return render_template(
        "fieldwork/assignment_form.html", district=district, assignment=assignment, values=values, errors=errors,
        school_options=[(s.id, s.name) for s in schools_of(district)],
        lead_options=[(u.id, u.name) for u in leads_of(district)],
        support_options=[(t.id, t.name) for t in support_types()],
        status_options=enum_choices(AssignmentStatus),
    ), 422 if errors else 200


@bp.route("/leads", methods=["GET", "POST"])
def leads():
    district = g.district
    require_assigner(district)
    if request.method == "POST":
        person = db.session.get(User, request.form.get("user_id", type=int) or 0)
        if person is None or not person.has_role(Role.ASSISTANCE_LEAD):
            flash("Choose one of the platform's assistance leads.", "error")
            return redirect(url_for("fieldwork.leads")), 303
        if request.form.get("action") == "remove":
            unassign_lead(district, person)
            flash(f"{person.name} no longer works with {district.name}.", "success")
        else:
            assign_lead(district, person)
            flash(f"{person.name} now works with {district.name}.", "success")
        db.session.commit()
        return redirect(url_for("fieldwork.leads"))
    assigned = leads_of(district)
    candidates = db.session.scalars(
        db.select(User).join(RoleGrant).where(RoleGrant.role == Role.ASSISTANCE_LEAD).distinct().order_by(User.name)
    ).all()
    return render_template("fieldwork/leads.html", district=district, assigned=assigned,
                           candidates=[c for c in candidates if c not in assigned])

