"""Rows the school page, the lists by team and cluster and the honest rollups need: district-staff visits,
co-observers, actions naming schools (clusters and school leaders: tests/factories_school_people.py)."""
from app.districts.models import School
from app.fieldwork.models import Visit, VisitObserver
from app.plans.models import Action, ActionSchool
from tenants.roles import Team
from tests.factories import visit
from tests.factories_plans import added as added_row


def district_visit(district, author, school=None, **fields) -> Visit:
    """A visit logged by the district's own staff (a supervisor, a leader)."""
    return visit(district, author, school, team=Team.DISTRICT, **fields)


def co_observers(visit_row: Visit, *people) -> Visit:
    for person in people:
        added_row(VisitObserver(district_id=visit_row.district_id, visit_id=visit_row.id, user_id=person.id))
    return visit_row


def names_schools(action: Action, *schools: School) -> Action:
    for school in schools:
        added_row(ActionSchool(district_id=action.district_id, action_id=action.id, school_id=school.id))
    return action
