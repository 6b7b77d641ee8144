"""Rows for the lists as the school page and the dashboard link them: by school, by team (the school page itself
is in matrix_districts). Every role that reads a district reads them; another district's answers 404; a list
filtered by another district's school or cluster answers 400 ("Choose a school of ...")."""
from tests.matrix import TenantRoute

ROUTES: list = [
    TenantRoute("lists.visits", "GET", "/districts/{slug}/visits?team=district"),
    TenantRoute("lists.visits", "GET", "/districts/{slug}/visits?school={school}&cluster={cluster}"),
    TenantRoute("lists.observations", "GET", "/districts/{slug}/observations?team=support_team"),
    TenantRoute("lists.follow_ups", "GET", "/districts/{slug}/follow-ups?team=district&format=csv"),
]
