"""The regional dashboard: every figure against a small data set computed by hand, its isolation,
its exports, and a statement count that does not grow with the number of districts.

The data set (region North; South is another director's), period 1 Sep to 26 Oct 2026 (8 weeks):

    Alpha  focused/targeted, 5,000 students: A1 and A2 need assistance, A3 meets targets
    Beta   partially meeting, 2,000 students: B1 needs assistance (never visited), B2 meets targets
    Gamma  meeting targets, 1,000 students: G1, no school needing assistance, no visit
    Delta  (South) D1 needs assistance

    Lou (lead in Alpha and Beta) visits A1 on 20 Oct (120 min, direct coaching) and 10 Sep (60 min,
    no support named), A2 on 20 Aug (90 min, before the period) and 5 Nov (30 min, after it), Beta's office
    on 1 Oct (30 min, follow-up due 15 Oct, not done: overdue), A3 on 5 Oct (60 min, follow-up 1 Nov).
    Nia (lead in Beta) has no visits. Sol (lead in Delta) visits D1 on 10 Oct (45 min).
"""
from datetime import date

import pytest
from sqlalchemy import event

from app.extensions import db
from app.fieldwork.models import AssignmentStatus
from app.regional.services import (
    Criteria,
    capacity_by_lead,
    coverage_by_district,
    coverage_by_school,
    deployment_by_district,
    plan_progress_by_district,
    regional_dashboard,
    school_year_start,
)
from tenants.lookup import cross_district_reads
from tenants.models import AccountabilityStatus as S
from tenants.roles import Role
from tests import factories as f
from tests import factories_plans as plans

START, END = date(2026, 9, 1), date(2026, 10, 26)
PERIOD = {"from": "2026-09-01", "to": "2026-10-26"}


class Region:
    """The hand-built data set of the module docstring."""

    def __init__(self):
        north, south = f.RegionFactory(name="North"), f.RegionFactory(name="South")
        self.alpha = f.DistrictFactory(name="Alpha", slug="alpha", region=north, enrollment=5000)
        self.beta = f.DistrictFactory(name="Beta", slug="beta", region=north, enrollment=2000,
                                      accountability_status=S.PARTIALLY_MEETING_TARGETS)
        self.gamma = f.DistrictFactory(name="Gamma", slug="gamma", region=north, enrollment=1000,
                                       accountability_status=S.MEETING_TARGETS)
        self.delta = f.DistrictFactory(name="Delta", slug="delta", region=south)
        school = f.SchoolFactory
        self.a1 = school(district=self.alpha, name="A1 Elementary", accountability_category=S.FOCUSED_TARGETED)
        self.a2 = school(district=self.alpha, name="A2 Middle", accountability_category=S.BROAD_COMPREHENSIVE)
        self.a3 = school(district=self.alpha, name="A3 High")
        self.b1 = school(district=self.beta, name="B1 Elementary", accountability_category=S.FOCUSED_TARGETED)
        school(district=self.beta, name="B2 High")
        school(district=self.gamma, name="G1 Elementary")
        self.d1 = school(district=self.delta, name="D1 Elementary", accountability_category=S.FOCUSED_TARGETED)
        self.lou = f.person(Role.ASSISTANCE_LEAD, district=self.alpha, name="Lou Lead")
        f.grant(self.lou, Role.ASSISTANCE_LEAD, district=self.beta)
        self.nia = f.person(Role.ASSISTANCE_LEAD, district=self.beta, name="Nia Novisits")
        self.sol = f.person(Role.ASSISTANCE_LEAD, district=self.delta, name="Sol South")
        self.director = f.person(Role.REGIONAL_DIRECTOR, region=north, name="Nora North")
        self.south_director = f.person(Role.REGIONAL_DIRECTOR, region=south, name="Sid South")
        self.admin = f.person(Role.PLATFORM_ADMIN, name="Ada Admin")
        coaching, inquiry = f.support_type("Direct coaching").id, f.support_type("Data inquiry").id
        # Entirely in the period: 150 hours. A year of 365 hours, 56 days of it in the period: 56 hours.
        alpha_coaching = f.assignment(self.alpha, self.lou, self.a1, support_type_id=coaching,
                                      starts_on=START, ends_on=END, planned_hours=150)
        f.assignment(self.beta, self.lou, self.b1, support_type_id=inquiry,
                                    starts_on=date(2026, 7, 1), ends_on=date(2027, 6, 30), planned_hours=365)
        # Open-ended from the period's start: all of it counts. Cancelled: none of it.
        f.assignment(self.beta, self.nia, support_type_id=inquiry, starts_on=START, planned_hours=40)
        f.assignment(self.beta, self.nia, support_type_id=inquiry, starts_on=START, planned_hours=500,
                     status=AssignmentStatus.CANCELLED)
        f.assignment(self.delta, self.sol, self.d1, starts_on=START, planned_hours=300)
        visit = f.visit
        visit(self.alpha, self.lou, self.a1, [alpha_coaching], visited_on=date(2026, 10, 20), minutes=120)
        visit(self.alpha, self.lou, self.a1, visited_on=date(2026, 9, 10), minutes=60)
        visit(self.alpha, self.lou, self.a2, visited_on=date(2026, 8, 20), minutes=90)
        visit(self.alpha, self.lou, self.a2, visited_on=date(2026, 11, 5), minutes=30)
        visit(self.beta, self.lou, None, visited_on=date(2026, 10, 1), minutes=30, follow_up_on=date(2026, 10, 15))
        visit(self.alpha, self.lou, self.a3, visited_on=date(2026, 10, 5), minutes=60,
              follow_up_on=date(2026, 11, 1))
        visit(self.delta, self.sol, self.d1, visited_on=date(2026, 10, 10), minutes=45)


@pytest.fixture
def region():
    return Region()


def figures(user, section, criteria=None, **kwargs):
    with cross_district_reads(user):
        return section(criteria or Criteria(start=START, end=END), **kwargs)


def test_coverage_headline_and_districts(region):
    coverage = figures(region.director, coverage_by_district)
    # A1 last seen 20 Oct (6 days), A2 20 Aug (67 days; the 5 Nov visit is after the period), B1 never.
    assert coverage.totals == {
        "needing": 3, "never_visited": 1, "overdue": 1,
        "visited_30": 1, "share_30": 33, "visited_60": 1, "share_60": 33, "visited_90": 2, "share_90": 67,
        "share_never": 33,
    }
    # Gamma has no school needing assistance; Delta is another region's. Least covered first.
    assert [(r.district, r.needing, r.visited_30, r.visited_60, r.visited_90, float(r.share_90),
             r.never_visited, r.last_visit, r.days_since, r.overdue) for r in coverage.rows] == [
        ("Beta", 1, 0, 0, 0, 0.0, 1, date(2026, 10, 1), 25, 1),
        ("Alpha", 2, 1, 1, 2, 100.0, 0, date(2026, 10, 20), 6, 0),
    ]
    assert coverage.total == 2


def test_coverage_by_school_puts_never_visited_first_and_sorts(region):
    schools = figures(region.director, coverage_by_school)
    assert [(r.school, r.last_visit, r.days_since) for r in schools.rows] == [
        ("B1 Elementary", None, None), ("A2 Middle", date(2026, 8, 20), 67), ("A1 Elementary", date(2026, 10, 20), 6),
    ]
    by_name = figures(region.director, coverage_by_school, sort="school", limit=2)
    assert [r.school for r in by_name.rows] == ["A1 Elementary", "A2 Middle"] and by_name.total == 3


def test_capacity_per_lead_and_team(region):
    capacity = figures(region.director, capacity_by_lead)
    # Capacity: 8 weeks x 20 hours = 160 per lead. Lou: 150 + 56 planned = 206 (129%, over-loaded);
    # delivered 120 + 60 + 30 + 60 minutes = 4.5 hours in 4 visits (0.5 a week). Nia: 40 planned (25%).
    assert [(r.lead, r.districts, r.schools, float(r.planned_hours), float(r.delivered_hours), r.visits,
             float(r.visits_per_week), float(r.load), r.flag) for r in capacity.rows] == [
        ("Lou Lead", 2, 2, 206.0, 4.5, 4, 0.5, 129.0, "over"),
        ("Nia Novisits", 1, 0, 40.0, 0.0, 0, 0.0, 25.0, "under"),
    ]
    assert capacity.totals == {"leads": 2, "capacity": 320.0, "planned": 246.0, "delivered": 4.5, "visits": 4,
                               "lead_capacity": 160.0, "weekly_hours": 20}


def test_deployment_against_need_and_the_median(region):
    deployment = figures(region.director, deployment_by_district)
    # Alpha 240 minutes = 4 hours for 2 schools (2.0), Beta 0.5 hours for 1 (0.5): median 1.25.
    assert [(r.district, r.needing, float(r.hours), r.hours_per_school and float(r.hours_per_school),
             float(r.hours_per_thousand), r.ratio and float(r.ratio), r.flag) for r in deployment.rows] == [
        ("Beta", 1, 0.5, 0.5, 0.25, 0.4, "below"),
        ("Alpha", 2, 4.0, 2.0, 0.8, 1.6, None),
        ("Gamma", 0, 0.0, None, 0.0, None, None),
    ]
    assert deployment.totals == {"median": 1.25, "below": 1, "above": 0}


def test_a_support_type_narrows_visits_and_plans(region):
    coaching = Criteria(start=START, end=END, support_type_id=f.support_type("Direct coaching").id)
    capacity = figures(region.director, capacity_by_lead, coaching)
    assert [(r.lead, float(r.planned_hours), float(r.delivered_hours), r.visits) for r in capacity.rows] == [
        ("Lou Lead", 150.0, 2.0, 1), ("Nia Novisits", 0.0, 0.0, 0),
    ]
    schools = figures(region.director, coverage_by_school, coaching)
    # Only the 20 Oct visit served direct coaching: A2 counts as never visited for it.
    assert [(r.school, r.days_since) for r in schools.rows] == [
        ("A2 Middle", None), ("B1 Elementary", None), ("A1 Elementary", 6),
    ]


def test_a_status_keeps_only_its_districts(region):
    focused = Criteria(start=START, end=END, status=S.FOCUSED_TARGETED.value)
    coverage = figures(region.director, coverage_by_district, focused)
    assert [r.district for r in coverage.rows] == ["Alpha"] and coverage.totals["needing"] == 2
    capacity = figures(region.director, capacity_by_lead, focused)
    # Only Alpha's grant, assignment and visits of Lou count; Nia works in Beta alone.
    assert [(r.lead, r.districts, float(r.planned_hours), float(r.delivered_hours)) for r in capacity.rows] == [
        ("Lou Lead", 1, 150.0, 4.0),
    ]


def test_plan_health_and_equity_goals_per_district(region):
    plan = plans.plan_for(region.alpha, region.lou)
    strategy = plans.strategy_for(plans.priority_for(plan))
    late = plans.action_for(strategy, plan, region.lou, title="Late", starts_on=date(2026, 8, 1), due_on=date(2026, 10, 1))
    plans.action_for(strategy, plan, region.lou, title="Over budget", allocated_cents=100, spent_cents=200,
                     due_on=date(2027, 6, 1))
    plans.added(plans.Risk(district_id=region.alpha.id, plan_id=plan.id, action_id=late.id, title="No staff",
                           severity="high"))
    # Baseline 20 (2025), target 40 (2029): the line expects 25 in 2026; 30 is on track, 22 is not.
    plans.measurement_for(plans.goal_for(region.alpha), 2026, "30.00")
    plans.measurement_for(plans.goal_for(region.alpha, student_group="Students with disabilities"), 2026, "22.00")
    section = figures(region.director, plan_progress_by_district, sort="district")
    rows = {row.district: row for row in section.rows}
    assert set(rows) == {"Alpha", "Beta", "Gamma"}
    alpha = rows["Alpha"]
    assert (alpha.actions, alpha.overdue, alpha.over_budget, alpha.open_high_risks) == (2, 1, 1, 1)
    assert (alpha.on_track, alpha.off_track) == (1, 1)
    assert (rows["Beta"].actions, rows["Beta"].problems, rows["Beta"].on_track) == (0, 0, 0)
    assert section.totals == {"without_actions": 2, "with_problems": 1, "on_track": 1, "off_track": 1}
    assert [row.district for row in figures(region.director, plan_progress_by_district).rows][0] == "Alpha"


def test_school_year_start():
    assert school_year_start(date(2026, 10, 26)) == date(2026, 7, 1)
    assert school_year_start(date(2027, 3, 1)) == date(2026, 7, 1)
    assert school_year_start(date(2026, 7, 1)) == date(2026, 7, 1)


# --- through HTTP ---------------------------------------------------------------------------------


def test_the_director_s_page_shows_coverage_first(client, auth, region):
    auth.sign_in(region.director)
    response = client.get("/rollups/", query_string=PERIOD)
    assert response.status_code == 200
    page = response.text
    assert page.index("Coverage of schools needing assistance") < page.index("Capacity of the assistance leads")
    assert "B1 Elementary" in page and "Never visited" in page and "Lou Lead" in page
    assert f'href="/districts/beta/schools/{region.b1.id}"' in page
    assert "<svg" in page and " style=" not in page and "<style" not in page and "<script>" not in page


def test_other_regions_are_never_seen(client, auth, region):
    auth.sign_in(region.south_director)
    page = client.get("/rollups/", query_string=PERIOD).text
    assert "Delta" in page and "Sol South" in page
    for name in ("Alpha", "Beta", "Gamma", "A1 Elementary", "B1 Elementary", "Lou Lead", "Nia Novisits"):
        assert name not in page
    # Asking for the other region by its id gives nothing of it either.
    north = region.alpha.region_id
    page = client.get("/rollups/", query_string={**PERIOD, "region": north}).text
    assert "Alpha" not in page and "Lou Lead" not in page
    csv = client.get("/rollups/", query_string={**PERIOD, "format": "csv", "table": "coverage-schools"}).text
    assert "D1 Elementary" in csv and "A1 Elementary" not in csv


def test_the_admin_sees_every_region_and_may_narrow_to_one(client, auth, region):
    auth.sign_in(region.admin)
    page = client.get("/rollups/", query_string=PERIOD).text
    assert "Alpha" in page and "Delta" in page
    page = client.get("/rollups/", query_string={**PERIOD, "region": region.delta.region_id}).text
    assert "Delta" in page and "Alpha" not in page


@pytest.mark.parametrize("role", [Role.ASSISTANCE_LEAD, Role.DISTRICT_LEADER, Role.DISTRICT_VIEWER])
def test_other_roles_are_refused(client, auth, region, role):
    auth.sign_in(f.person(role, district=region.alpha))
    for query in (PERIOD, {"format": "csv", "table": "capacity"}, {"from": "nonsense"}):
        response = client.get("/rollups/", query_string=query)
        assert response.status_code == 403
        assert "B1 Elementary" not in response.text


def test_a_stranger_is_asked_to_sign_in(client):
    response = client.get("/rollups/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_exports_follow_the_filters_and_the_order(client, auth, region):
    auth.sign_in(region.director)
    query = {**PERIOD, "format": "csv", "table": "coverage-schools", "sort-coverage-schools": "school"}
    response = client.get("/rollups/", query_string=query)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines == [
        "District,School,Accountability,Last visit,Days since",
        "Alpha,A1 Elementary,Requiring assistance: focused/targeted support,2026-10-20,6",
        "Alpha,A2 Middle,Requiring intervention: broad/comprehensive support,2026-08-20,67",
        "Beta,B1 Elementary,Requiring assistance: focused/targeted support,,",
    ]
    capacity = client.get("/rollups/", query_string={**PERIOD, "format": "xlsx", "table": "capacity"})
    assert capacity.status_code == 200 and capacity.data[:2] == b"PK"


def test_bad_filters_are_explained(client, auth, region):
    auth.sign_in(region.director)
    for query in ({"from": "2026-10-01", "to": "2026-09-01"}, {"format": "csv"}, {"sort-capacity": "password"},
                  {"status": "excellent"}):
        response = client.get("/rollups/", query_string=query)
        assert response.status_code == 400, query
        assert "Check the filters" in response.text


# --- statements do not grow with districts --------------------------------------------------------


def _districts_with_activity(region_row, count: int, lead) -> None:
    for number in range(count):
        district = f.DistrictFactory(region=region_row)
        plan = plans.plan_for(district, lead)
        plans.action_for(plans.strategy_for(plans.priority_for(plan)), plan, lead, due_on=date(2026, 10, 1))
        plans.measurement_for(plans.goal_for(district), 2026, "30.00")
        school = f.SchoolFactory(district=district, accountability_category=S.FOCUSED_TARGETED)
        f.SchoolFactory(district=district)
        f.grant(lead, Role.ASSISTANCE_LEAD, district=district)
        support = f.assignment(district, lead, school, starts_on=START)
        f.visit(district, lead, school, [support], visited_on=date(2026, 10, number % 28 + 1),
                follow_up_on=date(2026, 10, 20))


def _statements_of_dashboard(user) -> int:
    db.session.flush()
    statements = []
    engine = db.session.get_bind()

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        dashboard = regional_dashboard(user, Criteria(start=START, end=END), {})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert dashboard.sections["coverage-schools"].total > 0
    return len(statements)


def test_the_dashboard_s_statements_do_not_grow_with_districts():
    small, large = f.RegionFactory(name="Small"), f.RegionFactory(name="Large")
    small_lead = f.person(Role.ASSISTANCE_LEAD, district=f.DistrictFactory(region=small))
    large_lead = f.person(Role.ASSISTANCE_LEAD, district=f.DistrictFactory(region=large))
    _districts_with_activity(small, 3, small_lead)
    _districts_with_activity(large, 30, large_lead)
    small_director = f.person(Role.REGIONAL_DIRECTOR, region=small)
    large_director = f.person(Role.REGIONAL_DIRECTOR, region=large)
    # One statement for the scope, one per section (plans and equity goals included).
    assert _statements_of_dashboard(small_director) == _statements_of_dashboard(large_director) == 7
