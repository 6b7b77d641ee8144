"""Pages of a district's improvement plan, equity goals, providers, status reports and the leader's dashboard.

Everyone who reads the district reads these pages; its writers (leaders and its
support team) change them, viewers never do.
"""
from decimal import Decimal

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.audit.services import audit_trail
from app.auth.guards import sign_in_required
from app.clock import state_today
from app.exports import export_response
from app.forms import InvalidInput, load_form
from app.lists import Column, enum_choices
from app.plans import impact, services
from app.plans.charts import goal_chart
from app.plans.equity import goal_figures, goals_with_progress
from app.plans.health import health_by_priority, plan_health
from app.plans.models import (
    Action,
    ActionStatus,
    Direction,
    EquityGoal,
    ImprovementPlan,
    Measurement,
    Milestone,
    PlanStatus,
    Priority,
    Provider,
    ProviderKind,
    Risk,
    RiskSeverity,
    StatusReport,
    Strategy,
)
from app.plans.pdf import report_pdf
from app.plans.reports import (
    HEALTH_LABELS,
    changes_since,
    csv_rows,
    freeze_status_report,
    previous_report,
    reports_of,
)
from app.plans.schemas import (
    ActionSchema,
    EquityGoalSchema,
    EvidenceSchema,
    MeasurementSchema,
    MilestoneSchema,
    PlanSchema,
    PlanSettingsSchema,
    PrioritySchema,
    ProgressUpdateSchema,
    ProviderSchema,
    ReviewSchema,
    RiskSchema,
    StrategySchema,
)
from app.text import day
from tenants.lookup import can_write, district_or_404, get_or_404, require_write
from tenants.models import District, ReportingInterval

bp = Blueprint("plans", __name__, url_prefix="/districts/<slug>")

REPORT_COLUMNS = [Column(header, lambda row, i=i: row[i])
                  for i, header in enumerate(("Section", "Item", "Status", "Date", "Figure"))]


sign_in_required(bp)


@bp.app_template_global("goal_chart")
def _goal_chart(goal: dict):
    return goal_chart(goal)



def _form_values(row, schema) -> dict:
    values = {name: getattr(row, name) for name in schema.fields if hasattr(row, name)}
    for name in ("allocated_cents", "spent_cents", "contract_cents"):
        if name in values:
            values[name] = f"{Decimal(values[name]) / 100:.2f}"
    if getattr(row, "suppressed", False):
        values["value"] = "suppressed"  # read back as suppressed when the form is saved unchanged
    return {key: "" if value is None else value for key, value in values.items()}


def _saved(message: str, to: str):
    flash(message, "success")
    return redirect(to)


def _submitted(schema, save, values: dict):
    """On a POST, load the form and save it: the saved row (or None), the values to show again, the errors."""
    if request.method != "POST":
        return None, values, {}
    try:
        return save(load_form(schema, request.form)), request.form, {}
    except InvalidInput as invalid:
        return None, request.form, invalid.messages


# --- the dashboard and the plan -----------------------------------------------------------------


@bp.get("/dashboard")
def dashboard(slug: str):
    district = district_or_404(slug)
    plan = services.current_plan(district)
    today = state_today()
    reports = reports_of(district.id)
    return render_template(
        "plans/dashboard.html", district=district, plan=plan, today=today,
        health=plan_health(plan, today) if plan else None,
        upcoming=services.upcoming(plan, today) if plan else [],
        risks=services.open_risks(plan) if plan else [],
        goals=[goal_figures(p) for p in goals_with_progress(EquityGoal.district_id == district.id)],
        visits=services.recent_visits(district, 5),
        last_report=reports[0] if reports else None,
        can_edit=can_write(district.id),
    )


@bp.get("/plan")
def plan(slug: str):
    district = district_or_404(slug)
    plan = services.current_plan(district)
    return render_template(
        "plans/plan.html", district=district, plan=plan, can_edit=can_write(district.id),
        health=plan_health(plan) if plan else None, by_priority=health_by_priority(plan) if plan else {},
        risks=services.risks_of(plan) if plan else [],
    )


@bp.route("/plan/new", methods=["GET", "POST"])
def new_plan(slug: str):
    district = district_or_404(slug)
    require_write(district.id)
    return _plan_form(district, None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _plan_form(district, plan)


def _plan_form(district: District, plan: ImprovementPlan | None):
    saved, values, errors = _submitted(PlanSchema(), lambda data: services.save_plan(district, data, plan),
                                       _form_values(plan, PlanSchema()) if plan else {"status": "active"})
    if saved:
        return _saved("Plan saved.", url_for("plans.plan", slug=district.slug))
    return render_template(
        "plans/plan_form.html", district=district, plan=plan, values=values, errors=errors,
        status_options=enum_choices(PlanStatus),
    ), 422 if errors else 200


@bp.route("/plan/settings", methods=["GET", "POST"])
def settings(slug: str):
    district = district_or_404(slug)
    require_write(district.id)
    saved, values, errors = _submitted(PlanSettingsSchema(), lambda data: services.save_plan_settings(district, data),
                                       _form_values(district, PlanSettingsSchema()))
    if saved:
        return _saved("Plan settings saved.", url_for("plans.plan", slug=slug))
    return render_template("plans/settings.html", district=district, values=values, errors=errors,
                           interval_options=enum_choices(ReportingInterval)), 422 if errors else 200


@bp.post("/plans/<int:plan_id>/priorities")
def add_priority(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _inline(lambda: services.save_priority(plan, load_form(PrioritySchema(), request.form)),
                   "Priority added.", district)


@bp.post("/plans/<int:plan_id>/strategies")
def add_strategy(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _inline(lambda: services.save_strategy(plan, load_form(StrategySchema(), request.form)),
                   "Strategy added.", district)


@bp.route("/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
def edit_priority(slug: str, priority_id: int):
    district, priority = _to_change(Priority, slug, priority_id)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=priority.plan_id)
    return _edit(district, priority, PrioritySchema(), lambda data: services.save_priority(plan, data, priority),
                 "priority", url_for("plans.plan", slug=slug) + f"#priority-{priority.id}")


@bp.route("/priorities/<int:priority_id>/delete", methods=["GET", "POST"])
def delete_priority(slug: str, priority_id: int):
    district, priority = _to_change(Priority, slug, priority_id)
    return _delete(district, priority, "priority", url_for("plans.plan", slug=slug))


@bp.route("/strategies/<int:strategy_id>/edit", methods=["GET", "POST"])
def edit_strategy(slug: str, strategy_id: int):
    district, strategy = _to_change(Strategy, slug, strategy_id)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=strategy.priority.plan_id)
    return _edit(district, strategy, StrategySchema(), lambda data: services.save_strategy(plan, data, strategy),
                 "strategy", url_for("plans.plan", slug=slug),
                 priority_options=[(p.id, p.title) for p in plan.priorities])


@bp.route("/strategies/<int:strategy_id>/delete", methods=["GET", "POST"])
def delete_strategy(slug: str, strategy_id: int):
    district, strategy = _to_change(Strategy, slug, strategy_id)
    return _delete(district, strategy, "strategy", url_for("plans.plan", slug=slug))


def _to_change(model, slug: str, row_id: int):
    """The district and its row a writer is about to change: 404 if out of reach, 403 if read only."""
    district = district_or_404(slug)
    row = get_or_404(model, district_id=district.id, id=row_id)
    require_write(district.id)
    return district, row


def _edit(district: District, row, schema, save, noun: str, back: str, **options):
    """Change a row through the same schema and service as adding it; errors are shown on the form (422)."""
    saved, values, errors = _submitted(schema, save, _form_values(row, schema))
    if saved:
        return _saved(f"{noun.capitalize()} saved.", back)
    return render_template("plans/edit.html", district=district, row=row, noun=noun, values=values, errors=errors,
                           back=back, **options), 422 if errors else 200


def _delete(district: District, row, noun: str, back: str):
    """Ask before deleting (GET), then delete (POST); a row still in use is refused, saying why (409)."""
    label = str(row)
    if request.method == "POST":
        try:
            services.delete(row)
        except services.StillInUse as refused:
            return render_template("plans/delete.html", district=district, noun=noun, label=label, back=back,
                                   deletion=refused.deletion), 409
        return _saved(f"{noun.capitalize()} deleted: {label}.", back)
    return render_template("plans/delete.html", district=district, noun=noun, label=label, back=back,
                           deletion=services.deletion_of(row))


def _inline(save, message: str, district: District, to: str | None = None):
    """Save a small form of a page; on a problem, say what it is (422) on the page it came from."""
    to = to or url_for("plans.plan", slug=district.slug)
    try:
        save()
    except InvalidInput as invalid:
        problems = " ".join(f"{name.replace('_', ' ').capitalize()}: {' '.join(m)}" for name, m in invalid.messages.items())
        return render_template("plans/problem.html", district=district, problems=problems, back=to), 422
    return _saved(message, to)


# --- actions ------------------------------------------------------------------------------------


@bp.route("/plans/<int:plan_id>/actions/new", methods=["GET", "POST"])
def new_action(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _action_form(district, plan, None)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(slug: str, action_id: int):
    district = district_or_404(slug)
    action = get_or_404(Action, district_id=district.id, id=action_id)
    require_write(district.id)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=action.plan_id)
    return _action_form(district, plan, action)


def _action_form(district: District, plan: ImprovementPlan, action: Action | None):
    if action:
        values = _form_values(action, ActionSchema())
    else:
        values = {"starts_on": state_today().isoformat(), "status": "not_started",
                  "strategy_id": request.args.get("strategy", "")}
    errors = {}
    if request.method == "POST":
        values = request.form
        fields, answers = impact.split_answers(request.form, current_user)
        try:
            saved = services.save_action(plan, load_form(ActionSchema(), fields), action, answers)
        except InvalidInput as invalid:
            errors = invalid.messages | impact.problems_on_creation(action, answers)
        else:
            return _saved(f"Action saved: {saved.title}.",
                          url_for("plans.action", slug=district.slug, action_id=saved.id))
    strategies = [(s.id, f"{p.title} › {s.title}") for p in plan.priorities for s in p.strategies]
    checklist, checklist_values = impact.checklist_on_form(action, request.form, errors)
    return render_template(
        "plans/action_form.html", district=district, plan=plan, action=action, values=values, errors=errors,
        strategy_options=strategies, owner_options=[(u.id, u.name) for u in services.people_of(district)],
        provider_options=[(p.id, p.name) for p in services.providers_of(district)],
        status_options=enum_choices(ActionStatus), checklist=checklist, checklist_values=checklist_values,
    ), 422 if errors else 200


@bp.get("/actions/<int:action_id>")
def action(slug: str, action_id: int):
    district = district_or_404(slug)
    action = get_or_404(Action, district_id=district.id, id=action_id)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=action.plan_id)
    risks = [r for r in services.risks_of(plan) if r.action_id == action.id]
    return render_template(
        "plans/action.html", district=district, action=action, plan=plan, risks=risks,
        evidence=services.evidence_of(action), trail=audit_trail(action), can_edit=can_write(district.id),
        impact_reviews=impact.reviews_of(action),
        today=state_today(), status_options=enum_choices(ActionStatus), severity_options=enum_choices(RiskSeverity),
        people=[(u.id, u.name) for u in services.people_of(district)],
        milestone_options=[(ms.id, ms.title) for ms in action.milestones],
        visit_options=[(v.id, f"{day(v.visited_on)} · {v.place} · {v.purpose}")
                       for v in services.recent_visits(district, 50)],
        observations=services.recent_observations(district),
    )


def _on_action(action_id: int, district: District):
    action = get_or_404(Action, district_id=district.id, id=action_id)
    require_write(district.id)
    return action, url_for("plans.action", slug=district.slug, action_id=action.id)


@bp.post("/actions/<int:action_id>/updates")
def post_update(slug: str, action_id: int):
    district = district_or_404(slug)
    action, back = _on_action(action_id, district)
    return _inline(lambda: services.post_progress_update(action, current_user, load_form(ProgressUpdateSchema(),
                                                                                          request.form)),
                   "Progress update posted.", district, back + "#updates")


@bp.post("/actions/<int:action_id>/milestones")
def add_milestone(slug: str, action_id: int):
    district = district_or_404(slug)
    action, back = _on_action(action_id, district)
    return _inline(lambda: services.add_milestone(action, load_form(MilestoneSchema(), request.form)),
                   "Milestone added.", district, back + "#milestones")


@bp.post("/milestones/<int:milestone_id>/met")
def milestone_met(slug: str, milestone_id: int):
    district = district_or_404(slug)
    milestone = get_or_404(Milestone, district_id=district.id, id=milestone_id)
    _, back = _on_action(milestone.action_id, district)
    services.mark_milestone_met(milestone, state_today())
    return _saved(f"Milestone met: {milestone.title}.", back + "#milestones")


@bp.post("/actions/<int:action_id>/risks")
def add_risk(slug: str, action_id: int):
    district = district_or_404(slug)
    action, back = _on_action(action_id, district)
    return _inline(lambda: services.add_risk(action, load_form(RiskSchema(), request.form)),
                   "Risk recorded.", district, back + "#risks")


@bp.post("/risks/<int:risk_id>/close")
def close_risk(slug: str, risk_id: int):
    district = district_or_404(slug)
    risk = get_or_404(Risk, district_id=district.id, id=risk_id)
    require_write(district.id)
    services.close_risk(risk)
    back = url_for("plans.action", slug=slug, action_id=risk.action_id) if risk.action_id else url_for(
        "plans.plan", slug=slug)
    return _saved(f"Risk closed: {risk.title}.", back)


@bp.post("/actions/<int:action_id>/review")
def review(slug: str, action_id: int):
    district = district_or_404(slug)
    action, back = _on_action(action_id, district)
    return _inline(lambda: services.sign_off_review(action, current_user, load_form(ReviewSchema(), request.form)),
                   "Quality review signed off.", district, back + "#review")


@bp.post("/actions/<int:action_id>/evidence")
def link_evidence(slug: str, action_id: int):
    district = district_or_404(slug)
    action, back = _on_action(action_id, district)
    kind = "Observation" if request.form.get("observation_id") else "Visit"
    return _inline(lambda: services.link_evidence(action, load_form(EvidenceSchema(), request.form)),
                   f"{kind} linked as evidence.", district, back + "#evidence")


# --- providers ----------------------------------------------------------------------------------


@bp.route("/providers", methods=["GET", "POST"])
def providers(slug: str):
    district = district_or_404(slug)
    if request.method == "POST":
        require_write(district.id)
    saved, values, errors = _submitted(ProviderSchema(), lambda data: services.save_provider(district, data),
                                       {"kind": "provider"})
    if saved:
        return _saved("Provider added.", url_for("plans.providers", slug=slug))
    served = {p.id: services.actions_of_provider(p) for p in services.providers_of(district)}
    return render_template(
        "plans/providers.html", district=district, providers=services.providers_with_spend(district), served=served,
        values=values, errors=errors, kind_options=enum_choices(ProviderKind), can_edit=can_write(district.id),
    ), 422 if errors else 200


@bp.route("/providers/<int:provider_id>/edit", methods=["GET", "POST"])
def edit_provider(slug: str, provider_id: int):
    district, provider = _to_change(Provider, slug, provider_id)
    return _edit(district, provider, ProviderSchema(), lambda data: services.save_provider(district, data, provider),
                 "provider", url_for("plans.providers", slug=slug), kind_options=enum_choices(ProviderKind))


@bp.route("/providers/<int:provider_id>/delete", methods=["GET", "POST"])
def delete_provider(slug: str, provider_id: int):
    district, provider = _to_change(Provider, slug, provider_id)
    return _delete(district, provider, "provider", url_for("plans.providers", slug=slug))


# --- equity goals -------------------------------------------------------------------------------


@bp.route("/goals", methods=["GET", "POST"])
def goals(slug: str):
    district = district_or_404(slug)
    if request.method == "POST":
        require_write(district.id)
    goal, values, errors = _submitted(EquityGoalSchema(), lambda data: services.save_goal(district, data),
                                      {"direction": "higher"})
    if goal:
        return _saved("Equity goal added.", url_for("plans.goal", slug=slug, goal_id=goal.id))
    return render_template(
        "plans/goals.html", district=district, values=values, errors=errors, can_edit=can_write(district.id),
        goals=[goal_figures(p) for p in goals_with_progress(EquityGoal.district_id == district.id)],
        **_goal_options(district),
    ), 422 if errors else 200


def _goal_options(district: District) -> dict:
    plan = services.current_plan(district)
    return {
        "direction_options": [(Direction.HIGHER.value, "Higher is better"), (Direction.LOWER.value, "Lower is better")],
        "priority_options": [(p.id, p.title) for p in (plan.priorities if plan else [])],
    }


@bp.get("/goals/<int:goal_id>")
def goal(slug: str, goal_id: int):
    district = district_or_404(slug)
    goal = get_or_404(EquityGoal, district_id=district.id, id=goal_id)
    return _goal_page(district, goal, {}, {})


def _goal_page(district: District, goal: EquityGoal, values, errors: dict):
    figures = goal_figures(goals_with_progress(EquityGoal.district_id == district.id, EquityGoal.id == goal.id)[0])
    return render_template("plans/goal.html", district=district, goal=goal, figures=figures,
                           can_edit=can_write(district.id), values=values, errors=errors)


@bp.post("/goals/<int:goal_id>/measurements")
def add_measurement(slug: str, goal_id: int):
    """Add a year's figures; a problem is shown on the goal's page, with what was typed (422)."""
    district = district_or_404(slug)
    goal = get_or_404(EquityGoal, district_id=district.id, id=goal_id)
    require_write(district.id)
    saved, values, errors = _submitted(MeasurementSchema(), lambda data: services.save_measurement(goal, data), {})
    if saved:
        return _saved("Measurement added.", url_for("plans.goal", slug=slug, goal_id=goal.id))
    return _goal_page(district, goal, values, errors), 422


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(slug: str, goal_id: int):
    district, goal = _to_change(EquityGoal, slug, goal_id)
    return _edit(district, goal, EquityGoalSchema(), lambda data: services.save_goal(district, data, goal),
                 "equity goal", url_for("plans.goal", slug=slug, goal_id=goal.id), **_goal_options(district))


@bp.route("/goals/<int:goal_id>/delete", methods=["GET", "POST"])
def delete_goal(slug: str, goal_id: int):
    district, goal = _to_change(EquityGoal, slug, goal_id)
    return _delete(district, goal, "equity goal", url_for("plans.goals", slug=slug))


@bp.route("/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
def edit_measurement(slug: str, measurement_id: int):
    district, measurement = _to_change(Measurement, slug, measurement_id)
    goal = get_or_404(EquityGoal, district_id=district.id, id=measurement.goal_id)
    return _edit(district, measurement, MeasurementSchema(),
                 lambda data: services.save_measurement(goal, data, measurement),
                 "measurement", url_for("plans.goal", slug=slug, goal_id=goal.id), goal=goal)


@bp.route("/measurements/<int:measurement_id>/delete", methods=["GET", "POST"])
def delete_measurement(slug: str, measurement_id: int):
    district, measurement = _to_change(Measurement, slug, measurement_id)
    return _delete(district, measurement, "measurement",
                   url_for("plans.goal", slug=slug, goal_id=measurement.goal_id))


# --- status reports -----------------------------------------------------------------------------


@bp.route("/reports", methods=["GET", "POST"])
def reports(slug: str):
    district = district_or_404(slug)
    plan = services.current_plan(district)
    if request.method == "POST":
        require_write(district.id)
        if plan is None:
            return render_template("plans/problem.html", district=district, back=url_for("plans.plan", slug=slug),
                                   problems="Start a plan before reporting on it."), 409
        report = freeze_status_report(plan, current_user)
        return _saved("Status report made.", url_for("plans.report", slug=slug, report_id=report.id))
    return render_template("plans/reports.html", district=district, plan=plan, reports=reports_of(district.id),
                           can_edit=can_write(district.id))


def _report(district: District, report_id: int) -> tuple[StatusReport, list[str]]:
    report = get_or_404(StatusReport, district_id=district.id, id=report_id)
    previous = previous_report(report)
    return report, changes_since(previous.snapshot if previous else None, report.snapshot)


@bp.get("/reports/<int:report_id>")
def report(slug: str, report_id: int):
    district = district_or_404(slug)
    report, changes = _report(district, report_id)
    return render_template("plans/report.html", district=district, report=report, snapshot=report.snapshot,
                           changes=changes, labels=HEALTH_LABELS)


@bp.get("/reports/<int:report_id>.pdf")
def report_as_pdf(slug: str, report_id: int):
    district = district_or_404(slug)
    report, changes = _report(district, report_id)
    html = render_template("plans/report_pdf.html", district=district, report=report, snapshot=report.snapshot,
                           changes=changes, labels=HEALTH_LABELS)
    return Response(report_pdf(html), content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{district.slug}-status-report-{report.id}.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/reports/<int:report_id>.csv")
def report_as_csv(slug: str, report_id: int):
    district = district_or_404(slug)
    report = get_or_404(StatusReport, district_id=district.id, id=report_id)
    return export_response(csv_rows(report.snapshot), REPORT_COLUMNS, "csv",
                           f"{district.slug}-status-report-{report.id}")
