"""Status reports: the list (and making one now), a report's page, and its PDF and CSV downloads."""
from flask import Response, g, render_template, request, url_for
from flask_login import current_user

from app.exports import export_response
from app.extensions import db
from app.lists import Column
from app.plans import services
from app.plans.models import StatusReport
from app.plans.pdf import report_pdf
from app.plans.reports import (
    HEALTH_LABELS,
    announce_report,
    changes_since,
    csv_rows,
    freeze_status_report,
    previous_report,
    reports_of,
)
from app.plans.views.pages import bp, saved_and_back
from tenants.lookup import can_write, get_or_404, require_write

REPORT_COLUMNS = [Column(header, lambda row, i=i: row[i])
                  for i, header in enumerate(("Section", "Item", "Status", "Date", "Figure"))]


@bp.route("/reports", methods=["GET", "POST"])
def reports():
    district = g.district
    plan = services.current_plan(district)
    problem = None
    if request.method == "POST":
        require_write(district.id)
        if plan is not None:
            report = freeze_status_report(plan, current_user)
            db.session.commit()  # before the announcement: the mail job reads the report (saved_and_back is too late)
            announce_report(report)
            return saved_and_back("Status report made.", url_for("plans.report", report_id=report.id))
        # Said on the reports page itself: the button shows only with a plan (a stale page, or a script).
        problem = "Start a plan before reporting on it."
    return render_template("plans/reports.html", district=district, plan=plan, reports=reports_of(district.id),
                           can_edit=can_write(district.id), problem=problem), 409 if problem else 200


def _report(report_id: int) -> tuple[StatusReport, list[str]]:
    """The district's report and what changed since the one before it."""
    report = get_or_404(StatusReport, district_id=g.district.id, id=report_id)
    previous = previous_report(report)
    return report, changes_since(previous.snapshot if previous else None, report.snapshot)


@bp.get("/reports/<int:report_id>")
def report(report_id: int):
    report, changes = _report(report_id)
    return render_template("plans/report.html", district=g.district, report=report, snapshot=report.snapshot,
                           changes=changes, labels=HEALTH_LABELS)


@bp.get("/reports/<int:report_id>.pdf")
def report_as_pdf(report_id: int):
    district = g.district
    report, changes = _report(report_id)
    html = render_template("plans/report_pdf.html", district=district, report=report, snapshot=report.snapshot,
                           changes=changes, labels=HEALTH_LABELS)
    return Response(report_pdf(html), content_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{district.slug}-status-report-{report.id}.pdf"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/reports/<int:report_id>.csv")
def report_as_csv(report_id: int):
    district = g.district
    report = get_or_404(StatusReport, district_id=district.id, id=report_id)
    return export_response(csv_rows(report.snapshot), REPORT_COLUMNS, "csv",
                           f"{district.slug}-status-report-{report.id}")
