"""An evaluator's overview of their principals' cycles, and the summative evaluation as the district files it."""
from app.evaluations.views import bp  # noqa: F401  (this module's pages are on the evaluations blueprint)
