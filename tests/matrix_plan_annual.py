"""Rows for a plan's annual report: every reader of the district reads it, page and PDF."""
from tests.matrix import TenantRoute

P = "/districts/{slug}/plans/{plan}"

ROUTES = [
    TenantRoute("plans.annual_report_page", "GET", P + "/annual-report"),
    TenantRoute("plans.annual_report_pdf", "GET", P + "/annual-report.pdf"),
]
