"""A district's school people: its schools' leaders, its clusters, a principal's coaching log, a supervisor's home."""
from datetime import date, timedelta

from sqlalchemy import func, select

from app.accounts.models import RoleGrant, User
from app.clock import state_today
from app.districts.models import School, SchoolCluster, SchoolLeader
from app.extensions import db
from app.onboarding.services import preview_district_import
from tenants.roles import Role, Team
from tests.factories import SchoolFactory, UserFactory, grant, person, visit
from tests.factories_school_people import leader_for
from tests.test_api import counted_statements
from tests.test_invitations import import_people


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def leaders_page(world) -> str:
    return f"/districts/homeville/schools/{world.home_school.id}/leaders"


def principal_of(world, target="own") -> User:
    return db.session.get(User, world.feature_ids[target]["principal"])


# --- school leaders ---------------------------------------------------------------------------------------

def test_a_leader_adds_a_new_assistant_principal_who_is_invited_as_a_viewer(client, auth, world):
    auth.sign_in(world.leader)
    response = client.post(leaders_page(world), data={
        "position": "assistant_principal", "name": "Ann Assistant", "email": "Ann.Assistant@example.org"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "Ann Assistant is now assistant principal of Homeville Elementary." in page.text
    assert "Invitation on its way to Ann Assistant." in page.text
    ann = db.session.scalars(select(User).where(User.email == "ann.assistant@example.org")).one()
    assert [(g.role, g.district_id, g.title) for g in ann.grants] == [
        (Role.DISTRICT_VIEWER, world.home.id, "Assistant principal")]
    school = client.get(f"/districts/homeville/schools/{world.home_school.id}").text
    assert "<dt>Principal</dt><dd><a" in school and "Pat Principal</a>" in school
    assert "<dt>Assistant principal</dt><dd><a" in school and "Ann Assistant</a>" in school


def test_a_known_email_or_both_ways_at_once_are_refused_and_nothing_is_stored(client, auth, world):
    """An address the platform knows is someone's already (here the district's assistance lead): no new person is
    made of it, and the name typed does not make that someone a leader; nor may the form name two people."""
    auth.sign_in(world.leader)
    leaders, users, grants = count(SchoolLeader), count(User), count(RoleGrant)
    known = client.post(leaders_page(world), data={"position": "assistant_principal", "name": "Dup",
                                                   "email": world.lead.email})
    assert known.status_code == 422
    assert f"{world.lead.email} is already Lou Lead&#39;s: a school leader is one of the district&#39;s people" in known.text
    both = client.post(leaders_page(world), data={"position": "assistant_principal", "person_id": world.viewer.id,
                                                  "name": "Ann Assistant", "email": "ann@example.org"})
    assert both.status_code == 422 and "not both" in both.text and 'value="Ann Assistant"' in both.text
    assert (count(SchoolLeader), count(User), count(RoleGrant)) == (leaders, users, grants)


def test_a_second_principal_and_a_person_of_another_district_are_refused_and_nothing_is_stored(client, auth, world):
    auth.sign_in(world.leader)
    leaders, users, grants = count(SchoolLeader), count(User), count(RoleGrant)
    second = client.post(leaders_page(world), data={"position": "principal", "name": "Sam Second",
                                                    "email": "sam@example.org"})
    assert second.status_code == 422
    assert "Homeville Elementary already has principal Pat Principal: remove them first" in second.text
    assert 'value="Sam Second"' in second.text and 'value="sam@example.org"' in second.text
    foreign = client.post(leaders_page(world), data={"position": "assistant_principal", "name": "Fay",
                                                     "email": world.foreign_leader.email})
    assert foreign.status_code == 422
    assert "Fay Foreign is one of another district&#39;s people" in foreign.text and "Faraway" not in foreign.text
    tampered = client.post(leaders_page(world), data={"position": "assistant_principal",
                                                      "person_id": str(world.foreign_leader.id)})
    assert tampered.status_code == 422 and "Choose one of the district&#39;s people from the list." in tampered.text
    assert (count(SchoolLeader), count(User), count(RoleGrant)) == (leaders, users, grants)


def test_an_existing_person_of_the_district_is_chosen_and_removed(client, auth, world):
    auth.sign_in(world.admin)
    school = SchoolFactory(district=world.home, name="Homeville Middle")
    path = f"/districts/homeville/schools/{school.id}/leaders"
    assert client.post(path, data={"position": "principal", "person_id": str(world.viewer.id)}).status_code == 302
    [leader] = db.session.scalars(select(SchoolLeader).where(SchoolLeader.school_id == school.id)).all()
    assert leader.user_id == world.viewer.id and len(world.viewer.grants) == 1  # a viewer already: no new grant
    assert client.post(f"{path}/{leader.id}/remove").status_code == 302
    assert count(SchoolLeader, SchoolLeader.school_id == school.id) == 0


def test_the_people_import_makes_principals_of_schools_by_code(world):
    code = world.home_school.code
    other = SchoolFactory(district=world.home, name="Homeville Middle")
    people = (f"email,name,role,school_code,position\n"
              f"pia@example.org,Pia Principal,District viewer,{other.code},\n"
              f"abe@example.org,Abe Assistant,District viewer,{code},Assistant principal\n").encode()
    assert import_people(world, people)["school_leaders_created"] == 2
    db.session.expire_all()
    assert [(leader.person.name, leader.position_label) for leader in db.session.get(
        School, (world.home.id, other.id)).leaders] == [("Pia Principal", "Principal")]
    pia = db.session.scalars(select(User).where(User.email == "pia@example.org")).one()
    assert [(g.role, g.title) for g in pia.grants] == [(Role.DISTRICT_VIEWER, "Principal")]
    assert import_people(world, people)["school_leaders_created"] == 0  # a second run changes nothing


def test_the_people_import_refuses_a_second_principal_an_unknown_school_and_a_person_of_another_district(world):
    code = world.home_school.code
    people = (f"email,name,role,school_code,position\n"
              f"new@example.org,Ned New,District viewer,{code},Principal\n"
              f"x@example.org,Xu,District viewer,NOPE-1,Principal\n"
              f"{world.foreign_leader.email},Fay,District viewer,{code},Assistant principal\n"
              f"y@example.org,Yan,District leader,{code},Assistant principal\n").encode()
    preview = preview_district_import(world.home, {"people": ("people.csv", people)}, world.admin)
    assert preview.batch is None
    assert [(e.line, e.column) for e in preview.errors] == [(5, "role")]  # the row's own rules first
    people = b"\n".join(people.split(b"\n")[:4]) + b"\n"
    errors = preview_district_import(world.home, {"people": ("people.csv", people)}, world.admin).errors
    assert [(e.line, e.column, e.message) for e in errors] == [
        (2, "position", ("Homeville Elementary already has principal Pat Principal: remove them on the school's page "
                         "first.")),
        (3, "school_code", "No school of Homeville has the code NOPE-1."),
        (4, "email", ("Fay Foreign is one of another district's people: a school leader of Homeville is one of its "
                      "own.")),
    ]


# --- clusters ---------------------------------------------------------------------------------------------

def test_clusters_list_and_a_new_cluster_with_a_supervisor_and_schools(client, auth, world):
    auth.sign_in(world.leader)
    page = client.get("/districts/homeville/clusters")
    assert "North Quadrant" in page.text and "Sol Supervisor" in page.text and "Homeville Elementary" in page.text
    high = db.session.scalars(select(School).where(School.name == "Homeville High")).one()
    response = client.post("/districts/homeville/clusters/new", data={
        "name": "High schools", "supervisor_id": str(world.leader.id), "school_ids": [str(high.id)]})
    assert response.status_code == 302
    cluster = db.session.scalars(select(SchoolCluster).where(SchoolCluster.name == "High schools")).one()
    db.session.refresh(high)
    assert high.cluster_id == cluster.id and cluster.supervisor_id == world.leader.id


def test_a_cluster_refuses_a_school_of_another_cluster_a_supervisor_who_is_not_staff_and_a_taken_name(
        client, auth, world):
    auth.sign_in(world.leader)
    clusters = count(SchoolCluster)
    response = client.post("/districts/homeville/clusters/new", data={
        "name": "north quadrant", "supervisor_id": str(world.viewer.id), "school_ids": [str(world.home_school.id)]})
    assert response.status_code == 422
    text = response.text
    assert "Homeville already has a cluster named North Quadrant." in text
    assert "Val Viewer is not one of Homeville&#39;s staff" in text
    assert "Homeville Elementary is in North Quadrant: remove it from North Quadrant first." in text
    assert 'value="north quadrant"' in text
    assert count(SchoolCluster) == clusters
    db.session.refresh(world.home_school)
    assert world.home_school.cluster_id == world.feature_ids["own"]["cluster"]


def test_a_school_leaves_its_cluster_when_unticked_and_when_the_cluster_is_deleted(client, auth, world):
    auth.sign_in(world.leader)
    cluster_id = world.feature_ids["own"]["cluster"]
    assert client.post(f"/districts/homeville/clusters/{cluster_id}/edit", data={
        "name": "North Quadrant", "supervisor_id": str(world.supervisor.id)}).status_code == 302
    db.session.refresh(world.home_school)
    assert world.home_school.cluster_id is None
    assert client.post(f"/districts/homeville/clusters/{cluster_id}/delete").status_code == 302
    assert count(SchoolCluster, SchoolCluster.id == cluster_id) == 0


# --- the principal's page ---------------------------------------------------------------------------------

def coaching_visits(world):
    principal = principal_of(world)
    older = visit(world.home, world.lead, world.home_school, principal_id=principal.id, visited_on=date(2026, 9, 1),
                  purpose="Principal coaching: data meetings", internal_notes="Support team eyes only",
                  next_steps="Plan the October data meeting", follow_up_on=date(2026, 9, 15), follow_up_done=True)
    newer = visit(world.home, world.supervisor, world.home_school, principal_id=principal.id, team=Team.DISTRICT,
                  visited_on=date(2026, 10, 1), purpose="Principal coaching: walkthroughs",
                  internal_notes="District staff eyes only", follow_up_on=date(2026, 10, 20))
    return older, newer


def test_the_coaching_log_is_newest_first_with_notes_as_the_book_allows(client, auth, world):
    coaching_visits(world)
    path = f"/districts/homeville/principals/{principal_of(world).id}"
    auth.sign_in(world.supervisor)
    text = client.get(path).text
    assert "Pat Principal" in text and "North Quadrant" in text and "Sol Supervisor" in text
    assert text.index("walkthroughs") < text.index("data meetings")
    assert "District staff eyes only" in text and "Support team eyes only" not in text
    assert "Plan the October data meeting" in text and "done" in text and "open" in text
    auth.sign_out()
    auth.sign_in(world.lead)
    text = client.get(path).text
    assert "Support team eyes only" in text and "District staff eyes only" not in text
    auth.sign_out()
    auth.sign_in(principal_of(world))
    text = client.get(path).text
    assert "walkthroughs" in text and "eyes only" not in text


def test_other_viewers_and_other_supervisors_may_not_read_a_coaching_log(client, auth, world):
    path = f"/districts/homeville/principals/{principal_of(world).id}"
    other_supervisor = person(Role.SCHOOL_SUPERVISOR, district=world.home, name="Otto Other")
    for who in (world.viewer, other_supervisor):
        auth.sign_in(who)
        assert client.get(path).status_code == 403
        auth.sign_out()
    auth.sign_in(world.leader)
    assert client.get(f"/districts/homeville/principals/{world.viewer.id}").status_code == 404  # leads no school


def test_a_visit_links_to_the_principal_it_coached_for_those_who_may_read_the_log(client, auth, world):
    _, newer = coaching_visits(world)
    link = f'href="/districts/homeville/principals/{principal_of(world).id}"'
    auth.sign_in(world.leader)
    assert link in client.get(f"/districts/homeville/visits/{newer.id}").text
    auth.sign_out()
    auth.sign_in(world.viewer)
    page = client.get(f"/districts/homeville/visits/{newer.id}").text
    assert "Pat Principal" in page and link not in page


# --- the supervisor's home --------------------------------------------------------------------------------

def test_a_supervisor_sees_their_cluster_first(client, auth, world):
    today = state_today()
    visit(world.home, world.lead, world.home_school, visited_on=today - timedelta(days=4),
          next_steps="Send the walkthrough summary", follow_up_on=today + timedelta(days=3))
    visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT, visited_on=today - timedelta(days=9),
          next_steps="Observe grade 3 again", follow_up_on=today - timedelta(days=1))
    auth.sign_in(world.supervisor)
    text = client.get("/").text
    assert text.index("Your cluster: North Quadrant") < text.index("Schools (")
    section = text[text.index("cluster-heading"):text.index("Schools (")]
    assert "Homeville Elementary" in section and "Pat Principal" in section and "Homeville High" not in section
    assert '<td class="num">4</td>' in section  # days since anyone's last visit, either team
    assert section.index("Observe grade 3 again") < section.index("Send the walkthrough summary")
    assert "Overdue since" in section


def test_a_supervisor_s_home_lists_the_ten_soonest_follow_ups_and_links_the_rest(client, auth, world):
    today = state_today()
    for n in range(12):
        visit(world.home, world.supervisor, world.home_school, team=Team.DISTRICT, next_steps=f"Step {n:02}",
              visited_on=today - timedelta(days=20), follow_up_on=today + timedelta(days=n))
    auth.sign_in(world.supervisor)
    text = client.get("/").text
    section = text[text.index("cluster-followups-heading"):text.index("Schools (")]
    assert "Open follow-ups in your schools (12)" in section
    assert "Step 09" in section and "Step 10" not in section
    link = f'/districts/homeville/follow-ups?cluster={world.feature_ids["own"]["cluster"]}'
    assert f'href="{link}"' in section
    assert "Step 11" in client.get(link).text


def test_the_cluster_home_sends_as_many_statements_for_ten_times_the_data(client, auth, world):
    cluster_id = world.feature_ids["own"]["cluster"]

    def grow(times: int) -> None:
        for n in range(times):
            school = SchoolFactory(district=world.home, name=f"Grown {n}-{count(School)}")
            school.cluster_id = cluster_id
            leader_for(school, grant(UserFactory(), Role.DISTRICT_VIEWER, district=world.home))
            visit(world.home, world.lead, school, follow_up_on=state_today() + timedelta(days=n))
            visit(world.home, world.supervisor, school, team=Team.DISTRICT, follow_up_on=state_today())
        db.session.flush()

    def statements() -> int:
        db.session.expire_all()
        with counted_statements() as sent:
            assert client.get("/").status_code == 200
        return len(sent)

    grow(2)
    auth.sign_in(world.supervisor)
    before = statements()
    grow(20)
    after = statements()
    print(f"cluster home statements: {before} before, {after} after")
    assert after == before


# --- /admin ------------------------------------------------------------------------------------------------

def test_an_admin_adds_a_school_leader_by_the_same_rules(client, auth, world):
    auth.sign_in(world.admin)
    school = SchoolFactory(district=world.home, name="Homeville Middle")
    newcomer = UserFactory(name="Nell Newcomer")
    form = client.get("/admin/schoolleader/new/")
    assert form.status_code == 200 and "Homeville Middle · Homeville" in form.text
    response = client.post("/admin/schoolleader/new/", data={
        "school": f"{world.home.id}-{school.id}", "person": str(newcomer.id), "position": "principal"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [(leader.school_id, leader.position) for leader in db.session.scalars(
        select(SchoolLeader).where(SchoolLeader.user_id == newcomer.id))] == [(school.id, "principal")]
    assert [(g.role, g.district_id, g.title) for g in newcomer.grants] == [
        (Role.DISTRICT_VIEWER, world.home.id, "Principal")]
    assert "Nell Newcomer" in client.get("/admin/schoolleader/").text
    other = UserFactory(name="Otis Other")
    db.session.commit()
    second = client.post("/admin/schoolleader/new/", data={
        "school": f"{world.home.id}-{world.home_school.id}", "person": str(other.id), "position": "principal"})
    assert "Homeville Elementary already has principal Pat Principal" in second.text
    assert count(SchoolLeader, SchoolLeader.user_id == other.id) == 0 and other.grants == []
