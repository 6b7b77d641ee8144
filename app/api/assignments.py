"""Support assignments of the districts you may read."""
from app.api.base import district_list_blueprint
from app.api.queries import assignment_page
from app.api.schemas import AssignmentOut

bp = district_list_blueprint(
    "assignments", __name__, description="Supports assigned to districts and schools.",
    schema=AssignmentOut, rows=assignment_page,
    summary="List the support assignments you may read, latest start first.",
)
