"""Rows for visits, observations, assignments and leads (pages)."""
ROUTES = []
