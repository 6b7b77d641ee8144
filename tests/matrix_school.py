"""Rows for school pages, and the lists, exports and dashboard as the school page links them: by school, by team.

Every role that reads a district reads them; another district's answers 404; a list filtered by another district's
school or cluster answers 400 ("Choose a school of ...")."""
from tests.matrix import TenantRoute

ROUTES: list = [
    TenantRoute("lists.visits", "GET", "/districts/{slug}/visits?school={school}&team=district"),
    TenantRoute("lists.observations", "GET", "/districts/{slug}/observations?school={school}&team=support_team"),
    TenantRoute("lists.follow_ups", "GET", "/districts/{slug}/follow-ups?school={school}"),
    TenantRoute("lists.follow_ups", "GET", "/districts/{slug}/follow-ups?team=district&format=csv"),
]
