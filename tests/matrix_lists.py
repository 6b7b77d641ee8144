"""Rows for the visit, observation, assignment and follow-up lists, exports and trends."""
ROUTES = []
