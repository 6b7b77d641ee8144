"""`flask demo load`: real districts from the state directory, every role, safe to run again."""
from sqlalchemy import func, select

from app.accounts.models import RoleGrant, User
from app.demo import DEMO_PASSWORD
from app.demo_school_support import CITYWIDE
from app.districts.models import Position, School, SchoolCluster, SchoolLeader
from app.evaluations.models import EvaluationCycle, EvaluationEvidence, EvaluationReport
from app.extensions import db
from app.fieldwork.models import Observation, Visit, VisitObserver
from app.plans.models import Action, ActionSchool
from tenants.models import District, Region
from tenants.roles import Role, Team


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Region, District, School, User, RoleGrant, Visit, Observation))


def test_demo_load_builds_real_districts_and_every_role(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "admin@example.org" in result.output and DEMO_PASSWORD in result.output
    districts = {d.name: d for d in db.session.scalars(select(District))}
    assert {"Worcester", "Brockton", "Abby Kelley Foster Charter Public (District)"} <= set(districts)
    assert any(d.kind == "Charter District" for d in districts.values())
    assert len({d.region_id for d in districts.values()}) >= 2
    worcester = districts["Worcester"]
    assert worcester.school_count == 46 and worcester.enrollment == 26958
    roles = set(db.session.scalars(select(RoleGrant.role)))
    assert roles == {r.value for r in Role}
    grants_per_person = db.session.execute(select(RoleGrant.user_id, func.count()).group_by(RoleGrant.user_id)).all()
    assert max(n for _, n in grants_per_person) >= 2


def test_demo_load_gives_each_lead_a_year_of_field_work(app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    lead = db.session.scalars(select(User).where(User.email == "lead@example.org")).one()
    dates = db.session.scalars(select(Visit.visited_on).where(Visit.lead_id == lead.id)).all()
    assert len(dates) > 50 and (max(dates) - min(dates)).days > 300
    assert db.session.scalar(select(func.count()).select_from(Observation)) > 0


def test_demo_load_twice_changes_nothing(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    first = counts()
    runner.invoke(args=["demo", "load"])
    assert counts() == first


def test_demo_people_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "load"])
    response = client.post("/sign-in", data={"email": "superintendent@example.org", "password": DEMO_PASSWORD},
                           follow_redirects=True)
    # A leader of one district lands on its improvement dashboard.
    assert response.request.path == "/districts/worcester/dashboard"
    assert "Worcester: improvement dashboard" in response.text
    client.post("/sign-out")
    a_school_supervisor_reads_worcester_and_the_district_notes(client)


def a_school_supervisor_reads_worcester_and_the_district_notes(client):
    response = client.post("/sign-in", data={"email": "supervisor@example.org", "password": DEMO_PASSWORD},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Worcester" in client.get("/districts/worcester").text
    supervisor = db.session.scalars(select(User).where(User.email == "supervisor@example.org")).one()
    noted = db.session.scalars(select(Visit).where(
        Visit.lead_id == supervisor.id, Visit.internal_notes.is_not(None)).order_by(Visit.id)).first()
    page = client.get(f"/districts/worcester/visits/{noted.id}")
    # Their own visit, with the district's internal notes, which the school's principal does not read.
    assert page.status_code == 200 and noted.internal_notes in page.text
    client.post("/sign-out")
    client.post("/sign-in", data={"email": noted.school.principal.email, "password": DEMO_PASSWORD})
    page = client.get(f"/districts/worcester/visits/{noted.id}")
    assert page.status_code == 200 and noted.internal_notes not in page.text


def grants_in(district, role):
    return {g.user_id: g for g in db.session.scalars(
        select(RoleGrant).where(RoleGrant.district_id == district.id, RoleGrant.role == role))}


def test_demo_load_gives_worcester_quadrants_principals_and_a_term_of_district_visits(app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    worcester = db.session.scalars(select(District).where(District.name == "Worcester")).one()
    clusters = db.session.scalars(select(SchoolCluster).where(SchoolCluster.district_id == worcester.id)).all()
    assert sorted(c.name for c in clusters) == ["Burncoat quadrant", "Doherty quadrant", "North quadrant", "South quadrant"]
    supervisors = grants_in(worcester, Role.SCHOOL_SUPERVISOR)
    for cluster in clusters:
        # Each quadrant's supervisor is district staff in Worcester, titled for the quadrant.
        assert cluster.supervisor_id in supervisors
        assert supervisors[cluster.supervisor_id].title.endswith(cluster.name)
    assert len({c.supervisor_id for c in clusters}) == 4
    demo_supervisor = db.session.scalars(select(User).where(User.email == "supervisor@example.org")).one()
    assert demo_supervisor.id in {c.supervisor_id for c in clusters}

    schools = db.session.scalars(select(School).where(School.district_id == worcester.id)).all()
    assert {s.name for s in schools if s.cluster_id is None} == set(CITYWIDE)
    assert all(sum(s.cluster_id == c.id for s in schools) >= 9 for c in clusters)
    viewers = grants_in(worcester, Role.DISTRICT_VIEWER)
    principals = {s.name: s.principal for s in schools}
    assert all(principals.values()), [name for name, person in principals.items() if person is None]
    assert all(viewers[p.id].title == "Principal" for p in principals.values())
    assert len({p.id for p in principals.values()}) == len(schools) == 46
    assert principals["Clark St Community"].email == "principal@example.org"
    assistants = db.session.scalars(select(SchoolLeader).where(
        SchoolLeader.district_id == worcester.id, SchoolLeader.position == Position.ASSISTANT_PRINCIPAL)).all()
    assert {a.school.name for a in assistants} >= {"North High", "South High Community"}
    assert all(viewers[a.user_id].title == "Assistant principal" for a in assistants)
    district_staff_and_joint_visits(worcester, clusters)


def district_staff_and_joint_visits(worcester, clusters):
    visits = db.session.scalars(select(Visit).where(Visit.district_id == worcester.id, Visit.team == Team.DISTRICT)).all()
    staff = grants_in(worcester, Role.SCHOOL_SUPERVISOR) | grants_in(worcester, Role.DISTRICT_LEADER)
    assert len(visits) > 200 and all(v.lead_id in staff for v in visits)
    for cluster in clusters:
        # Each supervisor visits the quadrant's schools, and only those, every week or two since the term began.
        theirs = [v for v in visits if v.lead_id == cluster.supervisor_id]
        assert {v.school.cluster_id for v in theirs} == {cluster.id}
        assert len(theirs) >= 3 * len({v.school_id for v in theirs})
    coached = [v for v in visits if v.principal_id is not None]
    assert coached and all(v.purpose == "Principal coaching" and v.principal_id == v.school.principal.id for v in coached)
    assert any(v.next_steps and v.follow_up_on and not v.follow_up_done for v in coached)
    assert any(v.observations for v in visits) and any(v.internal_notes for v in visits)
    assert any(not v.internal_notes for v in visits)

    lead = db.session.scalars(select(User).where(User.email == "lead@example.org")).one()
    joint = db.session.execute(select(Visit.team, VisitObserver.user_id).join(
        VisitObserver, (VisitObserver.district_id == Visit.district_id) & (VisitObserver.visit_id == Visit.id))).all()
    # The lead co-observes supervisors' visits; supervisors co-observe the lead's.
    assert (Team.DISTRICT, lead.id) in joint
    assert {user_id for team, user_id in joint if team == Team.SUPPORT} <= {c.supervisor_id for c in clusters}
    assert any(team == Team.SUPPORT for team, _ in joint)

    named = db.session.scalars(select(Action.title).join(
        ActionSchool, (ActionSchool.district_id == Action.district_id) & (ActionSchool.action_id == Action.id))
        .where(Action.district_id == worcester.id)).all()
    assert len(set(named)) >= 2 and len(named) >= 5


def test_demo_load_gives_worcester_a_year_of_principals_evaluations_at_different_steps(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert "superintendent@example.org sees every evaluation" in result.output
    worcester = db.session.scalars(select(District).where(District.name == "Worcester")).one()
    superintendent = db.session.scalars(select(User).where(User.email == "superintendent@example.org")).one()
    assert [g.sees_evaluations for g in superintendent.grants if g.district_id == worcester.id] == [True]
    cycles = db.session.scalars(select(EvaluationCycle).where(EvaluationCycle.district_id == worcester.id)).all()
    done = {cycle.principal.email: sum(step.completed_on is not None for step in cycle.steps) for cycle in cycles}
    assert len(cycles) == 12 and set(done.values()) == {0, 1, 2, 3, 4, 5}
    assert done["principal@example.org"] == 4  # the demo principal has a formative to sign
    reports = db.session.scalars(select(EvaluationReport).where(EvaluationReport.district_id == worcester.id)).all()
    assert any(r.assessment == "summative" and r.version == 2 and r.correction_reason for r in reports)
    assert any(r.assessment == "summative" and r.response and r.signed_at for r in reports)
    assert any(r.assessment == "formative" and r.signed_at is None for r in reports)
    evidence = db.session.scalars(select(EvaluationEvidence).where(EvaluationEvidence.district_id == worcester.id))
    assert any(e.visit_id for e in evidence)
