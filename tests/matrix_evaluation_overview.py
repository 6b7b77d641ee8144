"""Rows for the evaluator's overview and the summative PDF (app/evaluations/overview.py); the privacy axis
(`tests/test_isolation.py::test_privacy_axis`) runs them for the principal, the superintendent and another
supervisor of the district too."""
from tests.matrix import PERSONNEL_CIRCLE, PRIVACY_PEOPLE, TenantRoute

# The district's own people open the overview, each seeing the cycles of their circle only (perhaps none); its
# support team and platform admins see no evaluation, so no page of them (403).
DISTRICT_PEOPLE = frozenset({"district_leader", "school_supervisor", "district_viewer", *PRIVACY_PEOPLE})

ROUTES = [
    TenantRoute("evaluations.overview", "GET", "/districts/{slug}/evaluations", allowed=DISTRICT_PEOPLE),
    # The world's cycle has no summative issued: its circle is told so (404, as everyone else is by the filter).
    # tests/test_evaluation_overview.py downloads an issued one, behind both walls and row security alone.
    TenantRoute("evaluations.summative_pdf", "GET", "/districts/{slug}/evaluations/{cycle}/summative.pdf",
                allowed=PERSONNEL_CIRCLE, private=True, ok=404),
]
