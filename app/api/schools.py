"""Schools of the districts you may read."""
from app.api.base import district_list_blueprint
from app.api.queries import school_page
from app.api.schemas import SchoolOut

bp = district_list_blueprint(
    "schools", __name__, description="Schools of the districts you work with.",
    schema=SchoolOut, rows=school_page, summary="List the schools you may read, by name.",
)
