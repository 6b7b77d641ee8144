"""`flask demo load`: a small, realistic data set from the real state directory.

Six real districts in two regions (large and small, one charter), their real
schools, a person for every role (one of them holding several grants), and a
school year of field work: supports assigned to the leads, weekly visits with
classroom observations, follow-ups. Running it again changes nothing.
"""
import random
import uuid
from datetime import date, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.auth.passwords import hash_password
from app.clock import state_today
from app.directory import read_districts, read_schools
from app.districts.models import School
from app.districts.services import recount_schools
from app.evaluations.demo import load_demo_evaluations
from app.extensions import db
from app.fieldwork.models import Observation, Rating, Rubric, SupportAssignment, SupportType, Visit, VisitSupport
from app.plans.demo import load_demo_plans
from app.text import slugify
from tenants.models import AccountabilityStatus, District, Lifecycle, Region
from tenants.roles import Role
from tenants.scope import entered
from tenants.scopes import system_task_scope

DEMO_PASSWORD = "demo-password-2026"
# The district whose own school support (quadrants, principals, district-staff visits) the demo shows.
SCHOOL_SUPPORT_DISTRICT = 517  # Worcester
SUPERVISOR_TITLE = "Executive director of instruction and school leadership, {} quadrant"
S = AccountabilityStatus

# directory id -> (region, accountability status)
DEMO_DISTRICTS = {
    517: ("Central Massachusetts", S.FOCUSED_TARGETED),  # Worcester
    426: ("Central Massachusetts", S.BROAD_COMPREHENSIVE),  # Southbridge
    1: ("Central Massachusetts", S.MEETING_TARGETS),  # Abby Kelley Foster Charter Public (District)
    75: ("Southeast Massachusetts", S.FOCUSED_TARGETED),  # Brockton
    312: ("Southeast Massachusetts", S.FOCUSED_TARGETED),  # New Bedford
    148: ("Southeast Massachusetts", S.PARTIALLY_MEETING_TARGETS),  # Fall River
}

# email, name, [(role, region name or district directory id, title)]
DEMO_PEOPLE = [
    ("admin@example.org", "Avery Admin", [(Role.PLATFORM_ADMIN, None, None)]),
    ("director.central@example.org", "Dana Reyes", [(Role.REGIONAL_DIRECTOR, "Central Massachusetts", None)]),
    ("director.southeast@example.org", "Sam Okafor", [(Role.REGIONAL_DIRECTOR, "Southeast Massachusetts", None)]),
    ("lead@example.org", "Lee Tran", [
        (Role.ASSISTANCE_LEAD, 517, None), (Role.ASSISTANCE_LEAD, 426, None), (Role.ASSISTANCE_LEAD, 75, None),
    ]),
    ("lead2@example.org", "Morgan Silva", [(Role.ASSISTANCE_LEAD, 312, None), (Role.ASSISTANCE_LEAD, 148, None)]),
    ("superintendent@example.org", "Pat Kim", [(Role.DISTRICT_LEADER, 517, "Superintendent")]),
    ("planmanager@example.org", "Jordan Ellis", [(Role.DISTRICT_LEADER, 517, "Plan manager")]),
    ("supervisor@example.org", "Jamie Ortiz", [
        (Role.SCHOOL_SUPERVISOR, 517, SUPERVISOR_TITLE.format("Burncoat")),
    ]),
    ("principal@example.org", "Chris Moreau", [(Role.DISTRICT_VIEWER, 517, "Principal")]),
    ("monitor@example.org", "Robin Achebe", [
        (Role.DISTRICT_VIEWER, 517, "State accountability monitor"),
        (Role.DISTRICT_VIEWER, 75, "State accountability monitor"),
    ]),
]


def load_demo(directory: Path) -> dict[str, int]:
    """Create or bring up to date the demo regions, districts, schools and people."""
    from app.demo_school_support import load_school_support

    with entered(system_task_scope("demo data")):
        districts = {d.directory_id: d for d in read_districts(directory) if d.directory_id in DEMO_DISTRICTS}
        regions = {name: _region(name) for name, _ in DEMO_DISTRICTS.values()}
        by_directory_id = {}
        for directory_id, (region_name, status) in DEMO_DISTRICTS.items():
            by_directory_id[directory_id] = _district(districts[directory_id], regions[region_name], status)
        db.session.flush()
        schools = [s for s in read_schools(directory) if s.district_directory_id in by_directory_id]
        for school in schools:
            _school(school, by_directory_id[school.district_directory_id])
        password_hash = hash_password(DEMO_PASSWORD)
        for email, name, grants in DEMO_PEOPLE:
            _person(email, name, grants, password_hash, regions, by_directory_id)
        db.session.commit()
        visits = _load_field_work(state_today())
        visits += load_school_support(by_directory_id[SCHOOL_SUPPORT_DISTRICT], state_today(), password_hash)
        load_demo_plans(state_today())
        load_demo_evaluations(by_directory_id[SCHOOL_SUPPORT_DISTRICT])
        for district in by_directory_id.values():
            recount_schools(district)
        db.session.commit()
    return {"regions": len(regions), "districts": len(by_directory_id), "schools": len(schools),
            "people": db.session.scalar(select(db.func.count()).select_from(User)), "visits": visits}


def _region(name: str) -> Region:
    region = db.session.scalars(select(Region).where(Region.name == name)).first()
    if region is None:
        region = Region(name=name)
        db.session.add(region)
    return region


def _district(source, region: Region, status: AccountabilityStatus) -> District:
    district = db.session.scalars(select(District).where(District.directory_id == source.directory_id)).first()
    if district is None:
        district = District(directory_id=source.directory_id, slug=slugify(source.name), lifecycle=Lifecycle.ACTIVE)
        db.session.add(district)
    district.name = source.name
    district.region = region
    district.kind = source.kind
    district.city = source.city
    district.enrollment = source.pupils
    district.accountability_status = status
    return district


def _school(source, district: District) -> School:
    school = db.session.scalars(
        select(School).where(School.district_id == district.id, School.directory_id == source.directory_id)
    ).first()
    if school is None:
        school = School(district_id=district.id, directory_id=source.directory_id)
        db.session.add(school)
    # The directory has no enrollment or category: seeded per school, so they never change between runs.
    chance = random.Random(source.directory_id)
    needs_help = district.status.requires_assistance and chance.random() < 0.35
    school.name = source.name
    school.code = source.code
    school.city = source.city
    school.grade_span = source.grade_span
    school.enrollment = chance.randint(180, 1400)
    school.accountability_category = (
        S.FOCUSED_TARGETED if needs_help else chance.choice([S.MEETING_TARGETS, S.PARTIALLY_MEETING_TARGETS])
    )
    return school


def _person(email, name, grants, password_hash, regions, districts) -> User:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash)
        db.session.add(user)
    for role, where, title in grants:
        region = regions[where] if role is Role.REGIONAL_DIRECTOR else None
        district = districts[where] if role.scope_kind == "district" else None
        grant_role(user, role, district_id=district.id if district else None,
                   region_id=region.id if region else None, title=title)
    return user


PURPOSES = ["Principal coaching", "Instructional leadership team meeting", "Classroom walkthrough",
            "Data inquiry cycle", "Planning meeting with the superintendent", "Curriculum implementation check-in"]
SUBJECTS = ["Mathematics", "ELA", "Science", "History and social science"]
DEMO_SUPPORTS = ["Direct coaching", "Data inquiry", "High-quality instructional materials"]
DEMO_UUIDS = uuid.UUID("6f1c8f0e-2f5c-4d2b-9a55-3f3c1f6a9e10")  # namespace: the same visits on every run


def _load_field_work(today: date) -> int:
    """A school year of supports, visits and observations for each lead in each of their districts."""
    if db.session.scalar(select(Visit.id).limit(1)) is not None:
        return db.session.scalar(select(db.func.count()).select_from(Visit))
    rubric = db.session.scalars(select(Rubric).where(Rubric.active).order_by(Rubric.id)).first()
    supports = {t.name: t for t in db.session.scalars(select(SupportType))}
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.role == Role.ASSISTANCE_LEAD)).all()
    count = 0
    for grant in sorted(grants, key=lambda g: (g.user_id, g.district_id)):
        chance = random.Random(f"{grant.user_id}-{grant.district_id}")
        schools = db.session.scalars(select(School).where(School.district_id == grant.district_id)).all()
        assignments = []
        for name in DEMO_SUPPORTS:
            school = chance.choice(schools) if name == "Direct coaching" else None
            assignment = SupportAssignment(
                district_id=grant.district_id, school_id=school.id if school else None, lead_id=grant.user_id,
                support_type_id=supports[name].id, starts_on=today - timedelta(days=365), planned_hours=chance.choice([40, 60, 80]),
            )
            db.session.add(assignment)
            assignments.append(assignment)
        db.session.flush()
        # Some schools get a visit most weeks, others rarely: the coverage gaps a director needs to see.
        for week in range(52):
            if chance.random() > 0.6:
                continue
            count += 1
            _demo_visit(chance, grant, chance.choice(schools[: max(1, len(schools) * 2 // 3)]),
                        today - timedelta(days=7 * week + chance.randint(0, 4)), assignments, rubric, count)
    db.session.commit()
    return count


def _demo_visit(chance, grant, school, visited_on, assignments, rubric, number) -> None:
    visit = Visit(
        district_id=grant.district_id, school_id=school.id, lead_id=grant.user_id,
        client_uuid=str(uuid.uuid5(DEMO_UUIDS, f"{grant.user_id}-{grant.district_id}-{number}")),
        visited_on=visited_on, minutes=chance.choice([45, 60, 90, 120, 180]), kind=chance.choice(["formal", "informal", "virtual"]),
        purpose=chance.choice(PURPOSES), participants="Principal and instructional coach",
        shared_notes="Walked classrooms together; agreed on two priorities for the next cycle.",
        internal_notes="Leadership capacity is thin; check in with the superintendent.",
        next_steps="Share the walkthrough summary with the leadership team.",
        follow_up_on=visited_on + timedelta(days=14), follow_up_done=visited_on < state_today() - timedelta(days=21),
    )
    db.session.add(visit)
    db.session.flush()
    for assignment in chance.sample(assignments, chance.randint(1, 2)):
        db.session.add(VisitSupport(district_id=visit.district_id, visit_id=visit.id, support_assignment_id=assignment.id))
    if visit.kind == "formal":
        demo_observations(rubric, [(visit, chance)])


def demo_observations(rubric, visits) -> None:
    """One to three classroom observations of each visit (flushed already) of `visits`, (visit, its chance) pairs,
    each observation rated on every look-for: two flushes, however many visits."""
    observations = []  # (observation, its ratings)
    for visit, chance in visits:
        # Ratings drift upward over the year, so the trends show change.
        lift = 1 if visit.visited_on > state_today() - timedelta(days=120) else 0
        for _ in range(chance.randint(1, 3)):
            observation = Observation(district_id=visit.district_id, visit_id=visit.id, rubric_id=rubric.id,
                                      grade=chance.choice(["K", "2", "4", "6", "8", "10"]), subject=chance.choice(SUBJECTS),
                                      minutes=chance.choice([15, 20, 30]), feedback="Named one strength and one next step.")
            ratings = [min(rubric.scale_max, chance.randint(1, 3) + lift) for _ in rubric.look_fors]
            observations.append((observation, ratings))
    db.session.add_all(observation for observation, _ in observations)
    db.session.flush()
    db.session.add_all(
        Rating(district_id=observation.district_id, observation_id=observation.id, look_for_id=look_for.id, rating=rating)
        for observation, ratings in observations for look_for, rating in zip(rubric.look_fors, ratings)
    )


@click.group("demo")
def demo_cli() -> None:
    """Demo data."""


@demo_cli.command("load")
@click.option("--scale", type=click.Choice(["demo", "state"]), default="demo", show_default=True,
              help="demo: six districts, fast; state: every district of the state, into an empty PostgreSQL database.")
@click.option("--share", type=click.FloatRange(0.01, 1.0), default=1.0, show_default=True,
              help="with --scale state: this share of the districts (0.1: every tenth).")
@click.option("--port", type=int, default=5000, show_default=True, help="the port the printed sign-in address names.")
@with_appcontext
def load_command(scale: str, share: float, port: int) -> None:
    """Load the demo districts and people (safe to run again)."""
    if scale == "state":
        from app.demo_state import load_state

        counts = load_state(Path(current_app.config["DIRECTORY_PATH"]), share=share)
        click.echo(", ".join(f"{count:,} {name.replace('_', ' ')}" for name, count in counts.items()))
        return
    counts = load_demo(Path(current_app.config["DIRECTORY_PATH"]))
    click.echo("Demo data: {regions} regions, {districts} districts, {schools} schools, {people} people, "
               "{visits} visits.".format(**counts))
    click.echo(f"\nSign in at http://127.0.0.1:{port} with any of these (password: {DEMO_PASSWORD}):")
    for email, _name, grants in DEMO_PEOPLE:
        roles = ", ".join(sorted({role.label for role, _, _ in grants}))
        click.echo(f"  {email:32} {roles}")
    click.echo("\nsuperintendent@example.org sees every evaluation of Worcester's principals; principal@example.org has "
               "a formative to sign; supervisor@example.org evaluates the Burncoat quadrant's principals.")
