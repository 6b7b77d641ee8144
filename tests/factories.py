"""factory_boy factories bound to the app's session, and a small two-district world."""
from dataclasses import dataclass

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.accounts.models import RoleGrant, User
from app.auth.passwords import hash_password
from app.districts.models import School
from app.extensions import db
from tenants.models import AccountabilityStatus, District, Lifecycle, Region
from tenants.roles import Role

PASSWORD = "correct horse battery staple"
# Hashing is deliberately slow: hash once, share it among every test user.
PASSWORD_HASH = hash_password(PASSWORD)


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
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
    viewer: User
    foreign_leader: User

    def people(self) -> dict[str, User]:
        return {
            "platform_admin": self.admin,
            "regional_director": self.director,
            "assistance_lead": self.lead,
            "district_leader": self.leader,
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
    return World(
        home_region=home_region,
        foreign_region=foreign_region,
        home=home,
        foreign=foreign,
        home_school=home_school,
        foreign_school=foreign_school,
        admin=person(Role.PLATFORM_ADMIN, name="Ada Admin"),
        director=person(Role.REGIONAL_DIRECTOR, region=home_region, name="Dee Director"),
        lead=person(Role.ASSISTANCE_LEAD, district=home, name="Lou Lead"),
        leader=person(Role.DISTRICT_LEADER, district=home, name="Lia Leader"),
        viewer=person(Role.DISTRICT_VIEWER, district=home, name="Val Viewer"),
        foreign_leader=person(Role.DISTRICT_LEADER, district=foreign, name="Fay Foreign"),
    )
