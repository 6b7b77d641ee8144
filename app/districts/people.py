"""A district's school people: its schools' leaders (principals, assistant principals) and the clusters its
schools are grouped in, with their supervisors.

Nothing here commits: the view, the import or /admin that calls it owns the transaction. A refusal is
`InvalidInput` with messages under the form's field names, raised before anything is written.
"""
from dataclasses import dataclass

from marshmallow import ValidationError, validates_schema
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.emails import EmailAddress
from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.auth.services import person_with_email
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.extensions import db
from app.fields import BoundedList, Choice, Id, PlainSchema, Text
from app.forms import InvalidInput
from tenants.access import district_people_ids, may_lead_school, may_supervise_cluster
from tenants.models import District
from tenants.roles import DISTRICT_PEOPLE_ROLES, DISTRICT_STAFF_ROLES, Role

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
        if data.get("person_id") is not None and (data.get("name") or data.get("email")):
            raise ValidationError("Choose a person of the district, or give a new person's name and email: not both.",
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


def leader_problem(district: District, school: School, person: User | None, position: Position) -> dict | None:
    """What stops `person` leading `school` as `position`, as messages per field; None if nothing does."""
    if person is not None and not may_lead_school(person, district.id):
        # Which district is not said: it may be one the person asking cannot see.
        message = (f"{person.name} is one of another district's people: a school leader of {district.name} is one "
                   f"of its own people.")
        return {"person_id": [message]}
    current = school.leaders
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
        # One person per address: an address the platform knows is someone's already.
        person = person_with_email(details["email"])
    problem = leader_problem(district, school, person, position)
    if problem:
        if details.get("person_id") is None and "person_id" in problem:
            problem = {"email": problem["person_id"]}  # said beside what was typed
        raise InvalidInput(problem)
    if details.get("person_id") is None and person is not None:
        # No new person is made of a known address, nor is its owner made a leader from a name typed for another.
        where = ("choose them in the list of the district's people" if person in people_of(district.id)
                 else "a school leader is one of the district's people: ask a platform admin")
        raise InvalidInput({"email": [f"{details['email']} is already {person.name}'s: {where}."]})
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
