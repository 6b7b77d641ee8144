"""Rows for the JSON API under /api/v1."""
ROUTES = []
