"""A plan's school-year report, as a page and as a PDF."""
from flask import Response, abort, g, render_template, request

from app.plans.annual import annual_report, default_school_year, school_year_label, school_years_of
from app.plans.models import ImprovementPlan
from app.plans.pdf import report_pdf
from app.plans.views.pages import bp
from tenants.lookup import get_or_404


def _report(plan_id: int):
    """The plan, its years, and the report of the year asked (`?year=2026`, default `default_school_year`), or the
    problem with the year asked, in words."""
    plan = get_or_404(ImprovementPlan, district_id=g.district.id, id=plan_id)
    years = school_years_of(plan)
    asked = request.args.get("year", "")
    year = default_school_year(plan) if asked == "" else (int(asked) if asked.isdigit() else None)
    if not years:
        return plan, years, None, f"The plan's first school year begins on {plan.starts_on:%-d %B %Y}."
    if year not in years:
        span = f"{school_year_label(years[0])} to {school_year_label(years[-1])}"
        return plan, years, None, f"The plan has no school year {asked}: its years are {span}."
    return plan, years, annual_report(plan, year), None


@bp.get("/plans/<int:plan_id>/annual-report")
def annual_report_page(plan_id: int):
    plan, years, report, problem = _report(plan_id)
    return render_template("plans/annual.html", district=g.district, plan=plan, years=years, report=report,
                           problem=problem, year_label=school_year_label), 400 if problem else 200


@bp.get("/plans/<int:plan_id>/annual-report.pdf")
def annual_report_pdf(plan_id: int):
    district = g.district
    plan, years, report, problem = _report(plan_id)
    if problem:
        abort(400, problem)
    html = render_template("plans/annual_pdf.html", district=district, plan=plan, report=report)
    return Response(report_pdf(html), content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{district.slug}-annual-report-{report.label}.pdf"',
        "Cache-Control": "private, no-store",
    })
