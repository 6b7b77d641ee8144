"""An action's page and form, and what is posted on it: progress updates, milestones, risks, review, evidence."""
from flask import flash, g, render_template, request, url_for
from flask_login import current_user

from app.audit.services import audit_trail
from app.audit.words import events_in_words
from app.clock import state_today
from app.districts.services import schools_of
from app.forms import InvalidInput, load_form
from app.lists import choices, enum_choices
from app.plans import impact, services
from app.plans.models import Action, ActionStatus, ImprovementPlan, Milestone, Risk, RiskSeverity
from app.plans.schemas import (
    ActionSchema,
    EvidenceSchema,
    MilestoneSchema,
    ProgressUpdateSchema,
    ReviewSchema,
    RiskSchema,
)
from app.plans.views.pages import NOTHING_POSTED, Posted, bp, form_values, inline_save, row_to_change, saved_and_back
from app.text import day
from tenants.lookup import can_write, get_or_404


@bp.route("/plans/<int:plan_id>/actions/new", methods=["GET", "POST"])
def new_action(plan_id: int):
    return _action_form(row_to_change(ImprovementPlan, plan_id), None)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit_action(action_id: int):
    action = row_to_change(Action, action_id)
    plan = get_or_404(ImprovementPlan, district_id=g.district.id, id=action.plan_id)
    return _action_form(plan, action)


def _action_form(plan: ImprovementPlan, action: Action | None):
    district = g.district
    if action:
        values = form_values(action, ActionSchema()) | {"school_ids": [school.id for school in action.schools]}
    else:
        values = {"starts_on": state_today().isoformat(), "status": "not_started",
                  "strategy_id": request.args.get("strategy", "")}
    errors = {}
    if request.method == "POST":
        values = request.form
        fields, answers = impact.split_answers(request.form, current_user)
        try:
            saved = services.save_action(plan, load_form(ActionSchema(), fields, lists=("school_ids",)),
                                        action, answers)
        except InvalidInput as invalid:
            errors = invalid.messages | impact.problems_on_creation(action, answers)
        else:
            response = saved_and_back(f"Action saved: {saved.title}.", url_for("plans.action", action_id=saved.id))
            # Unusual, not impossible: saved, and said on the page it lands on.
            if warning := services.budget_warning(saved):
                flash(warning, "warning")
            return response
    strategies = [(s.id, f"{p.title} › {s.title}") for p in plan.priorities for s in p.strategies]
    checklist, checklist_values = impact.checklist_on_form(action, request.form, errors)
    return render_template(
        "plans/action_form.html", district=district, plan=plan, action=action, values=values, errors=errors,
        strategy_options=strategies, owner_options=[(u.id, u.name) for u in services.people_of(district)],
        provider_options=[(p.id, p.name) for p in services.providers_of(district)],
        status_options=enum_choices(ActionStatus), checklist=checklist, checklist_values=checklist_values,
        school_options=choices(schools_of(district)), chosen_schools=_chosen(values, "school_ids"),
    ), 422 if errors else 200


def _chosen(values, name: str) -> set[str]:
    """The ids ticked in a checkbox group, as strings: from a submitted form, or from the row's own values."""
    chosen = values.getlist(name) if hasattr(values, "getlist") else values.get(name, [])
    return {str(value) for value in chosen}


@bp.get("/actions/<int:action_id>")
def action(action_id: int):
    return _action_page(get_or_404(Action, district_id=g.district.id, id=action_id), NOTHING_POSTED)


def _action_page(action: Action, posted: Posted):
    """The action's page; `posted` is a refused form of it, shown again with what was typed and why."""
    district = g.district
    plan = get_or_404(ImprovementPlan, district_id=district.id, id=action.plan_id)
    observations = services.recent_observations(district)
    risks = [r for r in services.risks_of(plan) if r.action_id == action.id]
    return render_template(
        "plans/action.html", district=district, action=action, plan=plan, risks=risks,
        evidence=services.evidence_of(action), trail=events_in_words(audit_trail(action)), can_edit=can_write(district.id),
        impact_reviews=impact.reviews_of(action),
        today=state_today(), status_options=enum_choices(ActionStatus), severity_options=enum_choices(RiskSeverity),
        people=[(u.id, u.name) for u in services.people_of(district)],
        milestone_options=[(ms.id, ms.title) for ms in action.milestones],
        visit_options=[(v.id, f"{day(v.visited_on)} · {v.place} · {v.purpose}")
                       for v in services.recent_visits(district, 50)],
        observations=observations, posted=posted,
        observation_options=[(o.id, f"{day(o.visit.visited_on)} · {o.visit.place} · grade {o.grade} {o.subject}")
                             for o in observations],
    )


def _on_action(action_id: int) -> tuple[Action, str]:
    """The action a writer posts on, and its page to go back to."""
    action = row_to_change(Action, action_id)
    return action, url_for("plans.action", action_id=action.id)


def _on_action_page(action: Action, schema, save, message: str, back: str, form: str):
    """Save one of the action page's forms; a refusal shows the page again with it as typed (422)."""
    return inline_save(schema, save, message, back, lambda posted: _action_page(action, posted), form)


@bp.post("/actions/<int:action_id>/updates")
def post_update(action_id: int):
    action, back = _on_action(action_id)
    return _on_action_page(action, ProgressUpdateSchema(),
                           lambda data: services.post_progress_update(action, current_user, data),
                           "Progress update posted.", back + "#updates", "update")


@bp.post("/actions/<int:action_id>/milestones")
def add_milestone(action_id: int):
    action, back = _on_action(action_id)
    return _on_action_page(action, MilestoneSchema(), lambda data: services.add_milestone(action, data),
                           "Milestone added.", back + "#milestones", "milestone")


@bp.post("/milestones/<int:milestone_id>/met")
def milestone_met(milestone_id: int):
    milestone = get_or_404(Milestone, district_id=g.district.id, id=milestone_id)
    _, back = _on_action(milestone.action_id)
    services.mark_milestone_met(milestone, state_today())
    return saved_and_back(f"Milestone met: {milestone.title}.", back + "#milestones")


@bp.post("/actions/<int:action_id>/risks")
def add_risk(action_id: int):
    action, back = _on_action(action_id)
    return _on_action_page(action, RiskSchema(), lambda data: services.add_risk(action, data),
                           "Risk recorded.", back + "#risks", "risk")


@bp.post("/risks/<int:risk_id>/close")
def close_risk(risk_id: int):
    risk = row_to_change(Risk, risk_id)
    services.close_risk(risk)
    back = url_for("plans.action", action_id=risk.action_id) if risk.action_id else url_for("plans.plan")
    return saved_and_back(f"Risk closed: {risk.title}.", back)


@bp.post("/actions/<int:action_id>/review")
def review(action_id: int):
    action, back = _on_action(action_id)
    return _on_action_page(action, ReviewSchema(), lambda data: services.sign_off_review(action, current_user, data),
                           "Quality review signed off.", back + "#review", "review")


@bp.post("/actions/<int:action_id>/evidence")
def link_evidence(action_id: int):
    action, back = _on_action(action_id)
    kind = "Observation" if "observation_id" in request.form else "Visit"
    return _on_action_page(action, EvidenceSchema(), lambda data: services.link_evidence(action, data),
                           f"{kind} linked as evidence.", back + "#evidence", f"{kind.lower()}-evidence")
