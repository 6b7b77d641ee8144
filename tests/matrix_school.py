"""Rows for the lists as the school page and the dashboard link them: by team (the school page itself is in
matrix_districts). Every role that reads a district reads them; another district's answers 404. A list filtered
by a school or cluster id that is not the district's finds no rows (tests/test_lists_by_team.py)."""
from tests.matrix import TenantRoute

ROUTES: list = [
    TenantRoute("lists.visits", "GET", "/districts/{slug}/visits?team=district"),
    TenantRoute("lists.observations", "GET", "/districts/{slug}/observations?team=support_team"),
    TenantRoute("lists.follow_ups", "GET", "/districts/{slug}/follow-ups?team=district&format=csv"),
]
