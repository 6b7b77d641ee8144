"""Rows the school page, the lists by team and cluster and the honest rollups need: clusters, school leaders,
district-staff visits, co-observers, actions naming schools (made here until the screens that set them land)."""
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.extensions import db
from app.fieldwork.models import Visit, VisitObserver
from app.plans.models import Action, ActionSchool
from tenants.roles import Team
from tests.factories import visit
from tests.factories_plans import added as added_row


def cluster(district, name: str, supervisor=None, schools=()) -> SchoolCluster:
    row = added_row(SchoolCluster(district_id=district.id, name=name,
                                  supervisor_id=supervisor.id if supervisor else None))
    for school in schools:
        school.cluster_id = row.id
    db.session.flush()
    return row


def leads_school(school: School, person, position: Position = Position.PRINCIPAL) -> SchoolLeader:
    return added_row(SchoolLeader(district_id=school.district_id, school_id=school.id, user_id=person.id,
                                  position=position))


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
