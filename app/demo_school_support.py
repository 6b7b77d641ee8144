"""The district's own school support in the demo: Worcester's quadrants, their supervisors, its principals and a
term of visits by its own staff (some with classroom observations, some coaching a principal, some joint with the
support team). Called by `flask demo load` (app/demo.py); running it again changes nothing.
"""
import random
import uuid
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.demo import DEMO_PEOPLE, DEMO_UUIDS, SUPERVISOR_TITLE, demo_observations
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.extensions import db
from app.fieldwork.models import Rubric, Visit, VisitKind, VisitObserver
from app.regional.services import school_year_start
from tenants.models import District
from tenants.roles import Role, Team

# Worcester Public Schools groups its schools by high-school feeder quadrant. The state directory carries no
# quadrant, so this table is written by hand from the best-known public groupings (by feeder pattern and
# neighbourhood); a school the district moves later is moved on the cluster's page, not here.
# Worcester Technical High, Head Start and La Familia Dual Language School enrol from the whole city and stay
# outside any quadrant (the superintendent's office visits them).
QUADRANTS = {
    "Burncoat": ("Burncoat Senior High", "Burncoat Middle School", "Burncoat Street", "Clark St Community",
                 "Francis J McGrath Elementary", "Lincoln Street", "Norrback Avenue", "Thorndyke Road",
                 "Wawecus Road School", "Worcester Arts Magnet School"),
    "Doherty": ("Doherty Memorial High", "Forest Grove Middle", "Chandler Elementary Community", "Chandler Magnet",
                "Elm Park Community", "Flagg Street", "May Street", "Midland Street", "Nelson Place", "Tatnuck",
                "West Tatnuck"),
    "North": ("North High", "Worcester East Middle", "Belmont Street Community", "City View", "Grafton Street",
              "Lake View", "Rice Square", "Roosevelt", "Union Hill School"),
    "South": ("South High Community", "Sullivan Middle", "Canterbury", "Claremont Academy", "Columbus Park",
              "Gates Lane", "Goddard School/Science Technical", "Heard Street", "Jacob Hiatt Magnet", "Quinsigamond",
              "University Pk Campus School", "Vernon Hill School", "Woodland Academy"),
}
CITYWIDE = ("Worcester Technical High", "Head Start", "La Familia Dual Language School")

# quadrant -> (email, name) of its supervisor; supervisor@example.org is a demo login (app/demo.DEMO_PEOPLE).
SUPERVISORS = {
    "Burncoat": next((email, name) for email, name, _ in DEMO_PEOPLE if email == "supervisor@example.org"),
    "Doherty": ("terry.walsh@example.org", "Terry Walsh"),
    "North": ("noor.haddad@example.org", "Noor Haddad"),
    "South": ("kofi.mensah@example.org", "Kofi Mensah"),
}

# The demo principal login leads a real school, in the demo supervisor's quadrant.
DEMO_PRINCIPAL = ("principal@example.org", "Clark St Community")
# Large schools with assistant principals: each high school two, each middle school one.
ASSISTANT_PRINCIPALS = {name: 2 for name in ("Burncoat Senior High", "Doherty Memorial High", "North High",
                                             "South High Community", "Worcester Technical High")}
ASSISTANT_PRINCIPALS |= {name: 1 for name in ("Burncoat Middle School", "Forest Grove Middle", "Sullivan Middle",
                                              "Worcester East Middle")}

# Fictional names, combined deterministically.
FIRST_NAMES = ("Alicia", "Brendan", "Carmen", "Darnell", "Elena", "Farah", "Gabriel", "Hannah", "Ibrahim", "Jasmine",
               "Kevin", "Lucia", "Marcus", "Nadia", "Owen", "Priya", "Quentin", "Rosa", "Samuel", "Tanya", "Victor",
               "Wendy", "Xavier", "Yolanda", "Zachary", "Amara", "Brian", "Celeste", "Diego", "Erin")
LAST_NAMES = ("Abreu", "Bellamy", "Castro", "Donovan", "Estrada", "Fitzgerald", "Gallo", "Hughes", "Iyer", "Jordan",
              "Kowalski", "Lindqvist", "Mbeki", "Nguyen", "O'Connell", "Pereira", "Quinlan", "Rivera", "Sato",
              "Thibodeau", "Urbina", "Vasquez", "Whitaker", "Xu", "Yilmaz", "Zielinski", "Amato", "Brennan", "Costa",
              "Duarte")

COACHING = "Principal coaching"
WALKTHROUGH = "Classroom walkthrough"
# purpose, weight
DISTRICT_PURPOSES = ((COACHING, 35), (WALKTHROUGH, 25), ("Instructional leadership team meeting", 25),
                     ("Data inquiry cycle", 15))
SHARED_NOTES = {
    COACHING: ("Reviewed the principal's entry plan goals and the evidence gathered so far.",
               "Rehearsed the feedback conversation with a new grade 2 teacher.",
               "Looked at the master schedule together for intervention blocks."),
    WALKTHROUGH: ("Walked six classrooms with the principal; students were discussing texts in pairs in most.",
                  "Walked math classes with the principal and the math coach; calibrated on the look-fors."),
    "Instructional leadership team meeting": ("Sat in on the ILT; the team chose one instructional focus for the term.",),
    "Data inquiry cycle": ("Went through the fall benchmark results by grade and student group.",),
}
NEXT_STEPS = {
    COACHING: ("Principal drafts a 30-day plan for classroom feedback; we review it at the next visit.",
               "Principal observes two classrooms a day and logs one piece of feedback each.",
               "Principal meets the grade-level teams on the intervention block before the next visit."),
    WALKTHROUGH: ("Share the walkthrough summary with the leadership team.",
                  "Coach follows up with the two classrooms where questioning was lowest."),
}
# District-staff internal notes: for the district's leaders and supervisors only (tenants/visibility.py).
DISTRICT_INTERNAL_NOTES = (
    "Principal is stretched thin by two vacancies; raise staffing at the superintendent's cabinet.",
    "Evaluation: evidence toward standard II (management and operations) is mixed; discuss at mid-cycle review.",
    "Tension between the assistant principal and the ILT; watch before the next walkthrough.",
    "Principal asked to move to another school next year; keep confidential.",
)


def load_school_support(district: District, today: date, password_hash: str) -> int:
    """Quadrants, principals and a term of district-staff visits for `district`, once; the number of visits made."""
    _supervisors(district, password_hash)
    if db.session.scalar(select(SchoolCluster.id).where(SchoolCluster.district_id == district.id).limit(1)) is None:
        _quadrants_and_principals(district, password_hash)
        db.session.flush()
    if db.session.scalar(select(Visit.id).where(Visit.district_id == district.id, Visit.team == Team.DISTRICT)
                         .limit(1)) is not None:
        return 0
    count = _district_visits(district, today)
    db.session.commit()
    return count


def _person(email: str, name: str, password_hash: str) -> User:
    user = db.session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash)
        db.session.add(user)
    return user


def _supervisors(district: District, password_hash: str) -> None:
    for quadrant, (email, name) in SUPERVISORS.items():
        grant_role(_person(email, name, password_hash), Role.SCHOOL_SUPERVISOR, district_id=district.id,
                   title=SUPERVISOR_TITLE.format(quadrant))
    db.session.flush()


def _quadrants_and_principals(district: District, password_hash: str) -> None:
    schools = {s.name: s for s in db.session.scalars(select(School).where(School.district_id == district.id))}
    for quadrant, names in QUADRANTS.items():
        email, _ = SUPERVISORS[quadrant]
        supervisor = db.session.scalars(select(User).where(User.email == email)).one()
        cluster = SchoolCluster(district_id=district.id, name=f"{quadrant} quadrant", supervisor_id=supervisor.id)
        db.session.add(cluster)
        db.session.flush()
        for name in names:
            schools[name].cluster_id = cluster.id
    names = _fictional_names()
    demo_email, demo_school = DEMO_PRINCIPAL
    for school in sorted(schools.values(), key=lambda s: s.directory_id or 0):
        if school.name == demo_school:
            principal = db.session.scalars(select(User).where(User.email == demo_email)).one()
        else:
            principal = _person(*next(names), password_hash)
        _lead(district, school, principal, Position.PRINCIPAL)
        for _ in range(ASSISTANT_PRINCIPALS.get(school.name, 0)):
            _lead(district, school, _person(*next(names), password_hash), Position.ASSISTANT_PRINCIPAL)


def _fictional_names():
    """(email, name) pairs, the same on every run, none twice."""
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    random.Random("worcester principals").shuffle(pairs)
    for first, last in pairs:
        yield f"{first}.{last.replace(chr(39), '')}@example.org".lower(), f"{first} {last}"


def _lead(district: District, school: School, person: User, position: Position) -> None:
    grant_role(person, Role.DISTRICT_VIEWER, district_id=district.id, title=position.label)
    db.session.flush()
    db.session.add(SchoolLeader(district_id=district.id, school_id=school.id, user_id=person.id, position=position))


def term_start(today: date) -> date:
    """The Monday of the last week of August that opened this school year; sixteen weeks ago if that was less than
    eight weeks ago."""
    start = date(school_year_start(today).year, 8, 25)
    start += timedelta(days=-start.weekday() % 7)
    return start if (today - start).days >= 56 else today - timedelta(weeks=16)


def _district_visits(district: District, today: date) -> int:
    """Each quadrant's supervisor visits each of its schools every week or two since the term began; the
    superintendent's office visits the citywide schools; some visits are joint with the support team."""
    rubric = db.session.scalars(select(Rubric).where(Rubric.active).order_by(Rubric.id)).first()
    principals = {leader.school_id: leader.person for leader in db.session.scalars(
        select(SchoolLeader).where(SchoolLeader.district_id == district.id, SchoolLeader.position == Position.PRINCIPAL))}
    lead = db.session.scalars(select(User).join(RoleGrant).where(
        RoleGrant.district_id == district.id, RoleGrant.role == Role.ASSISTANCE_LEAD).order_by(User.id)).first()
    leader = db.session.scalars(select(User).join(RoleGrant).where(
        RoleGrant.district_id == district.id, RoleGrant.role == Role.DISTRICT_LEADER).order_by(User.id)).first()
    schools = db.session.scalars(select(School).where(School.district_id == district.id).order_by(School.name)).all()
    clusters = db.session.scalars(select(SchoolCluster).where(
        SchoolCluster.district_id == district.id, SchoolCluster.supervisor_id.is_not(None)).order_by(SchoolCluster.id))
    rounds = [(cluster.supervisor, [s for s in schools if s.cluster_id == cluster.id], (7, 14)) for cluster in clusters]
    if leader is not None:
        rounds.append((leader, [s for s in schools if s.cluster_id is None], (21, 28)))
    start = term_start(today)
    planned = []  # (visit, the chance that made it, its co-observer)
    for author, its_schools, gaps in rounds:
        for school in its_schools:
            chance = random.Random(f"district visits {school.directory_id}")
            day = start + timedelta(days=chance.randint(0, 9))
            while True:
                day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
                if day > today:
                    break
                joint = lead if lead is not None and chance.random() < 0.12 else None
                visit = _visit(chance, district, school, author, principals.get(school.id), day, today)
                planned.append((visit, chance, joint))
                day += timedelta(days=chance.choice(gaps))
    db.session.add_all(visit for visit, _, _ in planned)
    db.session.flush()
    demo_observations(rubric, [(visit, chance) for visit, chance, _ in planned if visit.purpose == WALKTHROUGH])
    db.session.add_all(VisitObserver(district_id=district.id, visit_id=visit.id, user_id=joint.id)
                       for visit, _, joint in planned if joint is not None)
    if lead is not None:
        _supervisors_join_the_lead(district, lead)
    return len(planned)


def _visit(chance, district, school, author, principal, day, today) -> Visit:
    purpose = chance.choices([p for p, _ in DISTRICT_PURPOSES], weights=[w for _, w in DISTRICT_PURPOSES])[0]
    if purpose == COACHING and principal is None:
        purpose = WALKTHROUGH
    coached = principal if purpose == COACHING else None
    follows_up = purpose in NEXT_STEPS
    follow_up_on = day + timedelta(days=chance.choice([7, 14])) if follows_up else None
    return Visit(
        district_id=district.id, school_id=school.id, lead_id=author.id, team=Team.DISTRICT,
        client_uuid=str(uuid.uuid5(DEMO_UUIDS, f"district-{author.id}-{school.id}-{day.isoformat()}")),
        principal_id=coached.id if coached else None, visited_on=day, minutes=chance.choice([45, 60, 90, 120]),
        kind=VisitKind.FORMAL if purpose == WALKTHROUGH else chance.choice([VisitKind.FORMAL, VisitKind.INFORMAL]),
        purpose=purpose,
        participants=f"{principal.name} (principal)" if principal else "School leadership team",
        shared_notes=chance.choice(SHARED_NOTES[purpose]),
        internal_notes=chance.choice(DISTRICT_INTERNAL_NOTES) if chance.random() < 0.3 else None,
        next_steps=chance.choice(NEXT_STEPS[purpose]) if follows_up else None,
        follow_up_on=follow_up_on,
        # Most follow-ups older than three weeks are done; a few stay overdue.
        follow_up_done=follows_up and day < today - timedelta(days=21) and chance.random() < 0.85,
    )


def _supervisors_join_the_lead(district: District, lead: User) -> None:
    """One in six of the assistance lead's visits to a quadrant's schools has its supervisor as co-observer."""
    rows = db.session.execute(
        select(Visit.id, SchoolCluster.supervisor_id)
        .join(School, (School.district_id == Visit.district_id) & (School.id == Visit.school_id))
        .join(SchoolCluster, (SchoolCluster.district_id == School.district_id) & (SchoolCluster.id == School.cluster_id))
        .where(Visit.district_id == district.id, Visit.lead_id == lead.id, Visit.team == Team.SUPPORT,
               SchoolCluster.supervisor_id.is_not(None))
        .order_by(Visit.visited_on.desc(), Visit.id)
    ).all()
    for visit_id, supervisor_id in rows[::6]:
        db.session.add(VisitObserver(district_id=district.id, visit_id=visit_id, user_id=supervisor_id))
