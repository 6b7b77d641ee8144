"""factory_boy factories bound to the app's session, and a small two-district world."""
import uuid
from dataclasses import dataclass, field
from datetime import date

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.accounts.models import RoleGrant, User
from app.auth.passwords import hash_password
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, Rating, Rubric, SupportAssignment, SupportType, Visit, VisitSupport
from config import TestingConfig
from tenants.models import AccountabilityStatus, District, Lifecycle, Region
from tenants.roles import Role

PASSWORD = "correct horse battery staple"
# Made before any app exists, so with the tests' cheap cost named here: signing in then checks it cheaply.
PASSWORD_HASH = hash_password(PASSWORD, cost=TestingConfig.PASSWORD_HASH_COST)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session
        sqlalchemy_session_persistence = "flush"


class RegionFactory(Base):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(Base):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")
    region = factory.SubFactory(RegionFactory)
    lifecycle = Lifecycle.ACTIVE
    accountability_status = AccountabilityStatus.FOCUSED_TARGETED
    enrollment = 4200


class SchoolFactory(Base):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    district_id = factory.SelfAttribute("district.id")
    name = factory.Sequence(lambda n: f"School {n}")
    code = factory.Sequence(lambda n: f"{n:08d}")
    grade_span = "K-5"
    enrollment = 400
    accountability_category = AccountabilityStatus.MEETING_TARGETS


class UserFactory(Base):
    class Meta:
        model = User

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password_hash = PASSWORD_HASH
    active = True


def default_rubric() -> Rubric:
    """The walkthrough rubric every installation ships (migration 0002)."""
    return db.session.scalars(
        db.select(Rubric).where(Rubric.name == "Classroom walkthrough").order_by(Rubric.version)
    ).first()


def support_type(name: str = "Direct coaching") -> SupportType:
    return db.session.scalars(db.select(SupportType).where(SupportType.name == name)).one()


def assignment(district: District, lead: User, school: School | None = None, **fields) -> SupportAssignment:
    row = SupportAssignment(
        district_id=district.id, school_id=school.id if school else None, lead_id=lead.id,
        support_type_id=fields.pop("support_type_id", None) or support_type().id,
        starts_on=fields.pop("starts_on", date(2026, 9, 1)), planned_hours=fields.pop("planned_hours", 40), **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row


def visit(district: District, lead: User, school: School | None = None, supports=(), **fields) -> Visit:
    row = Visit(
        district_id=district.id, school_id=school.id if school else None, lead_id=lead.id,
        client_uuid=str(uuid.uuid4()), visited_on=fields.pop("visited_on", date(2026, 10, 5)),
        minutes=fields.pop("minutes", 90), kind=fields.pop("kind", "formal"),
        purpose=fields.pop("purpose", "Principal coaching"), **fields,
    )
    db.session.add(row)
    db.session.flush()
    for support in supports:
        db.session.add(VisitSupport(district_id=district.id, visit_id=row.id, support_assignment_id=support.id))
    db.session.flush()
    return row


def observation(visit_row: Visit, ratings=(3, 2), rubric: Rubric | None = None, **fields) -> Observation:
    rubric = rubric or default_rubric()
    row = Observation(
        district_id=visit_row.district_id, visit_id=visit_row.id, rubric_id=rubric.id,
        grade=fields.pop("grade", "4"), subject=fields.pop("subject", "Mathematics"),
        minutes=fields.pop("minutes", 20), **fields,
    )
    db.session.add(row)
    db.session.flush()
    for look_for, value in zip(rubric.look_fors, ratings):
        db.session.add(Rating(district_id=row.district_id, observation_id=row.id, look_for_id=look_for.id,
                              rating=value, evidence=f"Seen: {look_for.title.lower()}"))
    db.session.flush()
    return row


def grant(user: User, role: Role, *, district: District | None = None, region: Region | None = None, title=None):
    user.grants.append(RoleGrant(role=role, district=district, region=region, title=title))
    db.session.flush()
    return user


def person(role: Role, *, district: District | None = None, region: Region | None = None, name: str | None = None):
    user = UserFactory(**({"name": name} if name else {}))
    return grant(user, role, district=district, region=region)


@dataclass
class World:
    home_region: Region
    foreign_region: Region
    home: District
    foreign: District
    home_school: School
    foreign_school: School
    admin: User
    director: User
    lead: User
    leader: User
    supervisor: User
    viewer: User
    foreign_leader: User
    foreign_lead: User
    home_assignment: SupportAssignment
    foreign_assignment: SupportAssignment
    home_visit: Visit
    foreign_visit: Visit
    home_observation: Observation
    foreign_observation: Observation
    # Ids that features' matrix rows use, per target ("own", "foreign"): {"plan": 3, ...}.
    feature_ids: dict = field(default_factory=dict)
    _privacy_people: dict = field(default_factory=dict)

    HOME_INTERNAL = "Internal: home principal is leaving in June"
    HOME_SHARED = "Shared: strong start on the math block"
    FOREIGN_INTERNAL = "Internal: foreign budget trouble"
    FOREIGN_SHARED = "Shared: foreign coaching cycle planned"

    def ids(self, target: str) -> dict:
        """The placeholders of a matrix path, for the own ("own") or the foreign district."""
        own = target == "own"
        district = self.home if own else self.foreign
        return {
            "slug": district.slug,
            "district": district.id,
            "school": (self.home_school if own else self.foreign_school).id,
            "visit": (self.home_visit if own else self.foreign_visit).id,
            "observation": (self.home_observation if own else self.foreign_observation).id,
            "assignment": (self.home_assignment if own else self.foreign_assignment).id,
            "lead": (self.lead if own else self.foreign_lead).id,
            "support_type": support_type().id,
            "rubric": default_rubric().id,
            **self.feature_ids.get(target, {}),
        }

    @property
    def privacy_people(self) -> dict[str, User]:
        """The privacy axis's people beside the roles: {"principal", "superintendent", "other_supervisor"}
        (tests/factories_evaluations.py). Made at first use, so that a world that does not need them keeps
        one district leader and one supervisor per district (what mail and list tests count)."""
        return self.make_privacy_people()

    def make_privacy_people(self) -> dict[str, User]:
        """`privacy_people`, made now if they are not yet."""
        if not self._privacy_people:
            from tests.factories_evaluations import add_privacy_people
            self._privacy_people.update(add_privacy_people(self))
        return self._privacy_people

    def people(self) -> dict[str, User]:
        return {
            "platform_admin": self.admin,
            "regional_director": self.director,
            "assistance_lead": self.lead,
            "district_leader": self.leader,
            "school_supervisor": self.supervisor,
            "district_viewer": self.viewer,
        }


def make_world() -> World:
    home_region = RegionFactory(name="Home Region")
    foreign_region = RegionFactory(name="Foreign Region")
    home = DistrictFactory(name="Homeville", slug="homeville", region=home_region)
    foreign = DistrictFactory(name="Faraway", slug="faraway", region=foreign_region)
    home_school = SchoolFactory(district=home, name="Homeville Elementary")
    SchoolFactory(district=home, name="Homeville High", grade_span="9-12")
    foreign_school = SchoolFactory(district=foreign, name="Faraway Middle", grade_span="6-8")
    SchoolFactory(district=foreign, name="Faraway High", grade_span="9-12")
    lead = person(Role.ASSISTANCE_LEAD, district=home, name="Lou Lead")
    foreign_lead = person(Role.ASSISTANCE_LEAD, district=foreign, name="Fin Farlead")
    home_assignment = assignment(home, lead, home_school)
    foreign_assignment = assignment(foreign, foreign_lead, foreign_school)
    home_visit = visit(home, lead, home_school, supports=[home_assignment],
                       shared_notes=World.HOME_SHARED, internal_notes=World.HOME_INTERNAL)
    foreign_visit = visit(foreign, foreign_lead, foreign_school, supports=[foreign_assignment],
                          shared_notes=World.FOREIGN_SHARED, internal_notes=World.FOREIGN_INTERNAL)
    world = World(
        home_region=home_region,
        foreign_region=foreign_region,
        home=home,
        foreign=foreign,
        home_school=home_school,
        foreign_school=foreign_school,
        admin=person(Role.PLATFORM_ADMIN, name="Ada Admin"),
        director=person(Role.REGIONAL_DIRECTOR, region=home_region, name="Dee Director"),
        lead=lead,
        leader=person(Role.DISTRICT_LEADER, district=home, name="Lia Leader"),
        supervisor=person(Role.SCHOOL_SUPERVISOR, district=home, name="Sol Supervisor"),
        viewer=person(Role.DISTRICT_VIEWER, district=home, name="Val Viewer"),
        foreign_leader=person(Role.DISTRICT_LEADER, district=foreign, name="Fay Foreign"),
        foreign_lead=foreign_lead,
        home_assignment=home_assignment,
        foreign_assignment=foreign_assignment,
        home_visit=home_visit,
        foreign_visit=foreign_visit,
        home_observation=observation(home_visit),
        foreign_observation=observation(foreign_visit),
    )
    # Each feature adds its own rows (these modules import this one).
    from tests.factories_evaluations import add_evaluations
    from tests.factories_field_teams import add_district_field_work
    from tests.factories_plans import add_plans
    from tests.factories_school_people import add_school_people

    add_plans(world)
    add_school_people(world)
    add_district_field_work(world)
    add_evaluations(world)
    return world
