"""Schools of the districts you may read."""
from app.api.base import ApiBlueprint, check_district_filter
from app.api.queries import school_page
from app.api.schemas import DistrictFilter, SchoolOut

bp = ApiBlueprint("schools", __name__, description="Schools of the districts you work with.")


@bp.get("")
@bp.arguments(DistrictFilter, location="query")
@bp.response(200, SchoolOut(many=True))
@bp.paginate()
def schools(filters, pagination_parameters):
    """List the schools you may read, by name."""
    check_district_filter(filters)
    return school_page(filters, pagination_parameters)
