"""The district leader's dashboard: plan health, what is due, open risks, equity goals, recent visits."""
from flask import g, render_template

from app.clock import state_today
from app.districts.services import clusters_of
from app.fieldwork.filters import ClusterFilter
from app.lists import filters_from_query
from app.plans import services
from app.plans.equity import figures_of_goals, goals_with_progress
from app.plans.health import plan_health
from app.plans.models import EquityGoal
from app.plans.reports import reports_of
from app.plans.views.pages import bp
from tenants.lookup import can_write


@bp.get("/dashboard")
def dashboard():
    district = g.district
    clusters = clusters_of(district)
    filters, errors = filters_from_query(ClusterFilter(), {"cluster": None})
    cluster = next((c for c in clusters if c.id == filters["cluster"]), None)
    if filters["cluster"] is not None and cluster is None:
        errors = {"cluster": [f"Choose a cluster of {district.name}."]}
    plan = services.current_plan(district)
    today = state_today()
    reports = reports_of(district.id)
    return render_template(
        "plans/dashboard.html", district=district, plan=plan, today=today,
        health=plan_health(plan, today) if plan else None,
        upcoming=services.upcoming(plan, today) if plan else [],
        risks=services.open_risks(plan) if plan else [],
        goals=figures_of_goals(goals_with_progress(EquityGoal.district_id == district.id)),
        visits=services.recent_visits(district, 5, cluster.id if cluster else None),
        clusters=clusters, cluster=cluster, errors=errors,
        last_report=reports[0] if reports else None,
        can_edit=can_write(district.id),
    ), 400 if errors else 200
