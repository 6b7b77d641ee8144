"""The plan page, the plan's own form and settings, and its priorities and strategies."""
from flask import g, render_template, request, url_for

from app.lists import enum_choices
from app.plans import services
from app.plans.health import health_by_priority, plan_health
from app.plans.models import ImprovementPlan, PlanStatus, Priority, Strategy
from app.plans.schemas import PlanSchema, PlanSettingsSchema, PrioritySchema, StrategySchema
from app.plans.views.pages import (
    NOTHING_POSTED,
    Posted,
    bp,
    delete_page,
    edit_page,
    form_values,
    inline_save,
    row_to_change,
    saved_and_back,
    submitted,
)
from tenants.lookup import can_write, get_or_404, require_write
from tenants.models import ReportingInterval


@bp.get("/plan")
def plan():
    return _plan_page(services.current_plan(g.district), NOTHING_POSTED)


def _plan_page(plan: ImprovementPlan | None, posted: Posted):
    """The plan's page; `posted` is a refused form of it (a new priority or strategy), shown again as typed."""
    district = g.district
    return render_template(
        "plans/plan.html", district=district, plan=plan, can_edit=can_write(district.id),
        health=plan_health(plan) if plan else None, by_priority=health_by_priority(plan) if plan else {},
        risks=services.risks_of(plan) if plan else [], posted=posted,
    )


@bp.route("/plan/new", methods=["GET", "POST"])
def new_plan():
    require_write(g.district.id)
    return _plan_form(None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id: int):
    return _plan_form(row_to_change(ImprovementPlan, plan_id))


def _plan_form(plan: ImprovementPlan | None):
    district = g.district
    saved, values, errors = submitted(PlanSchema(), lambda data: services.save_plan(district, data, plan),
                                      form_values(plan, PlanSchema()) if plan else {"status": "active"})
    if saved:
        return saved_and_back("Plan saved.", url_for("plans.plan"))
    return render_template(
        "plans/plan_form.html", district=district, plan=plan, values=values, errors=errors,
        status_options=enum_choices(PlanStatus),
    ), 422 if errors else 200


@bp.route("/plan/settings", methods=["GET", "POST"])
def settings():
    district = g.district
    require_write(district.id)
    saved, values, errors = submitted(PlanSettingsSchema(), lambda data: services.save_plan_settings(district, data),
                                      form_values(district, PlanSettingsSchema()))
    if saved:
        return saved_and_back("Plan settings saved.", url_for("plans.plan"))
    return render_template("plans/settings.html", district=district, values=values, errors=errors,
                           interval_options=enum_choices(ReportingInterval)), 422 if errors else 200


@bp.post("/plans/<int:plan_id>/priorities")
def add_priority(plan_id: int):
    plan = row_to_change(ImprovementPlan, plan_id)
    return inline_save(PrioritySchema(), lambda data: services.save_priority(plan, data), "Priority added.",
                       url_for("plans.plan"), lambda posted: _plan_page(plan, posted), "priority")


@bp.post("/plans/<int:plan_id>/strategies")
def add_strategy(plan_id: int):
    plan = row_to_change(ImprovementPlan, plan_id)
    form = f"strategy-{request.form.get('priority_id', '')}"
    return inline_save(StrategySchema(), lambda data: services.save_strategy(plan, data), "Strategy added.",
                       url_for("plans.plan"), lambda posted: _plan_page(plan, posted), form)


@bp.route("/priorities/<int:priority_id>/edit", methods=["GET", "POST"])
def edit_priority(priority_id: int):
    priority = row_to_change(Priority, priority_id)
    plan = get_or_404(ImprovementPlan, district_id=g.district.id, id=priority.plan_id)
    return edit_page(priority, PrioritySchema(), lambda data: services.save_priority(plan, data, priority),
                     "priority", url_for("plans.plan") + f"#priority-{priority.id}")


@bp.route("/priorities/<int:priority_id>/delete", methods=["GET", "POST"])
def delete_priority(priority_id: int):
    return delete_page(row_to_change(Priority, priority_id), "priority", url_for("plans.plan"))


@bp.route("/strategies/<int:strategy_id>/edit", methods=["GET", "POST"])
def edit_strategy(strategy_id: int):
    strategy = row_to_change(Strategy, strategy_id)
    plan = get_or_404(ImprovementPlan, district_id=g.district.id, id=strategy.priority.plan_id)
    return edit_page(strategy, StrategySchema(), lambda data: services.save_strategy(plan, data, strategy),
                     "strategy", url_for("plans.plan"), priority_options=[(p.id, p.title) for p in plan.priorities])


@bp.route("/strategies/<int:strategy_id>/delete", methods=["GET", "POST"])
def delete_strategy(strategy_id: int):
    return delete_page(row_to_change(Strategy, strategy_id), "strategy", url_for("plans.plan"))
