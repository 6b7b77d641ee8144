"""Classroom observations: list, record inside a visit, read, change."""
from flask.views import MethodView

from app.api.base import ApiBlueprint, check_district_filter
from app.api.queries import observation_page
from app.api.schemas import NewObservation, ObservationChanges, ObservationFilters
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from app.fieldwork.schemas import ObservationSchema
from app.fieldwork.services import record_observation, update_observation
from tenants.lookup import get_or_404, require_team

bp = ApiBlueprint("observations", __name__, description="Classroom observations, rated against a rubric.")


@bp.route("")
class Observations(MethodView):
    @bp.arguments(ObservationFilters, location="query")
    @bp.response(200, ObservationSchema(many=True))
    @bp.paginate()
    def get(self, filters, pagination_parameters):
        """List the observations you may read, newest first."""
        check_district_filter(filters)
        return observation_page(filters, pagination_parameters)

    @bp.arguments(NewObservation)
    @bp.response(201, ObservationSchema)
    def post(self, data):
        """Record a rated observation inside a visit."""
        visit = get_or_404(Visit, id=data.pop("visit_id"))
        require_team(visit.district_id, visit.team)
        observation = record_observation(visit, data)
        db.session.commit()
        return observation


@bp.route("/<int:observation_id>")
class ObservationById(MethodView):
    @bp.response(200, ObservationSchema)
    def get(self, observation_id):
        """Read one observation."""
        return get_or_404(Observation, id=observation_id)

    @bp.arguments(ObservationChanges(partial=True))
    @bp.response(200, ObservationSchema)
    def patch(self, changes, observation_id):
        """Change an observation's grade, subject, minutes or feedback."""
        observation = get_or_404(Observation, id=observation_id)
        require_team(observation.district_id, observation.visit.team)
        observation = update_observation(observation, changes)
        db.session.commit()
        return observation
