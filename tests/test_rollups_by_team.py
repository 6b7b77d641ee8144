"""The regional dashboard stays honest when districts log visits of their own: coverage, capacity and equitable
deployment measure the support team's work; the district staff's visits are a figure of their own; a joint visit
counts once.

On the data set of tests/test_rollups.py, Alpha's school supervisor Sue visits A2 on 15 Sep (a joint visit with
Lou and A2's principal) and on 12 Oct, and A1 on 1 Aug (before the period); Beta's leader visits Beta's office on
1 Oct with a follow-up due 10 Oct, not done. B1 is still visited by nobody.
"""
import csv
import io
from datetime import date

import pytest

from app.regional.services import (
    capacity_by_lead,
    coverage_by_district,
    coverage_by_school,
    deployment_by_district,
    staff_coverage_by_school,
)
from tenants.roles import Role
from tests import factories as f
from tests.factories_school_page import co_observers, district_visit
from tests.test_rollups import PERIOD, Region, figures

SUPPORT_TEAM_SECTIONS = (coverage_by_district, coverage_by_school, capacity_by_lead, deployment_by_district)


def snapshot(user, sections=SUPPORT_TEAM_SECTIONS) -> list:
    """Every row and total of these sections, to compare before and after."""
    return [(tuple(map(tuple, section.rows)), section.total, section.totals)
            for section in (figures(user, figures_of) for figures_of in sections)]


@pytest.fixture
def region():
    return Region()


def staff_visits(region) -> dict:
    sue = f.person(Role.SCHOOL_SUPERVISOR, district=region.alpha, name="Sue Supervisor")
    principal = f.person(Role.DISTRICT_VIEWER, district=region.alpha, name="Pia Principal")
    joint = district_visit(region.alpha, sue, region.a2, visited_on=date(2026, 9, 15), minutes=240)
    district_visit(region.alpha, sue, region.a2, visited_on=date(2026, 10, 12), minutes=60)
    district_visit(region.alpha, sue, region.a1, visited_on=date(2026, 8, 1), minutes=60)
    leader = f.person(Role.DISTRICT_LEADER, district=region.beta, name="Ben Beta")
    district_visit(region.beta, leader, None, visited_on=date(2026, 10, 1), minutes=30,
                   follow_up_on=date(2026, 10, 10))
    return {"sue": sue, "principal": principal, "joint": joint}


def test_district_staff_visits_change_no_figure_of_the_support_team_s_work(region):
    before = snapshot(region.director)
    staff_visits(region)
    assert snapshot(region.director) == before


def test_co_observers_change_no_count(region):
    logged = staff_visits(region)
    support_visit = f.visit(region.alpha, region.lou, region.a1, visited_on=date(2026, 10, 22), minutes=30)
    sections = (*SUPPORT_TEAM_SECTIONS, staff_coverage_by_school)
    before = snapshot(region.director, sections)
    co_observers(logged["joint"], region.lou, logged["principal"])
    co_observers(support_visit, logged["sue"], region.nia)
    assert snapshot(region.director, sections) == before


def test_the_district_staff_s_visits_per_school_show_who_nobody_visits(region):
    staff_visits(region)
    staff = figures(region.director, staff_coverage_by_school)
    # Fewest visits by either team first: B1 nobody; A1 two by the support team (its 1 Aug staff visit is before
    # the period, but the last one); A2 two by the staff (the support team's were before and after the period).
    assert [(r.school, r.staff_visits, r.last_staff_visit, r.days_since_staff, r.support_visits, r.nobody)
            for r in staff.rows] == [
        ("B1 Elementary", 0, None, None, 0, True),
        ("A1 Elementary", 0, date(2026, 8, 1), 86, 2, False),
        ("A2 Middle", 2, date(2026, 10, 12), 14, 0, False),
    ]
    assert staff.totals == {"needing": 3, "staff_visited": 1, "staff_visits": 2, "nobody": 1}
    by_staff = figures(region.director, staff_coverage_by_school, sort="-staff_visits", limit=1)
    assert [r.school for r in by_staff.rows] == ["A2 Middle"] and by_staff.total == 3


def test_the_district_staff_s_figure_is_on_the_page_and_exported(client, auth, region):
    staff_visits(region)
    auth.sign_in(region.director)
    page = client.get("/rollups/", query_string=PERIOD).text
    assert "Visits by the districts&#39; own staff" in page or "Visits by the districts' own staff" in page
    assert "Visited by nobody (neither team)" in page
    response = client.get("/rollups/", query_string=PERIOD | {"table": "coverage-staff", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["District", "School", "Accountability", "Visits by district staff in the period"]
    assert [(row[1], row[3], row[6], row[7]) for row in rows[1:]] == [
        ("B1 Elementary", "0", "0", "yes"), ("A1 Elementary", "0", "2", "no"), ("A2 Middle", "2", "0", "no")]
    # Another region's director sees none of it.
    auth.sign_out()
    auth.sign_in(region.south_director)
    response = client.get("/rollups/", query_string=PERIOD | {"table": "coverage-staff", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["D1 Elementary"]


def test_the_benchmark_s_raw_sql_twins_answer_the_same_question(region):
    """bench/rollups.py times each section against hand-written SQL: on this data set, with district staff's and
    joint visits in it, each twin gives the app's rows."""
    import importlib.util
    from pathlib import Path

    from app.extensions import db
    from app.regional.services import Criteria
    from tenants.lookup import cross_district_reads
    from tests.test_rollups import END, START

    logged = staff_visits(region)
    co_observers(logged["joint"], region.lou)
    spec = importlib.util.spec_from_file_location("bench_rollups", Path(__file__).parent.parent / "bench/rollups.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    criteria = Criteria(start=START, end=END)
    ids = [region.alpha.id, region.beta.id, region.gamma.id]
    with cross_district_reads(region.director):
        for name, (section, key) in bench.SECTIONS.items():
            app_rows = [key(row) for row in section(criteria).rows]
            raw = db.session.connection().exec_driver_sql(bench.RAW[name], criteria.values() | {"ids": ids})
            assert [bench.RAW_KEYS[name](row) for row in raw.all()] == app_rows, name
