"""Equity goals and their yearly measurements: the list, a goal's page with its chart, adding, editing, deleting."""
from flask import g, render_template, url_for

from app.plans import services
from app.plans.charts import goal_chart
from app.plans.equity import figures_of_goals, goal_figures, goals_with_progress
from app.plans.models import Direction, EquityGoal, Measurement
from app.plans.schemas import EquityGoalSchema, MeasurementSchema
from app.plans.views.pages import bp, delete_page, edit_page, list_form, row_to_change, saved_and_back, submitted
from tenants.lookup import can_write, get_or_404


@bp.app_template_global("goal_chart")
def _goal_chart(goal: dict):
    return goal_chart(goal)


@bp.route("/goals", methods=["GET", "POST"])
def goals():
    district = g.district
    goal, values, errors = list_form(EquityGoalSchema(), lambda data: services.save_goal(district, data),
                                     {"direction": "higher"})
    if goal:
        return saved_and_back("Equity goal added.", url_for("plans.goal", goal_id=goal.id))
    return render_template(
        "plans/goals.html", district=district, values=values, errors=errors, can_edit=can_write(district.id),
        goals=figures_of_goals(goals_with_progress(EquityGoal.district_id == district.id)),
        **_goal_options(),
    ), 422 if errors else 200


def _goal_options() -> dict:
    plan = services.current_plan(g.district)
    return {
        "direction_options": [(Direction.HIGHER.value, "Higher is better"), (Direction.LOWER.value, "Lower is better")],
        "priority_options": [(p.id, p.title) for p in (plan.priorities if plan else [])],
    }


@bp.get("/goals/<int:goal_id>")
def goal(goal_id: int):
    return _goal_page(get_or_404(EquityGoal, district_id=g.district.id, id=goal_id), {}, {})


def _goal_page(goal: EquityGoal, values, errors: dict):
    district = g.district
    figures = goal_figures(goals_with_progress(EquityGoal.district_id == district.id, EquityGoal.id == goal.id)[0])
    return render_template("plans/goal.html", district=district, goal=goal, figures=figures,
                           can_edit=can_write(district.id), values=values, errors=errors)


@bp.post("/goals/<int:goal_id>/measurements")
def add_measurement(goal_id: int):
    """Add a year's figures; a problem is shown on the goal's page, with what was typed (422)."""
    goal = row_to_change(EquityGoal, goal_id)
    saved, values, errors = submitted(MeasurementSchema(), lambda data: services.save_measurement(goal, data), {})
    if saved:
        return saved_and_back("Measurement added.", url_for("plans.goal", goal_id=goal.id))
    return _goal_page(goal, values, errors), 422


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(goal_id: int):
    goal = row_to_change(EquityGoal, goal_id)
    return edit_page(goal, EquityGoalSchema(), lambda data: services.save_goal(g.district, data, goal),
                     "equity goal", url_for("plans.goal", goal_id=goal.id), **_goal_options())


@bp.route("/goals/<int:goal_id>/delete", methods=["GET", "POST"])
def delete_goal(goal_id: int):
    return delete_page(row_to_change(EquityGoal, goal_id), "equity goal", url_for("plans.goals"))


@bp.route("/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
def edit_measurement(measurement_id: int):
    measurement = row_to_change(Measurement, measurement_id)
    goal = get_or_404(EquityGoal, district_id=g.district.id, id=measurement.goal_id)
    return edit_page(measurement, MeasurementSchema(), lambda data: services.save_measurement(goal, data, measurement),
                     "measurement", url_for("plans.goal", goal_id=goal.id), goal=goal)


@bp.route("/measurements/<int:measurement_id>/delete", methods=["GET", "POST"])
def delete_measurement(measurement_id: int):
    measurement = row_to_change(Measurement, measurement_id)
    return delete_page(measurement, "measurement", url_for("plans.goal", goal_id=measurement.goal_id))
