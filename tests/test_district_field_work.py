"""District staff's own field work (issue 16): they log visits and observations as the support team does, internal
notes follow the author's team, joint visits with co-observers, and the principal coached."""
import io
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.clock import state_today
from app.districts.models import Position, SchoolLeader
from app.extensions import db
from app.fieldwork.models import Observation, Visit, VisitObserver
from app.fieldwork.services import caseload_for
from app.notifications.services import send_follow_up_reminder
from app.regional.services import Criteria, capacity_by_lead, coverage_by_district
from tenants.access import may_co_observe
from tenants.lookup import cross_district_reads
from tenants.roles import Role, Team
from tests import factories
from tests.factories_field_teams import DISTRICT_INTERNAL, co_observe
from tests.test_api import counted_statements
from tests.test_lists import exported

PEOPLE = ("admin", "director", "lead", "leader", "supervisor", "viewer")
SUPPORT_TEAM = {"admin", "director", "lead"}
DISTRICT_STAFF = {"leader", "supervisor"}


def principal_of(school, person) -> SchoolLeader:
    """Make `person` the school's principal, in place of the one it has (the test world names one)."""
    row = db.session.scalars(select(SchoolLeader).where(
        SchoolLeader.district_id == school.district_id, SchoolLeader.school_id == school.id,
        SchoolLeader.position == Position.PRINCIPAL)).one_or_none()
    if row is None:
        row = SchoolLeader(district_id=school.district_id, school_id=school.id, position=Position.PRINCIPAL)
        db.session.add(row)
    row.user_id = person.id
    db.session.flush()
    return row


@pytest.fixture
def principal(world):
    """The world's district viewer is Homeville Elementary's principal."""
    principal_of(world.home_school, world.viewer)
    return world.viewer


def visit_form(world, **overrides) -> dict:
    return {"client_uuid": str(uuid.uuid4()), "school_id": str(world.home_school.id),
            "visited_on": state_today().isoformat(), "minutes": "90", "kind": "formal",
            "purpose": "Principal coaching", "internal_notes": "Supervisor's own worry", **overrides}


def visit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Visit))


# --- logging, online ---------------------------------------------------------------------------


def test_a_school_supervisor_logs_a_joint_visit_coaching_the_principal(client, auth, world, principal):
    auth.sign_in(world.supervisor)
    form = client.get("/districts/homeville/visits/new").text
    # Who will read the internal notes they type: the team they log for, the district's own staff.
    assert "Read only by the district&#39;s own staff" in form
    assert "Lou Lead (Assistance lead)" in form and "Val Viewer (Homeville Elementary)" in form
    assert "Sol Supervisor (" not in form  # not their own co-observer
    response = client.post("/districts/homeville/visits/new", data=visit_form(
        world, co_observer_ids=[str(world.lead.id), str(world.leader.id)], principal_id=str(principal.id)))
    assert response.status_code == 302
    visit = db.session.scalars(select(Visit).where(Visit.internal_notes == "Supervisor's own worry")).one()
    assert (visit.lead_id, visit.team, visit.principal_id) == (world.supervisor.id, Team.DISTRICT, principal.id)
    assert [person.name for person in visit.co_observers] == ["Lia Leader", "Lou Lead"]
    page = client.get(response.headers["Location"]).text
    assert "Principal coached</dt><dd><a" in page
    assert "Co-observers</dt><dd>Lia Leader, Lou Lead" in page
    assert "District staff" in page and "district staff only" in page and "Supervisor&#39;s own worry" in page
    assert "Edit visit" in page and "Add a classroom observation" in page


@pytest.mark.parametrize("who, message", [
    ("foreign_lead", "Fin Farlead cannot see Homeville: choose co-observers among the people who work with it."),
    ("supervisor", "The visit's author is not also its co-observer"),
])
def test_a_co_observer_who_cannot_be_is_refused_and_nothing_is_stored(client, auth, world, who, message):
    auth.sign_in(world.supervisor)
    before = (visit_count(), db.session.scalar(select(func.count()).select_from(VisitObserver)))
    response = client.post("/districts/homeville/visits/new", data=visit_form(
        world, co_observer_ids=[str(getattr(world, who).id)], purpose="Refused joint visit"))
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert 'value="Refused joint visit"' in response.text  # what was typed is kept
    assert (visit_count(), db.session.scalar(select(func.count()).select_from(VisitObserver))) == before


def test_a_principal_of_another_district_or_a_person_who_is_no_principal_is_refused(client, auth, world, principal):
    foreign_principal = factories.person(Role.DISTRICT_VIEWER, district=world.foreign, name="Far Principal")
    principal_of(world.foreign_school, foreign_principal)
    auth.sign_in(world.supervisor)
    before = visit_count()
    for person in (foreign_principal, world.leader):
        response = client.post("/districts/homeville/visits/new",
                               data=visit_form(world, principal_id=str(person.id)))
        assert response.status_code == 422
        assert "Choose the principal of one of Homeville&#39;s schools." in response.text
    assert visit_count() == before


def test_who_may_be_named_co_observer(world):
    may = {who: may_co_observe(getattr(world, who), world.home) for who in PEOPLE}
    # Those who work with the district; not platform admins as such, not another district's people.
    assert may == {"admin": False, "director": True, "lead": True, "leader": True, "supervisor": True,
                   "viewer": True}
    assert not may_co_observe(world.foreign_lead, world.home) and not may_co_observe(world.foreign_leader, world.home)


# --- the API ----------------------------------------------------------------------------------


def test_district_staff_post_a_joint_visit_through_the_api(client, auth, world, principal):
    auth.sign_in(world.supervisor)
    body = {"district_id": world.home.id, "client_uuid": str(uuid.uuid4()), "school_id": world.home_school.id,
            "visited_on": state_today().isoformat(), "minutes": 60, "kind": "formal", "purpose": "Walkthrough",
            "co_observer_ids": [world.lead.id], "principal_id": principal.id, "internal_notes": "API worry",
            "observations": [{"rubric_id": factories.default_rubric().id, "grade": "3", "subject": "ELA",
                              "minutes": 20, "ratings": []}]}
    created = client.post("/api/v1/visits", json=body)
    assert created.status_code == 201, created.text
    assert created.json["team"] == "district" and created.json["lead_id"] == world.supervisor.id
    assert created.json["co_observers"] == [{"id": world.lead.id, "name": "Lou Lead"}]
    assert created.json["principal_id"] == principal.id and created.json["internal_notes"] == "API worry"
    assert client.post("/api/v1/visits", json=body).status_code == 200  # once per client UUID
    auth.sign_out()
    auth.sign_in(world.lead)
    seen = client.get(f"/api/v1/visits/{created.json['id']}").json
    assert "internal_notes" not in seen and seen["co_observers"][0]["name"] == "Lou Lead"
    # The co-observer, on the other team, reads it and does not change it.
    assert client.patch(f"/api/v1/visits/{created.json['id']}", json={"minutes": 70}).status_code == 403


def test_an_api_co_observer_who_cannot_see_the_district_is_refused(client, auth, world):
    auth.sign_in(world.supervisor)
    before = visit_count()
    body = {"district_id": world.home.id, "client_uuid": str(uuid.uuid4()), "visited_on": state_today().isoformat(),
            "minutes": 60, "kind": "formal", "purpose": "Walkthrough", "co_observer_ids": [world.foreign_lead.id],
            "principal_id": world.leader.id}
    refused = client.post("/api/v1/visits", json=body)
    assert refused.status_code == 422
    errors = refused.json["error"]["errors"]
    assert "cannot see Homeville" in " ".join(errors["co_observer_ids"])
    assert "principal" in " ".join(errors["principal_id"])
    assert visit_count() == before


# --- internal notes follow the author's team ---------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_a_district_visit_s_internal_notes_are_for_its_leaders_and_supervisors_only(client, auth, world, who):
    auth.sign_in(getattr(world, who))
    sees_district, sees_support = who in DISTRICT_STAFF, who in SUPPORT_TEAM
    page = client.get(f"/districts/homeville/visits/{world.district_visit.id}").text
    assert (DISTRICT_INTERNAL in page) is sees_district
    assert ("district staff only" in page) is sees_district
    assert (world.HOME_INTERNAL in client.get(f"/districts/homeville/visits/{world.home_visit.id}").text) \
        is sees_support
    listed = client.get("/districts/homeville/visits").text
    assert (DISTRICT_INTERNAL in listed) is sees_district and (world.HOME_INTERNAL in listed) is sees_support
    for file_format in ("csv", "xlsx"):
        rows = exported(client, "/districts/homeville/visits", file_format)
        cells = {str(cell) for row in rows for cell in row}
        assert (DISTRICT_INTERNAL in cells) is sees_district and (world.HOME_INTERNAL in cells) is sees_support
        # The header says which audience the viewer reads the column as; one who reads none has no column.
        tags = [tag for tag, sees in (("support team only", sees_support), ("district staff only", sees_district))
                if sees]
        headers = [header for header in rows[0] if header.startswith("Internal notes")]
        assert headers == ([f"Internal notes ({' · '.join(tags)})"] if tags else [])
    api = client.get(f"/api/v1/visits?district_id={world.home.id}").json
    by_id = {visit["id"]: visit for visit in api}
    assert ("internal_notes" in by_id[world.district_visit.id]) is sees_district
    assert ("internal_notes" in by_id[world.home_visit.id]) is sees_support


def test_the_visit_form_tells_a_lead_the_support_team_reads_their_notes(client, auth, world):
    auth.sign_in(world.lead)
    assert "Read only by the district&#39;s support team" in client.get("/districts/homeville/visits/new").text
    auth.sign_out()
    auth.sign_in(world.leader)
    edit = client.get(f"/districts/homeville/visits/{world.district_visit.id}/edit").text
    assert "Read only by the district&#39;s own staff" in edit


def test_the_audit_trail_and_the_district_export_keep_the_district_s_notes_to_its_staff(client, auth, world):
    auth.sign_in(world.supervisor)
    client.post(f"/districts/homeville/visits/{world.district_visit.id}/edit", data=visit_form(
        world, internal_notes="Changed district worry"))
    db.session.expire_all()
    changes = db.session.scalars(select(AuditEvent.changes).where(
        AuditEvent.object_type == "Visit", AuditEvent.object_id == str(world.district_visit.id))).all()
    recorded = [change["internal_notes"] for change in changes if "internal_notes" in (change or {})]
    assert recorded and all("district staff only" in str(pair) for pair in recorded)
    assert "Changed district worry" not in str(changes)
    auth.sign_out()
    auth.sign_in(world.leader)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/districts/homeville/export.zip").data))
    visits = archive.read("visits.csv").decode()
    assert "Changed district worry" in visits and world.HOME_INTERNAL not in visits


def test_a_supervisor_s_follow_up_mail_carries_no_internal_notes(world, mailbox):
    world.district_visit.follow_up_on = state_today()
    world.district_visit.next_steps = "Meet the principal again"
    db.session.flush()
    assert send_follow_up_reminder(world.supervisor.id, state_today())
    text = mailbox.text(mailbox.to(world.supervisor.email)[0])
    assert "Meet the principal again" in text and DISTRICT_INTERNAL not in text


# --- who changes a visit: its own team ---------------------------------------------------------------


def test_a_supervisor_co_observing_a_leader_s_visit_adds_an_observation(client, auth, world):
    leaders_visit = factories.visit(world.home, world.leader, world.home_school, team=Team.DISTRICT)
    co_observe(leaders_visit, world.supervisor, world.lead)
    auth.sign_in(world.supervisor)
    added = client.post(f"/districts/homeville/visits/{leaders_visit.id}/observations/new",
                        data={"grade": "5", "subject": "Science", "minutes": "20"})
    assert added.status_code == 302
    auth.sign_out()
    # A consultant who co-observed the district's visit reads it, and adds nothing to it.
    auth.sign_in(world.lead)
    page = client.get(f"/districts/homeville/visits/{leaders_visit.id}").text
    assert "Grade 5 Science" in page and "Add a classroom observation" not in page
    refused = client.post(f"/districts/homeville/visits/{leaders_visit.id}/observations/new",
                          data={"grade": "6", "subject": "Art", "minutes": "20"})
    assert refused.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Observation).where(
        Observation.visit_id == leaders_visit.id)) == 1


# --- a joint visit on each person's lists, counted once ---------------------------------------------


def test_a_joint_visit_is_on_each_co_observer_s_list_and_caseload_once(client, auth, world):
    today = state_today()
    joint = factories.visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT,
                            visited_on=today - timedelta(days=1), purpose="Joint walkthrough",
                            follow_up_on=today + timedelta(days=2))
    co_observe(joint, world.lead, world.director, world.viewer)
    caseload = caseload_for(world.lead, today)
    assert [visit.purpose for visit in caseload.recent].count("Joint walkthrough") == 1
    # Follow-ups stay the author's.
    assert joint not in caseload.due_this_week + caseload.overdue
    auth.sign_in(world.leader)
    rows = exported(client, f"/districts/homeville/visits?lead={world.lead.id}", "csv")
    purposes = [row[rows[0].index("Purpose")] for row in rows[1:]]
    assert sorted(purposes) == ["Joint walkthrough", "Principal coaching"]  # the lead's own, and the joint one
    assert rows[1][rows[0].index("Co-observers")] == "Dee Director, Lou Lead, Val Viewer"
    assert rows[1][rows[0].index("Team")] == "District staff"
    district_only = exported(client, "/districts/homeville/visits?team=district", "csv")
    assert {row[district_only[0].index("Team")] for row in district_only[1:]} == {"District staff"}


def test_a_joint_visit_counts_once_in_coverage_and_hours(world):
    start, end = date(2026, 9, 1), date(2026, 10, 31)
    joint = factories.visit(world.home, world.lead, world.home_school, visited_on=date(2026, 10, 20), minutes=120)

    def figures():
        with cross_district_reads(world.director):
            criteria = Criteria(start=start, end=end)
            coverage = coverage_by_district(criteria)
            capacity = capacity_by_lead(criteria)
        return ([(row.district, row.visited_30, row.last_visit) for row in coverage.rows], coverage.totals,
                [tuple(row) for row in capacity.rows])

    alone = figures()
    co_observe(joint, world.supervisor, world.leader, world.director)
    db.session.expire_all()
    assert figures() == alone


# --- statements: co-observers cost none per row -------------------------------------------------------


def statements(client, path: str) -> int:
    db.session.expire_all()
    with counted_statements() as sent:
        assert client.get(path).status_code == 200, path
    return len(sent)


def test_the_visit_list_and_page_do_not_grow_with_co_observers(client, auth, world, principal):
    crowd = [world.lead, world.director, world.viewer]
    one = factories.visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT,
                          principal_id=principal.id)
    co_observe(one, world.lead)
    auth.sign_in(world.leader)
    paths = ("/districts/homeville/visits", "/districts/homeville/visits?format=csv",
             f"/api/v1/visits?district_id={world.home.id}")
    before = {path: statements(client, path) for path in paths}
    page_before = statements(client, f"/districts/homeville/visits/{one.id}")
    for n in range(10):
        many = factories.visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT,
                               visited_on=date(2026, 10, 10) + timedelta(days=n), principal_id=principal.id)
        co_observe(many, *crowd)
    assert {path: statements(client, path) for path in paths} == before
    assert statements(client, f"/districts/homeville/visits/{many.id}") <= page_before


def test_a_co_observer_who_left_the_district_does_not_block_later_edits(client, auth, world):
    joint = factories.visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT)
    co_observe(joint, world.lead)
    unassign = [grant for grant in world.lead.grants if grant.district_id == world.home.id]
    for grant in unassign:
        world.lead.grants.remove(grant)
    db.session.flush()
    auth.sign_in(world.supervisor)
    form = client.get(f"/districts/homeville/visits/{joint.id}/edit").text
    assert "Lou Lead (no longer works with Homeville)" in form
    saved = client.post(f"/districts/homeville/visits/{joint.id}/edit",
                        data=visit_form(world, co_observer_ids=[str(world.lead.id)], minutes="95"))
    assert saved.status_code == 302
    db.session.expire_all()
    assert joint.minutes == 95 and [person.name for person in joint.co_observers] == ["Lou Lead"]
