"""Support assignments of the districts you may read."""
from app.api.base import ApiBlueprint, check_district_filter
from app.api.queries import assignment_page
from app.api.schemas import AssignmentOut, DistrictFilter

bp = ApiBlueprint("assignments", __name__, description="Supports assigned to districts and schools.")


@bp.get("")
@bp.arguments(DistrictFilter, location="query")
@bp.response(200, AssignmentOut(many=True))
@bp.paginate()
def assignments(filters, pagination_parameters):
    """List the support assignments you may read, latest start first."""
    check_district_filter(filters)
    return assignment_page(filters, pagination_parameters)
