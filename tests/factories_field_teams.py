"""The test world's field work by the district's own staff: visits a school supervisor logged, joint visits."""
from datetime import date

from app.extensions import db
from app.fieldwork.models import VisitObserver
from tenants.roles import Team
from tests import factories

# The internal notes of a district-authored visit: for the district's leaders and supervisors only.
DISTRICT_INTERNAL = "Internal: district staff worry about the schedule"
FOREIGN_DISTRICT_INTERNAL = "Internal: foreign district staff worry about staffing"


def co_observe(visit, *people) -> None:
    """Name `people` co-observers of `visit` (a joint visit)."""
    db.session.add_all(VisitObserver(district_id=visit.district_id, visit_id=visit.id, user_id=person.id)
                       for person in people)
    db.session.flush()


def add_district_field_work(world) -> None:
    """Add to `world` a visit its school supervisor logged at the district office (the district's own work, with
    internal notes of its own), with one classroom observation; and the same in the foreign district, by its
    leader. Informal and dated before the support team's visit and September's end, so that the lists' tests of date
    and kind filters keep their rows."""
    world.district_visit = factories.visit(
        world.home, world.supervisor, None, team=Team.DISTRICT, visited_on=date(2026, 9, 28), minutes=60,
        kind="informal", purpose="Instructional rounds", internal_notes=DISTRICT_INTERNAL)
    world.district_observation = factories.observation(world.district_visit, ratings=(), grade="2", subject="Reading")
    world.foreign_district_visit = factories.visit(
        world.foreign, world.foreign_leader, None, team=Team.DISTRICT, visited_on=date(2026, 9, 28), minutes=60,
        kind="informal", purpose="Instructional rounds", internal_notes=FOREIGN_DISTRICT_INTERNAL)
    world.foreign_district_observation = factories.observation(world.foreign_district_visit, ratings=(), grade="2",
                                                               subject="Reading")
    for target, visit, observation in (("own", world.district_visit, world.district_observation),
                                       ("foreign", world.foreign_district_visit, world.foreign_district_observation)):
        world.feature_ids.setdefault(target, {}).update(district_visit=visit.id, district_observation=observation.id)
