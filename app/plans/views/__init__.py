"""Pages of a district's improvement plan, one module per resource, all on the one `plans` district blueprint.

Importing a module registers its routes on `bp` (defined in `pages`), so the
blueprint handed to the app is complete once this package is imported.
"""
from app.plans.views import actions, annual, dashboard, goals, plan, providers, reports  # noqa: F401 (their routes)
from app.plans.views.pages import bp

__all__ = ["bp"]
