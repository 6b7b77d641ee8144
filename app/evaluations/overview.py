"""An evaluator's overview of their principals' cycles, and the summative evaluation as the district files it."""
from flask import Response, abort, g, render_template
from flask_login import current_user
from marshmallow import fields, validate

from app.clock import school_year_start, state_today
from app.evaluations.framework import indicator_label
from app.evaluations.models import EvaluationCycle
from app.evaluations.overview_services import (
    latest_issued_summative,
    overview_of,
    school_year_label,
    school_years_offered,
)
from app.evaluations.views import bp
from app.exports import export_response
from app.fields import WholeNumber
from app.lists import FORMATS, Column, QueryFilters, filters_from_query, url_maker
from app.plans.pdf import report_pdf
from app.text import day, slugify
from tenants.access import may_open_evaluations
from tenants.lookup import get_or_404
from tenants.scope import current_scope


class OverviewFilters(QueryFilters):
    year = WholeNumber(load_default=None, minimum=2000, maximum=2100, error="Choose a school year from the list.")
    format = fields.String(load_default="html", validate=validate.OneOf(FORMATS, error="Export as csv or xlsx."))


# The overview's rows as a download: the page's columns, in its order.
OVERVIEW_COLUMNS = (
    Column("Principal", lambda line: line.cycle.principal.name),
    Column("School", lambda line: line.cycle.school.name),
    Column("Evaluator", lambda line: line.cycle.evaluator.name),
    Column("Current step", lambda line: line.current_step.label if line.current_step else "Complete"),
    Column("Current step due", lambda line: line.current_due),
    Column("Overdue steps", lambda line: "; ".join(f"{o.step.label} (due {day(o.due_on)})" for o in line.overdue)),
    Column("Last visit to the school", lambda line: line.last_visit),
    Column("Last coaching session", lambda line: line.last_coaching),
    Column("Overall rating", lambda line: line.rating.label if line.rating else ""),
    Column("Rated in", lambda line: line.rated_in.label if line.rated_in else ""),
)


@bp.get("")
def overview():
    district = g.district
    # Asked before anything is read: the support team and platform admins see no evaluation, so no page of them.
    if not may_open_evaluations(current_user, district.id):
        abort(403, "Principals' evaluations are for the district's own people: each evaluation is seen by its "
                   "evaluator, the principal and the superintendent only.")
    today = state_today()
    this_year = school_year_start(today).year
    schema = OverviewFilters()
    parsed, errors = filters_from_query(schema, fallback={"year": None, "format": "html"})
    year = parsed["year"] or this_year
    found = overview_of(district, current_user, current_scope(), year, today)
    if parsed["format"] != "html" and not errors:
        return export_response(found.lines, OVERVIEW_COLUMNS, parsed["format"],
                               f"{district.slug}-evaluations-{school_year_label(year)}")
    years = [(value, school_year_label(value)) for value in school_years_offered(district.id, this_year, year)
             if value != this_year]
    return render_template("evaluations/overview.html", district=district, overview=found, today=today,
                           this_year=school_year_label(this_year), years=years, errors=errors,
                           url_with=url_maker(schema.keys())), 400 if errors else 200


@bp.get("/<int:cycle_id>/summative.pdf")
def summative_pdf(cycle_id: int):
    district = g.district
    cycle = get_or_404(EvaluationCycle, district_id=district.id, id=cycle_id)  # outside its circle: not found
    report = latest_issued_summative(cycle)
    if report is None:
        abort(404, f"No summative evaluation of {cycle.principal.name} for {cycle.school_year_label} has been "
                   "issued yet: its PDF is made once the evaluator issues it.")
    html = render_template("evaluations/summative_pdf.html", district=district, cycle=cycle, report=report,
                           content=report.content or {}, indicator_label=indicator_label)
    name = slugify(f"{district.slug} summative evaluation {cycle.school_year_label} {cycle.principal.name}")
    return Response(report_pdf(html), content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}-v{report.version}.pdf"',
        "Cache-Control": "private, no-store",
    })
