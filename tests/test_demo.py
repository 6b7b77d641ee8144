"""`flask demo load`: real districts from the state directory, every role, safe to run again."""
from sqlalchemy import func, select

from app.accounts.models import RoleGrant, User
from app.demo import DEMO_PASSWORD
from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import Observation, Visit
from tenants.models import District, Region
from tenants.roles import Role


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
