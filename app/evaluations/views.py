"""Principals' evaluation cycles: a cycle's pages, read and written by its circle only (tenants/personnel.py).

A cycle outside the reader's circle is not found (404) by the filter below; what each person of the circle may
do there is the services' rule (`services.NotYours`: a 403 with its message).
"""
from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.clock import state_today
from app.districts.blueprint import district_blueprint
from app.errors import render_error
from app.evaluations import services
from app.evaluations.framework import (
    INDICATORS,
    RATED,
    STANDARDS,
    Assessment,
    FormativeKind,
    GoalKind,
    GoalProgress,
    PerformanceRating,
    PlanType,
    Step,
    rated_label,
)
from app.evaluations.models import EvaluationCycle, EvaluationEvidence, EvaluationGoal, EvaluationReport
from app.evaluations.schemas import (
    CalendarSchema,
    CorrectionSchema,
    EvaluatorSchema,
    EvidenceSchema,
    GoalSchema,
    OpenCycleSchema,
    PlanSchema,
    SelfAssessmentSchema,
    SignSchema,
    ratings_schema,
)
from app.extensions import db
from app.forms import InvalidInput, load_form
from app.lists import enum_choices
from app.plans.views.pages import NOTHING_POSTED, Posted, labels_of
from tenants.lookup import can_write, get_or_404, require_write

bp = district_blueprint("evaluations", __name__, url_prefix="/evaluations")

ASSESSMENTS = {a.value: a for a in Assessment}


def may_open_evaluation_cycles(district) -> bool:
    """Whether the current person may open a cycle in `district` (a link on the district's page)."""
    return services.is_superintendent(current_user, district.id) or services.may_open_cycles(current_user, district)


bp.add_app_template_global(may_open_evaluation_cycles, "may_open_evaluation_cycles")


@bp.errorhandler(services.NotYours)
def not_yours(error: services.NotYours):
    db.session.rollback()
    return render_error(403, str(error))


def _cycle(cycle_id: int) -> EvaluationCycle:
    return get_or_404(EvaluationCycle, district_id=g.district.id, id=cycle_id)


def _assessment(value: str) -> Assessment:
    if value not in ASSESSMENTS:
        abort(404)
    return ASSESSMENTS[value]


def _done(message: str, cycle: EvaluationCycle, anchor: str = ""):
    """Commit what the services did (the view owns the transaction), say so, and go back to the cycle."""
    cycle_id = cycle.id
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("evaluations.cycle", cycle_id=cycle_id) + anchor)


def _refused(cycle_id: int, form: str, invalid: InvalidInput):
    """Nothing of a refused act is kept: the page again (422), with what was typed and the messages."""
    db.session.rollback()
    cycle = _cycle(cycle_id)
    return _page(cycle, Posted(form, request.form, invalid.messages, _labels(cycle))), 422


def _labels(cycle: EvaluationCycle) -> dict[str, str]:
    """The page's fields by the labels a summary of what to correct names them by."""
    labels = {"assessment": "Ratings", "step": "Step", "file": "File", "indicators": "Indicators"}
    for schema in (PlanSchema(), EvaluatorSchema(), SelfAssessmentSchema(), GoalSchema(), EvidenceSchema(),
                   CorrectionSchema(), SignSchema()):
        labels |= labels_of(schema)
    for code in RATED:
        labels |= {f"rating-{code}": f"{rated_label(code)}, rating", f"rationale-{code}": f"{rated_label(code)}, rationale"}
    for goal in services.goals_of(cycle):
        labels |= {f"progress-{goal.id}": f"Progress: {goal.title}", f"note-{goal.id}": f"Note: {goal.title}"}
    return labels


# --- the calendar -------------------------------------------------------------------------------------------

@bp.route("/calendar", methods=["GET", "POST"])
def calendar():
    district = g.district
    years = services.school_years_offered(state_today())
    year = request.values.get("school_year", type=int)
    year = year if year in years else years[0]
    dates, set_by_district = services.calendar_dates(district.id, year)
    values, errors = {"school_year": year, **{k: v.isoformat() for k, v in dates.items()}}, {}
    if request.method == "POST":
        require_write(district.id)
        values = request.form
        try:
            data = load_form(CalendarSchema(), request.form)
            if data["school_year"] not in years:
                raise InvalidInput({"school_year": ["Choose a school year from the list."]})
            services.save_calendar(district, data)
        except InvalidInput as invalid:
            db.session.rollback()
            errors = invalid.messages
        else:
            db.session.commit()
            flash(f"Saved the evaluation calendar for {_year_label(data['school_year'])}.", "success")
            return redirect(url_for("evaluations.calendar", school_year=data["school_year"]))
    return render_template("evaluations/calendar.html", district=district, years=[(y, _year_label(y)) for y in years],
                           year=year, dates=dates, set_by_district=set_by_district, values=values, errors=errors,
                           can_edit=can_write(district.id)), 422 if errors else 200


def _year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


# --- opening a cycle ----------------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
def new_cycle():
    district = g.district
    superintendent = services.is_superintendent(current_user, district.id)
    if not may_open_evaluation_cycles(district):
        abort(403, "Cycles are opened by the superintendent, or by a district leader or cluster supervisor who will "
                   "be the evaluator.")
    years = services.school_years_offered(state_today())
    values = {"school_year": years[0], "plan_type": PlanType.SELF_DIRECTED_GROWTH.value, "plan_months": 12,
              "formative_kind": FormativeKind.ASSESSMENT.value}
    errors = {}
    if request.method == "POST":
        values = request.form
        try:
            cycle = services.open_cycle(district, current_user, load_form(OpenCycleSchema(), request.form))
        except InvalidInput as invalid:
            db.session.rollback()
            errors = invalid.messages
        else:
            name = cycle.principal.name
            return _done(f"Opened {name}'s evaluation cycle.", cycle)
    principals = services.eligible_principals(district.id)
    return render_template(
        "evaluations/new.html", district=district, values=values, errors=errors, superintendent=superintendent,
        principals=[(user.id, f"{user.name}, {school.name}") for user, school in principals],
        evaluators=[(person.id, person.name) for person in services.evaluator_choices(district.id)],
        years=[(y, _year_label(y)) for y in years], plan_types=enum_choices(PlanType),
        formative_kinds=enum_choices(FormativeKind)), 422 if errors else 200


# --- the cycle page -----------------------------------------------------------------------------------------

@bp.get("/<int:cycle_id>")
def cycle(cycle_id: int):
    return _page(_cycle(cycle_id), NOTHING_POSTED)


def _page(cycle: EvaluationCycle, posted: Posted):
    me = current_user
    is_evaluator, is_principal = me.id == cycle.evaluator_id, me.id == cycle.principal_id
    goals, reports = services.goals_of(cycle), services.reports_of(cycle)
    # The principal reads what was issued to them; the evaluator and the superintendent the work in progress too.
    sees_drafts = not is_principal or is_evaluator
    ratings = {a: (services.ratings_of(cycle, a), services.goal_ratings_of(cycle, a)) for a in Assessment} \
        if sees_drafts else {}
    newest_issued = {}
    for report in reports:
        if report.issued_at is not None:
            newest_issued[report.assessment] = report.version
    return render_template(
        "evaluations/cycle.html", district=g.district, cycle=cycle, posted=posted,
        is_evaluator=is_evaluator, is_principal=is_principal,
        is_superintendent=services.is_superintendent(me, cycle.district_id),
        steps=services.step_states(cycle, state_today()), goals=goals,
        evidence=services.evidence_of(cycle), reports=reports, newest_issued=newest_issued, ratings=ratings,
        frozen={a: services.frozen_message(cycle, a) for a in Assessment},
        labels={a: services.assessment_label(cycle, a) for a in Assessment},
        history=services.history_of(cycle),
        names=services.people_named([r.issued_by_id for r in reports] + [r.signed_by_id for r in reports]),
        visits=services.visits_for_evidence(cycle) if is_evaluator else [],
        actions=services.plan_actions_of(cycle.district_id) if is_evaluator else [],
        evaluators=[(p.id, p.name) for p in services.eligible_evaluators(cycle.school)] if not is_evaluator else [],
        standards=STANDARDS, rated=RATED, rated_label=rated_label, indicators=INDICATORS,
        scale=enum_choices(PerformanceRating), progress_scale=enum_choices(GoalProgress),
        plan_types=enum_choices(PlanType), formative_kinds=enum_choices(FormativeKind),
        goal_kinds=enum_choices(GoalKind), steps_marked_done=services.STEPS_MARKED_DONE,
        Assessment=Assessment, Step=Step, PlanType=PlanType, FormativeKind=FormativeKind, GoalKind=GoalKind,
        PerformanceRating=PerformanceRating,
        pdf_link="evaluations.summative_pdf" in current_app.view_functions,
    )


@bp.post("/<int:cycle_id>/plan")
def save_plan(cycle_id: int):
    cycle = _cycle(cycle_id)
    try:
        services.save_plan(cycle, current_user, load_form(PlanSchema(), request.form))
    except InvalidInput as invalid:
        return _refused(cycle_id, "plan", invalid)
    return _done("Saved the plan and the due dates.", cycle, "#plan")


@bp.post("/<int:cycle_id>/evaluator")
def reassign(cycle_id: int):
    cycle = _cycle(cycle_id)
    try:
        services.reassign_evaluator(cycle, current_user, load_form(EvaluatorSchema(), request.form)["evaluator_id"])
    except InvalidInput as invalid:
        return _refused(cycle_id, "evaluator", invalid)
    return _done(f"{cycle.evaluator.name} is now the evaluator.", cycle)


@bp.post("/<int:cycle_id>/self-assessment")
def self_assessment(cycle_id: int):
    cycle = _cycle(cycle_id)
    try:
        data = load_form(SelfAssessmentSchema(), request.form)
        submit = data["submit"] == "yes"
        services.write_self_assessment(cycle, current_user, data["self_assessment"], submit)
    except InvalidInput as invalid:
        return _refused(cycle_id, "self_assessment", invalid)
    return _done("Submitted your self-assessment." if submit else "Saved your self-assessment.", cycle, "#steps")


@bp.post("/<int:cycle_id>/steps/<step>")
def complete_step(cycle_id: int, step: str):
    cycle = _cycle(cycle_id)
    if step not in {s.value for s in Step}:
        abort(404)
    try:
        services.complete_step(cycle, current_user, Step(step))
    except InvalidInput as invalid:
        return _refused(cycle_id, "steps", invalid)
    return _done(f"Completed step {Step(step).number}: {Step(step).label}.", cycle, "#steps")


# --- goals --------------------------------------------------------------------------------------------------

@bp.post("/<int:cycle_id>/goals")
def add_goal(cycle_id: int):
    cycle = _cycle(cycle_id)
    try:
        services.save_goal(cycle, current_user, load_form(GoalSchema(), request.form, lists=("action_ids",)))
    except InvalidInput as invalid:
        return _refused(cycle_id, "goal", invalid)
    return _done("Added the goal.", cycle, "#goals")


@bp.route("/<int:cycle_id>/goals/<int:goal_id>", methods=["GET", "POST"])
def edit_goal(cycle_id: int, goal_id: int):
    cycle = _cycle(cycle_id)
    goal = get_or_404(EvaluationGoal, district_id=g.district.id, cycle_id=cycle.id, id=goal_id)
    services.require_evaluator(cycle, current_user)
    values = {name: getattr(goal, name) or "" for name in services.GOAL_FIELDS}
    chosen, errors = {str(link.action_id) for link in goal.plan_actions}, {}
    if request.method == "POST":
        values, chosen = request.form, set(request.form.getlist("action_ids"))
        try:
            services.save_goal(cycle, current_user, load_form(GoalSchema(), request.form, lists=("action_ids",)), goal)
        except InvalidInput as invalid:
            db.session.rollback()
            errors = invalid.messages
        else:
            return _done("Saved the goal.", cycle, "#goals")
    return render_template("evaluations/goal.html", district=g.district, cycle=cycle, goal=goal, values=values,
                           errors=errors, chosen=chosen, goal_kinds=enum_choices(GoalKind),
                           actions=services.plan_actions_of(cycle.district_id)), 422 if errors else 200


@bp.post("/<int:cycle_id>/goals/<int:goal_id>/delete")
def delete_goal(cycle_id: int, goal_id: int):
    cycle = _cycle(cycle_id)
    goal = get_or_404(EvaluationGoal, district_id=g.district.id, cycle_id=cycle.id, id=goal_id)
    services.delete_goal(cycle, current_user, goal)
    return _done("Deleted the goal.", cycle, "#goals")


# --- evidence -----------------------------------------------------------------------------------------------

@bp.post("/<int:cycle_id>/evidence")
def add_evidence(cycle_id: int):
    cycle = _cycle(cycle_id)
    storage = request.files.get("file")
    upload = None
    if storage and storage.filename:
        upload = (storage.filename, storage.stream.read(services.MAX_FILE_BYTES + 1))
    try:
        data = load_form(EvidenceSchema(), request.form, lists=("indicators",))
        services.add_evidence(cycle, current_user, data, upload)
    except InvalidInput as invalid:
        return _refused(cycle_id, "evidence", invalid)
    return _done("Added the evidence.", cycle, "#evidence")


@bp.post("/<int:cycle_id>/evidence/<int:evidence_id>/delete")
def delete_evidence(cycle_id: int, evidence_id: int):
    cycle = _cycle(cycle_id)
    evidence = get_or_404(EvaluationEvidence, district_id=g.district.id, cycle_id=cycle.id, id=evidence_id)
    services.delete_evidence(cycle, current_user, evidence)
    return _done("Removed the evidence.", cycle, "#evidence")


@bp.get("/<int:cycle_id>/evidence/<int:evidence_id>/file")
def evidence_file(cycle_id: int, evidence_id: int):
    cycle = _cycle(cycle_id)
    evidence = get_or_404(EvaluationEvidence, district_id=g.district.id, cycle_id=cycle.id, id=evidence_id)
    if evidence.file_data is None:
        abort(404)
    name = evidence.file_name.replace('"', "")
    return Response(evidence.file_data, content_type=evidence.file_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    })


# --- ratings, issuing, corrections, signatures --------------------------------------------------------------

@bp.post("/<int:cycle_id>/<assessment>/ratings")
def save_ratings(cycle_id: int, assessment: str):
    """Save the ratings; with `issue`, issue them as the next version for the principal to sign."""
    cycle, assessment = _cycle(cycle_id), _assessment(assessment)
    goal_ids = [goal.id for goal in services.goals_of(cycle)]
    try:
        data = load_form(ratings_schema(goal_ids), request.form)
        issuing = data["issue"] == "yes"
        services.save_ratings(
            cycle, current_user, assessment,
            {code: (data[f"rating-{code}"], data[f"rationale-{code}"]) for code in RATED},
            {goal_id: (data[f"progress-{goal_id}"], data[f"note-{goal_id}"]) for goal_id in goal_ids})
        report = services.issue(cycle, current_user, assessment) if issuing else None
    except InvalidInput as invalid:
        return _refused(cycle_id, assessment.value, invalid)
    label = services.assessment_label(cycle, assessment)
    if report is None:
        return _done(f"Saved the {label.lower()} ratings.", cycle, f"#{assessment.value}")
    version, principal_id = report.version, cycle.principal_id
    response = _done(f"Issued the {label.lower()}, version {version}: {cycle.principal.name} is asked to sign it.",
                     cycle, "#versions")
    services.announce(report, principal_id)
    return response


@bp.post("/<int:cycle_id>/<assessment>/correction")
def open_correction(cycle_id: int, assessment: str):
    cycle, assessment = _cycle(cycle_id), _assessment(assessment)
    try:
        reason = load_form(CorrectionSchema(), request.form)["reason"]
        report = services.open_correction(cycle, current_user, assessment, reason)
    except InvalidInput as invalid:
        return _refused(cycle_id, f"correction-{assessment.value}", invalid)
    return _done(f"Opened a correction (version {report.version}): change the ratings, then issue it.", cycle,
                 f"#{assessment.value}")


@bp.post("/<int:cycle_id>/reports/<int:report_id>/sign")
def sign(cycle_id: int, report_id: int):
    cycle = _cycle(cycle_id)
    report = get_or_404(EvaluationReport, district_id=g.district.id, cycle_id=cycle.id, id=report_id)
    try:
        services.sign(cycle, current_user, report, load_form(SignSchema(), request.form)["response"])
    except InvalidInput as invalid:
        return _refused(cycle_id, f"sign-{report_id}", invalid)
    return _done("Signed: your evaluator sees that you received it.", cycle, "#versions")
