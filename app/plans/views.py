"""Pages of a district's improvement plan, equity goals, providers, status reports and the leader's dashboard.

Everyone who reads the district reads these pages; its writers (leaders and its
support team) change them, viewers never do.
"""
from datetime import date
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
from app.exports import export_response
from app.fieldwork.forms import load_form
from app.fieldwork.listing import Column
from app.fieldwork.services import InvalidInput
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
    Milestone,
    PlanStatus,
    ProviderKind,
    ReportingInterval,
    Risk,
    RiskSeverity,
    StatusReport,
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
    PrioritySchema,
    ProgressUpdateSchema,
    ProviderSchema,
    ReviewSchema,
    RiskSchema,
    StrategySchema,
)
from tenants.lookup import can_write, district_or_404, get_or_404, require_write
from tenants.models import District

bp = Blueprint("plans", __name__, url_prefix="/districts/<slug>")

REPORT_COLUMNS = [Column(header, lambda row, i=i: row[i])
                  for i, header in enumerate(("Section", "Item", "Status", "Date", "Figure"))]


sign_in_required(bp)


@bp.app_template_filter("dollars")
def dollars(cents: int | None) -> str:
    return "—" if cents is None else f"${Decimal(cents) / 100:,.2f}"


@bp.app_template_global("goal_chart")
def _goal_chart(goal: dict):
    return goal_chart(goal)



def _choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("_", " ").capitalize()) for member in enum]


def _form_values(row, schema) -> dict:
    values = {name: getattr(row, name) for name in schema.fields if hasattr(row, name)}
    for name in ("allocated_cents", "spent_cents", "contract_cents"):
        if name in values:
            values[name] = f"{Decimal(values[name]) / 100:.2f}"
    return {key: "" if value is None else value for key, value in values.items()}


def _saved(message: str, to: str):
    flash(message, "success")
    return redirect(to)


# --- the dashboard and the plan -----------------------------------------------------------------


@bp.get("/dashboard")
def dashboard(slug: str):
    district = district_or_404(slug)
    plan = services.current_plan(district)
    today = date.today()
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
    values = _form_values(plan, PlanSchema()) if plan else {"status": "active", "reporting_interval": "quarterly",
                                                            "stale_after_days": 30}
    errors = {}
    if request.method == "POST":
        values = request.form
        try:
            services.save_plan(district, load_form(PlanSchema(), request.form), plan)
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            return _saved("Plan saved.", url_for("plans.plan", slug=district.slug))
    return render_template(
        "plans/plan_form.html", district=district, plan=plan, values=values, errors=errors,
        status_options=_choices(PlanStatus), interval_options=_choices(ReportingInterval),
    ), 422 if errors else 200


@bp.post("/plans/<int:plan_id>/priorities")
def add_priority(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _inline(lambda: services.add_priority(plan, load_form(PrioritySchema(), request.form)),
                   "Priority added.", district)


@bp.post("/plans/<int:plan_id>/strategies")
def add_strategy(slug: str, plan_id: int):
    district = district_or_404(slug)
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=plan_id)
    require_write(district.id)
    return _inline(lambda: services.add_strategy(plan, load_form(StrategySchema(), request.form)),
                   "Strategy added.", district)


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
        values = {"starts_on": date.today().isoformat(), "status": "not_started",
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
        status_options=_choices(ActionStatus), checklist=checklist, checklist_values=checklist_values,
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
        today=date.today(), status_options=_choices(ActionStatus), severity_options=_choices(RiskSeverity),
        people=[(u.id, u.name) for u in services.people_of(district)],
        milestone_options=[(ms.id, ms.title) for ms in action.milestones],
        visit_options=[(v.id, f"{v.visited_on:%-d %b %Y} · {v.place} · {v.purpose}")
                       for v in services.recent_visits(district, 50)],
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
    services.mark_milestone_met(milestone, date.today())
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
    return _inline(lambda: services.link_evidence(action, load_form(EvidenceSchema(), request.form)),
                   "Visit linked as evidence.", district, back + "#evidence")


# --- providers ----------------------------------------------------------------------------------


@bp.route("/providers", methods=["GET", "POST"])
def providers(slug: str):
    district = district_or_404(slug)
    values, errors = {"kind": "provider"}, {}
    if request.method == "POST":
        require_write(district.id)
        values = request.form
        try:
            services.save_provider(district, load_form(ProviderSchema(), request.form))
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            return _saved("Provider added.", url_for("plans.providers", slug=slug))
    served = {p.id: services.actions_of_provider(p) for p in services.providers_of(district)}
    return render_template(
        "plans/providers.html", district=district, providers=services.providers_with_spend(district), served=served,
        values=values, errors=errors, kind_options=_choices(ProviderKind), can_edit=can_write(district.id),
    ), 422 if errors else 200


# --- equity goals -------------------------------------------------------------------------------


@bp.route("/goals", methods=["GET", "POST"])
def goals(slug: str):
    district = district_or_404(slug)
    plan = services.current_plan(district)
    values, errors = {"direction": "higher"}, {}
    if request.method == "POST":
        require_write(district.id)
        values = request.form
        try:
            goal = services.save_goal(district, load_form(EquityGoalSchema(), request.form))
        except InvalidInput as invalid:
            errors = invalid.messages
        else:
            return _saved("Equity goal added.", url_for("plans.goal", slug=slug, goal_id=goal.id))
    return render_template(
        "plans/goals.html", district=district, values=values, errors=errors, can_edit=can_write(district.id),
        goals=[goal_figures(p) for p in goals_with_progress(EquityGoal.district_id == district.id)],
        direction_options=[(Direction.HIGHER.value, "Higher is better"), (Direction.LOWER.value, "Lower is better")],
        priority_options=[(p.id, p.title) for p in (plan.priorities if plan else [])],
    ), 422 if errors else 200


@bp.get("/goals/<int:goal_id>")
def goal(slug: str, goal_id: int):
    district = district_or_404(slug)
    goal = get_or_404(EquityGoal, district_id=district.id, id=goal_id)
    figures = goal_figures(goals_with_progress(EquityGoal.district_id == district.id, EquityGoal.id == goal.id)[0])
    return render_template("plans/goal.html", district=district, goal=goal, figures=figures,
                           can_edit=can_write(district.id))


@bp.post("/goals/<int:goal_id>/measurements")
def add_measurement(slug: str, goal_id: int):
    district = district_or_404(slug)
    goal = get_or_404(EquityGoal, district_id=district.id, id=goal_id)
    require_write(district.id)
    return _inline(lambda: services.add_measurement(goal, load_form(MeasurementSchema(), request.form)),
                   "Measurement added.", district, url_for("plans.goal", slug=slug, goal_id=goal.id))


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
