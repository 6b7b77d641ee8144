"""Principals' evaluations outside a cycle's page: the evaluator's overview (each person sees the cycles of their
circle, steps and ratings computed from dates and issued versions), the summative PDF, the home page's word on
evaluations, and what platform admins see of them in /admin (counts, never content)."""
import io
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.accounts.models import RoleGrant
from app.clock import school_year_start, state_today
from app.evaluations.framework import OVERALL, RATED, Assessment, GoalKind, PerformanceRating, Step, rated_label
from app.evaluations.models import EvaluationCycle, EvaluationReport, EvaluationStep
from app.evaluations.overview_services import overview_of
from app.extensions import db
from tenants.access import scope_for_user
from tenants.roles import Role
from tenants.scope import entered
from tests import factories
from tests.factories_evaluations import HOME_EVALUATION, cycle_for
from tests.factories_school_people import leader_for
from tests.orm_filter import orm_filter_off
from tests.test_api import counted_statements

TODAY = state_today()
THIS_YEAR = school_year_start(TODAY).year
OVERVIEW = "/districts/homeville/evaluations"


def switch_to(auth, person) -> None:
    """Sign in as `person`, whoever was signed in before."""
    auth.sign_out()
    auth.sign_in(person)


def people(world) -> dict:
    return {**world.people(), **world.privacy_people}


def home_cycle(world) -> EvaluationCycle:
    return db.session.get(EvaluationCycle, (world.home.id, world.feature_ids["own"]["cycle"]))


def principal_at(world, name: str, school=None, cluster=None):
    """A new principal of a new school of the home district (in `cluster` if given)."""
    school = school or factories.SchoolFactory(district=world.home, name=f"{name} School")
    if cluster is not None:
        school.cluster_id = cluster
    person = factories.person(Role.DISTRICT_VIEWER, district=world.home, name=name)
    leader_for(school, person)
    return person, school


def issue(cycle, assessment: Assessment, overall: PerformanceRating | None, issued=True, signed=False,
          **fields) -> EvaluationReport:
    """The next version of the formative or summative (the draft being written, if there is one), issued unless
    `issued=False`; its content shaped as the services freeze it (EvaluationReport's docstring)."""
    rating = overall or PerformanceRating.PROFICIENT
    ratings = [{"standard": code, "label": rated_label(code), "rating": rating.value, "rating_label": rating.label,
                "rationale": f"Rationale for {code}."} for code in RATED if overall is not None or code != OVERALL]
    content = {"school_year": cycle.school_year_label, "principal": cycle.principal.name,
               "evaluator": cycle.evaluator.name, "school": cycle.school.name,
               "plan_type": "Self-directed growth plan", "plan_months": 12,
               "assessment": "Summative evaluation" if assessment is Assessment.SUMMATIVE else "Formative assessment",
               "ratings": ratings, "goals": [], "evidence": []} | fields.pop("content", {})
    versions = list(db.session.scalars(select(EvaluationReport).where(
        EvaluationReport.district_id == cycle.district_id, EvaluationReport.cycle_id == cycle.id,
        EvaluationReport.assessment == assessment).order_by(EvaluationReport.version)))
    draft = next((v for v in versions if v.issued_at is None), None)
    report = draft or EvaluationReport(district_id=cycle.district_id, cycle_id=cycle.id, assessment=assessment,
                                       version=len(versions) + 1)
    now = datetime.now(UTC).replace(tzinfo=None)
    report.content, report.issued_at, report.signed_at = content, now if issued else None, now if signed else None
    for name, value in fields.items():
        setattr(report, name, value)
    db.session.add(report)
    db.session.flush()
    return report


def set_steps(cycle, **due_and_done) -> None:
    """`self_assessment=(due_on, completed_on)`, ... for the cycle's step rows."""
    for row in db.session.scalars(select(EvaluationStep).where(EvaluationStep.district_id == cycle.district_id,
                                                               EvaluationStep.cycle_id == cycle.id)):
        if row.step in due_and_done:
            row.due_on, row.completed_on = due_and_done[row.step]
    db.session.flush()


def table_of(page: str, caption: str) -> str:
    start = page.index(caption)
    return page[start:page.index("</table>", start)]


# The overview, per person

@pytest.mark.parametrize("who, sees_pat", [
    ("school_supervisor", True),  # Pat's evaluator
    ("principal", True),  # Pat
    ("superintendent", True),
    ("other_supervisor", False),
    ("district_leader", False),  # a district leader not granted "sees evaluations"
    ("district_viewer", False),
])
def test_each_of_the_district_s_people_sees_the_cycles_of_their_circle(client, auth, world, who, sees_pat):
    switch_to(auth, people(world)[who])
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = response.text
    assert ("Pat Principal" in page) is sees_pat
    assert ("Cycles (1 principal)" in page) is sees_pat
    if not sees_pat:
        assert "is yours to see" in page
    assert HOME_EVALUATION not in page  # the overview shows where a cycle stands, never what it says


@pytest.mark.parametrize("who", ["platform_admin", "regional_director", "assistance_lead"])
def test_the_support_team_and_platform_admins_are_refused_the_overview(client, auth, world, who):
    switch_to(auth, people(world)[who])
    response = client.get(OVERVIEW)
    assert response.status_code == 403
    assert "evaluator, the principal and the superintendent only" in response.text


def test_current_step_and_overdue_steps_come_from_the_dates(client, auth, world):
    cycle = home_cycle(world)
    set_steps(cycle, implementation=(TODAY - timedelta(days=10), None), formative=(TODAY + timedelta(days=20), None),
              summative=(TODAY - timedelta(days=1), None), goals_and_plan=(TODAY - timedelta(days=30), TODAY))
    with entered(scope_for_user(world.supervisor)):
        [line] = overview_of(world.home, world.supervisor, scope_for_user(world.supervisor), THIS_YEAR, TODAY).lines
    assert line.current_step is Step.IMPLEMENTATION and line.current_due == TODAY - timedelta(days=10)
    # A step done late is not overdue; one due today or later is not yet.
    assert [(o.step, o.due_on) for o in line.overdue] == [(Step.IMPLEMENTATION, TODAY - timedelta(days=10)),
                                                          (Step.SUMMATIVE, TODAY - timedelta(days=1))]
    switch_to(auth, world.supervisor)
    row = table_of(client.get(OVERVIEW).text, "cycles-caption")
    assert "3. Implementation of the plan" in row and "5. Summative evaluation, due" in row

    set_steps(cycle, **{step.value: (None, TODAY) for step in Step})
    db.session.expire_all()
    assert "Complete" in table_of(client.get(OVERVIEW).text, "cycles-caption")


def test_the_last_visit_to_the_school_and_the_last_coaching_of_the_principal(client, auth, world):
    pat = world.privacy_people["principal"]
    other_school = factories.SchoolFactory(district=world.home, name="Homeville Annex")
    factories.visit(world.home, world.supervisor, world.home_school, visited_on=TODAY - timedelta(days=3))
    # Pat coached at the district office, and at another school: both coach Pat; neither is a visit to Pat's school.
    factories.visit(world.home, world.supervisor, None, principal_id=pat.id, visited_on=TODAY - timedelta(days=8))
    factories.visit(world.home, world.lead, other_school, principal_id=pat.id, visited_on=TODAY - timedelta(days=5))
    with entered(scope_for_user(world.supervisor)):
        [line] = overview_of(world.home, world.supervisor, scope_for_user(world.supervisor), THIS_YEAR, TODAY).lines
    assert (line.last_visit, line.last_coaching) == (TODAY - timedelta(days=3), TODAY - timedelta(days=5))


def test_the_ratings_distribution_counts_each_principal_once_by_the_latest_issued_overall_rating(client, auth, world):
    superintendent = world.privacy_people["superintendent"]
    made = []
    for name in ("Ana Able", "Ben Bold", "Cy Clear", "Di Deep", "Ed Early"):
        principal, school = principal_at(world, name)
        made.append(cycle_for(principal, world.supervisor, school, f"Secret of {name}"))
    ana, ben, cy, di, ed = made
    issue(ana, Assessment.SUMMATIVE, PerformanceRating.PROFICIENT)
    issue(ben, Assessment.FORMATIVE, PerformanceRating.EXEMPLARY)  # the summative, when issued, wins
    issue(ben, Assessment.SUMMATIVE, PerformanceRating.NEEDS_IMPROVEMENT)
    issue(cy, Assessment.FORMATIVE, PerformanceRating.PROFICIENT)  # no summative yet: the formative's
    issue(di, Assessment.SUMMATIVE, PerformanceRating.UNSATISFACTORY)
    issue(di, Assessment.SUMMATIVE, PerformanceRating.NEEDS_IMPROVEMENT, correction_reason="Typo")
    issue(ed, Assessment.SUMMATIVE, PerformanceRating.EXEMPLARY, issued=False)  # a draft counts for nothing
    with entered(scope_for_user(superintendent)):
        found = overview_of(world.home, superintendent, scope_for_user(superintendent), THIS_YEAR, TODAY)
    assert dict(found.distribution) == {PerformanceRating.EXEMPLARY: 0, PerformanceRating.PROFICIENT: 2,
                                        PerformanceRating.NEEDS_IMPROVEMENT: 2, PerformanceRating.UNSATISFACTORY: 0}
    assert found.unrated == 2  # Ed (a draft only) and Pat (nothing issued)

    switch_to(auth, superintendent)
    page = client.get(OVERVIEW).text
    numbers = table_of(page, "ratings-caption")
    for label, count in (("Exemplary", 0), ("Proficient", 2), ("Needs improvement", 2), ("Unsatisfactory", 0),
                         ("Not rated yet", 2)):
        assert f'<th scope="row">{label}</th><td class="num">{count}</td>' in numbers, label
    assert "<svg" in page and "Principals by overall rating" in page


def test_principals_without_a_cycle_are_listed_for_whom_starts_them(client, auth, world):
    cluster = world.feature_ids["own"]["cluster"]
    principal_at(world, "Nina Noyear", cluster=cluster)  # in the supervisor's cluster, no cycle
    principal_at(world, "Oscar Outside")  # in no cluster

    switch_to(auth, world.privacy_people["superintendent"])
    page = client.get(OVERVIEW).text
    assert "Principals with no cycle this year (2)" in page
    assert "Nina Noyear, Nina Noyear School" in page and "Oscar Outside" in page

    switch_to(auth, world.supervisor)
    page = client.get(OVERVIEW).text
    assert "Principals of your clusters with no cycle of yours this year (1)" in page
    assert "Nina Noyear" in page and "Oscar Outside" not in page

    for who in ("principal", "district_viewer", "other_supervisor"):
        switch_to(auth, people(world)[who])
        assert "with no cycle" not in client.get(OVERVIEW).text, who


def test_a_past_school_year_is_chosen_and_a_bad_one_is_explained(client, auth, world):
    pat = world.privacy_people["principal"]
    cycle_for(pat, world.supervisor, world.home_school, "Last year's secret", school_year=THIS_YEAR - 1)
    switch_to(auth, world.supervisor)
    page = client.get(OVERVIEW).text
    last = f"{THIS_YEAR - 1}-{THIS_YEAR % 100:02d}"
    assert f'<option value="{THIS_YEAR - 1}">{last}</option>' in page
    page = client.get(f"{OVERVIEW}?year={THIS_YEAR - 1}").text
    assert f"Principals' evaluations, {last}" in page and "Cycles (1 principal)" in page
    response = client.get(f"{OVERVIEW}?year=next")
    assert response.status_code == 400 and "Give a whole number" in response.text


def test_the_overview_downloads_as_csv(client, auth, world):
    switch_to(auth, world.supervisor)
    response = client.get(f"{OVERVIEW}?format=csv")
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Principal,School,Evaluator,Current step")
    assert lines[1].startswith("Pat Principal,Homeville Elementary,Sol Supervisor,Implementation of the plan")
    assert HOME_EVALUATION not in response.data.decode()


def test_the_overview_sends_as_many_statements_for_more_cycles(client, auth, world):
    superintendent = world.privacy_people["superintendent"]
    switch_to(auth, superintendent)

    def grow(names):
        for name in names:
            principal, school = principal_at(world, name, cluster=world.feature_ids["own"]["cluster"])
            cycle = cycle_for(principal, world.supervisor, school, f"Secret of {name}")
            set_steps(cycle, implementation=(TODAY - timedelta(days=2), None))
            issue(cycle, Assessment.FORMATIVE, PerformanceRating.PROFICIENT)
            issue(cycle, Assessment.SUMMATIVE, PerformanceRating.EXEMPLARY)
            factories.visit(world.home, world.supervisor, school, principal_id=principal.id)
        principal_at(world, f"Unstarted {names[0]}")

    def statements() -> int:
        db.session.expire_all()
        with counted_statements() as sent:
            page = client.get(OVERVIEW)
            assert page.status_code == 200
        return len(sent)

    grow(["Ann One"])
    few = statements()
    grow([f"Many {n}" for n in range(10)])
    assert statements() == few
    assert "Cycles (12 principals)" in client.get(OVERVIEW).text


# The summative PDF

def page_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


def test_the_summative_pdf_prints_the_latest_issued_version_as_the_district_files_it(client, auth, world):
    cycle = home_cycle(world)
    goals = [{"kind": GoalKind.STUDENT_LEARNING.value, "kind_label": "Student learning goal",
              "title": "Grade 3 reading to 70% proficient", "progress": "significant_progress",
              "progress_label": "Significant progress", "note": "From 58% to 66%."}]
    evidence = [{"title": "Walkthrough of grade 3 literacy block", "collected_on": "2026-10-02",
                 "indicators": ["I-B", "IV-A"]}]
    issue(cycle, Assessment.SUMMATIVE, PerformanceRating.UNSATISFACTORY, content={"goals": goals})
    issue(cycle, Assessment.SUMMATIVE, PerformanceRating.PROFICIENT,
          correction_reason="The overall rating was entered on the wrong line.", signed=True,
          response="I thank my evaluator and note the new reading coach.",
          content={"goals": goals, "evidence": evidence})
    switch_to(auth, world.supervisor)
    response = client.get(f"{OVERVIEW}/{cycle.id}/summative.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    text = page_text(response.data)
    for expected in ("Homeville", "Pat Principal", "Homeville Elementary", "Sol Supervisor", cycle.school_year_label,
                     "Self-directed growth plan, 12 months", "Standard I: Instructional Leadership",
                     "Standard IV: Professional Culture", "Overall", "Proficient", "Rationale for overall.",
                     "Student learning goal: Grade 3 reading to 70% proficient", "Significant progress",
                     "From 58% to 66%.", "Walkthrough of grade 3 literacy block", "I-B Instruction",
                     "IV-A Commitment to High Standards", "Version 2",
                     "The overall rating was entered on the wrong line.", "Signed by Pat Principal on",
                     "I thank my evaluator and note the new reading coach."):
        assert expected in text, expected
    assert "Unsatisfactory" not in text  # the version it corrected


def test_the_summative_pdf_before_one_is_issued_says_so(client, auth, world):
    cycle = home_cycle(world)
    issue(cycle, Assessment.SUMMATIVE, PerformanceRating.PROFICIENT, issued=False)  # being written
    switch_to(auth, world.privacy_people["principal"])
    response = client.get(f"{OVERVIEW}/{cycle.id}/summative.pdf")
    assert response.status_code == 404
    assert "No summative evaluation of Pat Principal" in response.text and "has been issued yet" in response.text


@pytest.mark.parametrize("wall", ["both walls", "row security alone"])
def test_the_summative_pdf_is_the_circle_s_only(client, auth, world, wall):
    cycle = home_cycle(world)
    issue(cycle, Assessment.SUMMATIVE, PerformanceRating.PROFICIENT)
    url = f"{OVERVIEW}/{cycle.id}/summative.pdf"
    with orm_filter_off() if wall == "row security alone" else nullcontext():
        for who, person in people(world).items():
            switch_to(auth, person)
            response = client.get(url)
            in_circle = who in ("school_supervisor", "principal", "superintendent")
            assert response.status_code == (200 if in_circle else 404), who
            if not in_circle:  # not found, never "not issued yet"
                assert "No summative evaluation" not in response.text and "Pat Principal" not in response.text, who


# The home page

def test_a_principal_is_told_there_is_something_to_sign_and_nothing_of_it(client, auth, world):
    cycle = home_cycle(world)
    now = datetime.now(UTC).replace(tzinfo=None)
    for report in db.session.scalars(select(EvaluationReport).where(EvaluationReport.cycle_id == cycle.id)):
        report.signed_at = report.signed_at or now  # whatever the world issued is signed: nothing waits
    db.session.flush()
    switch_to(auth, world.privacy_people["principal"])
    assert "something to sign" not in client.get("/").text
    first = issue(cycle, Assessment.FORMATIVE, PerformanceRating.PROFICIENT)
    page = client.get("/").text
    assert "Your evaluation: something to sign." in page
    assert f'href="/districts/homeville/evaluations/{cycle.id}"' in page
    assert HOME_EVALUATION not in page and "Proficient" not in page and "Rationale" not in page
    first.signed_at = now
    db.session.flush()
    assert "something to sign" not in client.get("/").text
    # A correction being written is not for signing yet; once issued, it is.
    correction = issue(cycle, Assessment.FORMATIVE, PerformanceRating.EXEMPLARY, issued=False)
    assert "something to sign" not in client.get("/").text
    correction.issued_at = now
    db.session.flush()
    assert "Your evaluation: something to sign." in client.get("/").text


def test_an_evaluator_sees_their_principals_and_overdue_steps_with_a_link_to_the_overview(client, auth, world):
    set_steps(home_cycle(world), implementation=(TODAY - timedelta(days=4), None),
              formative=(TODAY - timedelta(days=1), None))
    switch_to(auth, world.supervisor)
    page = client.get("/").text
    assert "You evaluate 1 principal this school year" in page and "2 overdue steps" in page
    assert 'href="/districts/homeville/evaluations">Open the overview' in page
    assert HOME_EVALUATION not in page and "something to sign" not in page


def test_the_superintendent_is_given_the_overview_and_others_nothing_of_evaluations(client, auth, world):
    switch_to(auth, world.privacy_people["superintendent"])
    page = client.get("/").text
    assert "You read every principal's evaluation in Homeville." in page
    assert 'href="/districts/homeville/evaluations">Open the overview of Homeville' in page
    for who in ("district_leader", "district_viewer", "other_supervisor", "assistance_lead", "platform_admin"):
        switch_to(auth, people(world)[who])
        assert 'id="evaluations-heading"' not in client.get("/").text, who


@pytest.mark.parametrize("who, statements", [("district_viewer", 1), ("other_supervisor", 1),
                                              ("assistance_lead", 0), ("platform_admin", 0)])
def test_home_asks_of_evaluations_once_for_the_district_s_people_and_never_for_the_support_team(
        client, auth, world, who, statements):
    switch_to(auth, people(world)[who])
    db.session.expire_all()
    with counted_statements() as sent:
        assert client.get("/").status_code == 200
    assert sum("evaluation_" in statement for statement in sent) == statements


def test_home_statements_do_not_grow_with_an_evaluator_s_cycles(client, auth, world):
    switch_to(auth, world.supervisor)

    def statements() -> int:
        db.session.expire_all()
        with counted_statements() as sent:
            assert client.get("/").status_code == 200
        return len(sent)

    few = statements()
    for n in range(5):
        principal, school = principal_at(world, f"Principal {n}")
        set_steps(cycle_for(principal, world.supervisor, school, f"Secret {n}"),
                  implementation=(TODAY - timedelta(days=1), None))
    assert statements() == few
    assert "You evaluate 6 principals this school year" in client.get("/").text


# Navigation

@pytest.mark.parametrize("who, shown", [("district_leader", True), ("district_viewer", True),
                                        ("school_supervisor", True), ("assistance_lead", False),
                                        ("platform_admin", False)])
def test_the_evaluations_link_is_for_the_district_s_own_people(client, auth, world, who, shown):
    switch_to(auth, people(world)[who])
    page = client.get("/districts/homeville").text
    assert ('href="/districts/homeville/evaluations"' in page) is shown, who


# /admin: counts, never content

def test_platform_admins_see_how_many_cycles_each_district_keeps_and_nothing_of_them(client, auth, world):
    pat, school = world.privacy_people["principal"], world.home_school
    cycle_for(pat, world.supervisor, school, "Last year's secret", school_year=THIS_YEAR - 1)
    switch_to(auth, world.admin)
    page = client.get("/admin/evaluation_cycles/").text
    assert '<th scope="row">Homeville</th><td class="text-right">2</td>' in page
    assert '<th scope="row">Faraway</th><td class="text-right">1</td>' in page
    for private in (HOME_EVALUATION, "Last year's secret", "Pat Principal", "Sol Supervisor"):
        assert private not in page, private
    switch_to(auth, world.privacy_people["superintendent"])
    assert client.get("/admin/evaluation_cycles/").status_code == 403


def test_no_admin_view_lists_an_evaluation_model(app):
    from tenants.personnel import PersonnelRecord, PersonnelRecordPart

    admin = app.extensions["admin"][0]
    models = [getattr(view, "model", None) for view in admin._views]
    assert not [m for m in models if m is not None and issubclass(m, (PersonnelRecord, PersonnelRecordPart))]


def _grant_form(grant, **changes) -> dict:
    return {"user": str(grant.user_id), "role": grant.role, "region": "", "district": str(grant.district_id or ""),
            "title": grant.title or "", **({"sees_evaluations": "y"} if changes.pop("sees", False) else {}), **changes}


def test_sees_evaluations_is_granted_in_admin_to_a_district_leader_and_refused_on_any_other_grant(client, auth, world):
    switch_to(auth, world.admin)
    supervisor_grant = world.supervisor.grants[0]
    response = client.post(f"/admin/rolegrant/edit/?id={supervisor_grant.id}", data=_grant_form(supervisor_grant, sees=True))
    assert response.status_code == 200
    assert "Only a district leader&#39;s grant may see evaluations" in response.text
    assert "CHECK" not in response.text and "sees_evaluations_is_a_leaders" not in response.text
    db.session.expire_all()
    assert supervisor_grant.sees_evaluations is False

    leader_grant = world.leader.grants[0]
    response = client.post(f"/admin/rolegrant/edit/?id={leader_grant.id}", data=_grant_form(leader_grant, sees=True),
                           follow_redirects=True)
    assert "Record was successfully saved." in response.text
    db.session.expire_all()
    assert db.session.get(RoleGrant, leader_grant.id).sees_evaluations is True
    switch_to(auth, world.leader)
    assert "Pat Principal" in client.get(OVERVIEW).text  # now the superintendent
