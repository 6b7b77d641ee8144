"""The test world's school people: principals and assistant principals, school clusters with supervisors."""
from app.districts.models import Position, SchoolCluster, SchoolLeader
from app.extensions import db
from tenants.roles import Role


def cluster_for(district, name: str, supervisor=None, schools=()) -> SchoolCluster:
    cluster = SchoolCluster(district_id=district.id, name=name, supervisor_id=supervisor.id if supervisor else None)
    db.session.add(cluster)
    db.session.flush()
    for school in schools:
        school.cluster_id = cluster.id
    db.session.flush()
    return cluster


def leader_for(school, person, position: Position = Position.PRINCIPAL) -> SchoolLeader:
    row = SchoolLeader(district_id=school.district_id, school_id=school.id, user_id=person.id, position=position)
    db.session.add(row)
    db.session.flush()
    return row


def add_school_people(world) -> None:
    """A cluster in each district (the home one supervised by `world.supervisor`, with `home_school`) and a
    principal for each district's school, a viewer of their district titled Principal."""
    from tests.factories import UserFactory, grant

    for target, district, school, supervisor, name in (
            ("own", world.home, world.home_school, world.supervisor, "Pat Principal"),
            ("foreign", world.foreign, world.foreign_school, world.foreign_leader, "Fran Farprincipal")):
        cluster = cluster_for(district, "North Quadrant", supervisor, [school])
        principal = UserFactory(name=name)
        grant(principal, Role.DISTRICT_VIEWER, district=district, title="Principal")
        leader = leader_for(school, principal)
        world.feature_ids.setdefault(target, {}).update(
            {"cluster": cluster.id, "principal": principal.id, "school_leader": leader.id})
