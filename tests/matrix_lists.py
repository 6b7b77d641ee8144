"""Rows for the visit, observation, assignment and follow-up lists, exports and trends."""
from tests.matrix import TenantRoute

LISTS = {
    "lists.visits": "/districts/{slug}/visits",
    "lists.observations": "/districts/{slug}/observations",
    "lists.assignments": "/districts/{slug}/assignments",
    "lists.follow_ups": "/districts/{slug}/follow-ups",
}

ROUTES = [
    *(TenantRoute(endpoint, "GET", path) for endpoint, path in LISTS.items()),
    # Exports are the same endpoints; XLSX (zipped, not text) is checked in tests/test_lists.py.
    *(TenantRoute(endpoint, "GET", f"{path}?format=csv") for endpoint, path in LISTS.items()),
    TenantRoute("lists.trends", "GET", "/districts/{slug}/trends"),
    TenantRoute("lists.trends", "GET", "/districts/{slug}/trends?school={school}"),
]
