"""Visits: list, record (once per client UUID), read, change."""
from flask.views import MethodView
from flask_login import current_user

from app.api.base import ApiBlueprint, check_district_filter
from app.api.queries import visit_page
from app.api.schemas import NewVisit, VisitChanges, VisitFilters, VisitOut
from app.extensions import db
from app.fieldwork.models import Visit
from app.fieldwork.services import record_visit, update_visit
from tenants.database import commit_keeping_loaded
from tenants.lookup import get_or_404, require_field_team, require_team
from tenants.models import District

bp = ApiBlueprint("visits", __name__, description="School visits, with their classroom observations.")


@bp.route("")
class Visits(MethodView):
    @bp.arguments(VisitFilters, location="query")
    @bp.response(200, VisitOut(many=True))
    @bp.paginate()
    def get(self, filters, pagination_parameters):
        """List the visits you may read, newest first."""
        check_district_filter(filters)
        return visit_page(filters, pagination_parameters)

    @bp.arguments(NewVisit)
    @bp.response(201, VisitOut)
    @bp.alt_response(200, schema=VisitOut, description="A visit with this client_uuid was already stored: "
                                                       "this is it, unchanged, and nothing new was stored.")
    def post(self, data):
        """Record a visit, with its supports and observations, once per client_uuid."""
        district = get_or_404(District, id=data.pop("district_id"))
        require_field_team(district.id)
        visit, new = record_visit(district, current_user, data)
        # The answer is the visit as just written or found: the commit need not expire it to read it all back.
        commit_keeping_loaded()
        return visit, 201 if new else 200


@bp.route("/<int:visit_id>")
class VisitById(MethodView):
    @bp.response(200, VisitOut)
    def get(self, visit_id):
        """Read one visit."""
        return get_or_404(Visit, id=visit_id)

    @bp.arguments(VisitChanges(partial=True))
    @bp.response(200, VisitOut)
    def patch(self, changes, visit_id):
        """Change a visit's details; fields not sent stay as they are."""
        visit = get_or_404(Visit, id=visit_id)
        require_team(visit.district_id, visit.team)
        visit = update_visit(visit, changes)
        db.session.commit()
        return visit
