"""A district's school people: its schools' leaders (principals, assistant principals), the clusters its schools
are grouped in with their supervisors, a principal's coaching log and a supervisor's cluster at a glance.

Nothing here commits: the view, the import or /admin that calls it owns the transaction. A refusal is
`InvalidInput` with messages under the form's field names, raised before anything is written.
"""
from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from marshmallow import ValidationError, validates_schema
from sqlalchemy import and_, func, select, tuple_
from sqlalchemy.orm import joinedload, lazyload

from app.accounts.emails import EmailAddress
from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.auth.services import person_with_email
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.extensions import db
from app.fields import BoundedList, Choice, Id, PlainSchema, Text
from app.fieldwork.models import Visit
from app.forms import InvalidInput
from tenants.access import district_people_ids, may_lead_school, may_read_coaching_log, may_supervise_cluster
from tenants.models import District
from tenants.roles import DISTRICT_PEOPLE_ROLES, DISTRICT_STAFF_ROLES, Role
from tenants.scope import current_scope

NAME_MAX_LENGTH = 120
# A district's largest cluster (a level of a big city's schools) is well under this.
MAX_CLUSTER_SCHOOLS = 500


# --- school leaders ---------------------------------------------------------------------------------------

class SchoolLeaderSchema(PlainSchema):
    """A leader for a school: one of the district's people (`person_id`), or a new person by name and email."""

    position = Choice([p.value for p in Position], required=True, label="Position")
    person_id = Id(load_default=None, allow_none=True, label="Person")
    name = Text(load_default=None, allow_none=True, max_length=200, label="Name")
    email = EmailAddress(load_default=None, allow_none=True, metadata={"label": "Email"})

    @validates_schema
    def one_person(self, data, **kwargs):
        if data.get("person_id") is None and not (data.get("name") or data.get("email")):
            raise ValidationError("Choose a person of the district, or give a new person's name and email.",
                                  "person_id")
        if data.get("person_id") is None:
            missing = {}
            if not data.get("name"):
                missing["name"] = ["Give the new person's name."]
            if not data.get("email"):
                missing["email"] = ["Give the new person's email address: their invitation goes there."]
            if missing:
                raise ValidationError(missing)


def people_of(district_id: int) -> list[User]:
    """The district's own people (its leaders, supervisors and viewers), by name: those a form offers."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.district_id == district_id,
                                            RoleGrant.role.in_(list(DISTRICT_PEOPLE_ROLES)))))
        .order_by(User.name, User.id)))


def leaders_of(school: School) -> list[SchoolLeader]:
    return list(db.session.scalars(
        select(SchoolLeader).where(SchoolLeader.district_id == school.district_id, SchoolLeader.school_id == school.id)
        .order_by(SchoolLeader.position.desc(), SchoolLeader.id)))


def leader_problem(district: District, school: School, person: User | None, position: Position) -> dict | None:
    """What stops `person` leading `school` as `position`, as messages per field; None if nothing does."""
    if person is not None and not may_lead_school(person, district.id):
        # Which district is not said: it may be one the person asking cannot see.
        message = (f"{person.name} is one of another district's people: a school leader of {district.name} is one "
                   f"of its own people.")
        return {"person_id": [message]}
    current = leaders_of(school)
    if person is not None and any(leader.user_id == person.id for leader in current):
        return {"person_id": [f"{person.name} already leads {school.name}."]}
    principal = next((leader for leader in current if leader.position == Position.PRINCIPAL), None)
    if position == Position.PRINCIPAL and principal is not None:
        message = (f"{school.name} already has principal {principal.person.name}: remove them first, or add this "
                   f"person as an assistant principal.")
        return {"position": [message]}
    return None


def add_school_leader(district: District, school: School, details: dict) -> tuple[SchoolLeader, User]:
    """Make a person (chosen, or new by name and email) a leader of `school`; they read the district as a viewer."""
    position = Position(details["position"])
    if details.get("person_id") is not None:
        person = db.session.get(User, details["person_id"])
        if person is None or person not in people_of(district.id):
            raise InvalidInput({"person_id": ["Choose one of the district's people from the list."]})
    else:
        # One person per address: an address the platform knows is that person, not a new one.
        person = person_with_email(details["email"])
    problem = leader_problem(district, school, person, position)
    if problem:
        if details.get("person_id") is None and "person_id" in problem:
            problem = {"email": problem["person_id"]}  # said beside what was typed
        raise InvalidInput(problem)
    if person is None:
        # No password: the person sets one through their invitation.
        person = User(email=details["email"], name=details["name"].strip(), password_hash=None)
        db.session.add(person)
    give_leader_grant(person, district.id, position)
    db.session.flush()
    leader = SchoolLeader(district_id=district.id, school_id=school.id, user_id=person.id, position=position)
    db.session.add(leader)
    db.session.flush()
    return leader, person


def give_leader_grant(person: User, district_id: int, position: Position) -> bool:
    """A school leader reads the district as its viewer, unless they are already one of its people."""
    if district_id in district_people_ids(person):
        return False
    return grant_role(person, Role.DISTRICT_VIEWER, district_id=district_id, title=position.label)


def remove_school_leader(leader: SchoolLeader) -> None:
    """The person no longer leads the school; their grant stays (they may still read the district)."""
    db.session.delete(leader)


# --- clusters ---------------------------------------------------------------------------------------------

class ClusterSchema(PlainSchema):
    name = Text(required=True, max_length=NAME_MAX_LENGTH, label="Name")
    supervisor_id = Id(load_default=None, allow_none=True, label="Supervisor")
    school_ids = BoundedList(Id(), "schools", max_length=MAX_CLUSTER_SCHOOLS, load_default=list)


@dataclass
class ClusterRow:
    cluster: SchoolCluster
    schools: list[School]


def clusters_of(district: District) -> list[ClusterRow]:
    """The district's clusters by name, each with its schools by name: two statements."""
    clusters = list(db.session.scalars(
        select(SchoolCluster).where(SchoolCluster.district_id == district.id).order_by(SchoolCluster.name)))
    schools: dict[int, list[School]] = {}
    for school in db.session.scalars(select(School).where(School.district_id == district.id,
                                                          School.cluster_id.is_not(None)).order_by(School.name)):
        schools.setdefault(school.cluster_id, []).append(school)
    return [ClusterRow(cluster, schools.get(cluster.id, [])) for cluster in clusters]


def cluster_names(district_id: int) -> dict[int, str]:
    """Each cluster's name by its id."""
    return dict(db.session.execute(
        select(SchoolCluster.id, SchoolCluster.name).where(SchoolCluster.district_id == district_id)).all())


def supervisor_choices(district_id: int) -> list[User]:
    """Those who may supervise a cluster of the district (`tenants.access.may_supervise_cluster`), by name."""
    return [person for person in db.session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(RoleGrant.user_id).where(RoleGrant.district_id == district_id,
                                            RoleGrant.role.in_(list(DISTRICT_STAFF_ROLES)))))
        .order_by(User.name, User.id)) if may_supervise_cluster(person, district_id)]


def save_cluster(district: District, details: dict, cluster: SchoolCluster | None = None) -> SchoolCluster:
    """Create or change a cluster: its name, supervisor and schools. A school of another cluster is refused
    (moving it is explicit: taken out of that cluster first), as is a supervisor who is not district staff."""
    errors: dict[str, list[str]] = {}
    name = details["name"].strip()
    clash = db.session.scalars(select(SchoolCluster).where(
        SchoolCluster.district_id == district.id, func.lower(SchoolCluster.name) == name.lower())).first()
    if clash is not None and clash is not cluster:
        errors["name"] = [f"{district.name} already has a cluster named {clash.name}."]
    supervisor_id = details.get("supervisor_id")
    if supervisor_id is not None:
        supervisor = db.session.get(User, supervisor_id)
        if supervisor is None or not may_supervise_cluster(supervisor, district.id):
            who = supervisor.name if supervisor is not None else "This person"
            message = (f"{who} is not one of {district.name}'s staff: a cluster's supervisor is a district leader "
                       f"or a school supervisor of the district.")
            errors["supervisor_id"] = [message]
    chosen = set(details.get("school_ids") or [])
    schools = list(db.session.scalars(select(School).where(School.district_id == district.id)))
    known = {school.id: school for school in schools}
    if chosen - known.keys():
        errors["school_ids"] = ["Choose schools of the district from the list."]
    taken = [known[i] for i in sorted(chosen & known.keys())
             if known[i].cluster_id is not None and (cluster is None or known[i].cluster_id != cluster.id)]
    if taken:
        errors.setdefault("school_ids", []).extend(
            f"{school.name} is in {school.cluster.name}: remove it from {school.cluster.name} first." for school in taken)
    if errors:
        raise InvalidInput(errors)
    cluster = cluster or SchoolCluster(district_id=district.id)
    cluster.name, cluster.supervisor_id = name, supervisor_id
    db.session.add(cluster)
    db.session.flush()
    for school in schools:
        if school.id in chosen:
            school.cluster_id = cluster.id
        elif school.cluster_id == cluster.id:
            school.cluster_id = None
    db.session.flush()
    return cluster


def delete_cluster(cluster: SchoolCluster) -> None:
    """Its schools are then in no cluster."""
    for school in db.session.scalars(select(School).where(School.district_id == cluster.district_id,
                                                          School.cluster_id == cluster.id)):
        school.cluster_id = None
    db.session.flush()
    db.session.delete(cluster)


# --- a principal's page -----------------------------------------------------------------------------------

@dataclass
class PrincipalPage:
    person: User
    leads: list[SchoolLeader]  # the schools they lead, with their position
    supervisors: list[User]
    visits: list[Visit]  # their coaching log, newest first


def led_schools(district_id: int, user_id: int) -> list[SchoolLeader]:
    """The schools `user_id` leads in the district (each with its cluster); [] for one who leads none."""
    return list(db.session.scalars(
        select(SchoolLeader).where(SchoolLeader.district_id == district_id, SchoolLeader.user_id == user_id)
        .order_by(SchoolLeader.position.desc(), SchoolLeader.id)
        .options(joinedload(SchoolLeader.school).joinedload(School.cluster))))


def supervisors_of(leads: list[SchoolLeader]) -> list[User]:
    """The supervisors of the clusters of these schools, once each."""
    found = {lead.school.cluster.supervisor.id: lead.school.cluster.supervisor for lead in leads
             if lead.school.cluster is not None and lead.school.cluster.supervisor is not None}
    return sorted(found.values(), key=lambda person: person.name)


def may_read_coaching_log_of(district_id: int, user_id: int) -> bool:
    """Whether the current person may open this school leader's page (`tenants.access.may_read_coaching_log`);
    False for one who leads no school of the district."""
    leads = led_schools(district_id, user_id)
    supervisors = [person.id for person in supervisors_of(leads)]
    return bool(leads) and may_read_coaching_log(current_user, current_scope(), district_id, user_id, supervisors)


def coaching_log(district_id: int, user_id: int) -> list[Visit]:
    """The visits that coached this principal, newest first."""
    return list(db.session.scalars(
        select(Visit).where(Visit.district_id == district_id, Visit.principal_id == user_id)
        .order_by(Visit.visited_on.desc(), Visit.id.desc())
        .options(lazyload(Visit.observations), lazyload(Visit.supports), lazyload(Visit.observers))))


# --- a supervisor's cluster on the home page --------------------------------------------------------------

@dataclass
class ClusterSchool:
    school: School
    last_visit: date | None
    days_since: int | None
    leaders: list[SchoolLeader]


@dataclass
class SupervisedClusters:
    clusters: list[SchoolCluster]
    schools: list[ClusterSchool]
    follow_ups: list[Visit]


def supervised_clusters(user: User, today: date) -> SupervisedClusters | None:
    """The clusters this person supervises in their districts, their schools with the days since anyone's last
    visit, their open follow-ups (soonest first) and principals; None for one who supervises none.

    Four statements, whatever the number of schools, visits and leaders."""
    clusters = list(db.session.scalars(
        select(SchoolCluster).where(SchoolCluster.supervisor_id == user.id).order_by(SchoolCluster.name)))
    if not clusters:
        return None
    supervised = select(SchoolCluster.district_id, SchoolCluster.id).where(SchoolCluster.supervisor_id == user.id)
    in_clusters = tuple_(School.district_id, School.cluster_id).in_(supervised)
    last = (select(Visit.district_id, Visit.school_id, func.max(Visit.visited_on).label("last_visit"))
            .where(Visit.school_id.is_not(None)).group_by(Visit.district_id, Visit.school_id).subquery())
    rows = db.session.execute(
        select(School, last.c.last_visit)
        .outerjoin(last, and_(last.c.district_id == School.district_id, last.c.school_id == School.id))
        .where(in_clusters).order_by(School.name, School.id)).all()
    schools_supervised = select(School.district_id, School.id).where(in_clusters)
    leaders: dict[tuple[int, int], list[SchoolLeader]] = {}
    for leader in db.session.scalars(
            select(SchoolLeader).where(tuple_(SchoolLeader.district_id, SchoolLeader.school_id).in_(schools_supervised))
            .order_by(SchoolLeader.position.desc(), SchoolLeader.id)):
        leaders.setdefault((leader.district_id, leader.school_id), []).append(leader)
    follow_ups = list(db.session.scalars(
        select(Visit).where(tuple_(Visit.district_id, Visit.school_id).in_(schools_supervised),
                            Visit.follow_up_on.is_not(None), Visit.follow_up_done.is_(False))
        .order_by(Visit.follow_up_on, Visit.id)
        .options(lazyload(Visit.observations), lazyload(Visit.supports), lazyload(Visit.observers))))
    schools = [ClusterSchool(school, last_visit, (today - last_visit).days if last_visit else None,
                             leaders.get((school.district_id, school.id), []))
               for school, last_visit in rows]
    return SupervisedClusters(clusters, schools, follow_ups)
