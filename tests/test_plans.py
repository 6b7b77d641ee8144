"""Improvement plans: every derived figure by hand, frozen reports, the report job on a real worker, the PDF."""
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.extensions import db
from app.plans.equity import goal_figures, goals_with_progress
from app.plans.health import PlanHealth, health_by_priority, plan_health
from app.plans.models import Action, EquityGoal, Milestone, ProgressUpdate, Risk, StatusReport
from app.plans.reports import changes_since, freeze_status_report, interval_start
from app.plans.services import providers_with_spend
from app.regional.services import Criteria, plan_progress_by_district, school_year_start
from tenants.lookup import cross_district_reads
from tests.factories import DistrictFactory
from tests.factories_plans import action_for, added, goal_for, measurement_for, plan_for, priority_for, strategy_for
from workers.jobs import make_due_status_reports

TODAY = date(2026, 11, 1)


@pytest.fixture
def district():
    return DistrictFactory(name="Testborough", slug="testborough")


@pytest.fixture
def plan(district, world):
    """Four actions in two priorities, with milestones and risks; see each test for what they add up to."""
    district.stale_after_days = 30
    plan = plan_for(district, world.leader)
    first, second = priority_for(plan, "Early literacy", 1), priority_for(plan, "Attendance", 2)
    s1, s2 = strategy_for(first), strategy_for(second, "Family outreach")
    owner = world.leader
    # Overdue (due 15 Oct), stale (no update since its start, 1 Sep, before the 2 Oct cut-off), over budget.
    late = action_for(s1, plan, owner, title="Late", starts_on=date(2026, 9, 1), due_on=date(2026, 10, 15),
                      allocated_cents=100_000, spent_cents=120_000)
    # Updated on 20 Oct: fresh; due later; within budget.
    fresh = action_for(s1, plan, owner, title="Fresh", starts_on=date(2026, 9, 1), due_on=date(2026, 12, 31),
                       status="at_risk", allocated_cents=100_000, spent_cents=0)
    added(ProgressUpdate(district_id=district.id, action_id=fresh.id, reported_on=date(2026, 10, 20),
                         status="at_risk", narrative="Going"))
    # Done, though its due date passed and it never had an update: counts as nothing.
    action_for(s2, plan, owner, title="Done", starts_on=date(2026, 8, 1), due_on=date(2026, 10, 1), status="done",
               allocated_cents=0, spent_cents=0)
    # Not started yet: not stale.
    action_for(s2, plan, owner, title="Later", starts_on=date(2026, 12, 1), due_on=date(2027, 1, 31),
               status="not_started", allocated_cents=0, spent_cents=0)
    for title, target, met in (("Missed", date(2026, 10, 10), None), ("Met", date(2026, 10, 10), date(2026, 10, 9)),
                               ("Ahead", date(2026, 12, 1), None)):
        added(Milestone(district_id=district.id, action_id=fresh.id, title=title, target_on=target, met_on=met))
    for action_id, severity, status in ((late.id, "high", "open"), (late.id, "high", "closed"),
                                        (fresh.id, "medium", "open"), (None, "high", "open")):
        added(Risk(district_id=district.id, plan_id=plan.id, action_id=action_id, title=f"{severity} {status}",
                   severity=severity, status=status))
    db.session.expire(plan)
    return plan


def test_plan_health_counts_each_problem_once(plan):
    assert plan_health(plan, TODAY) == PlanHealth(actions=4, overdue=1, stale=1, over_budget=1, milestones_missed=1,
                                                  open_high_risks=2)


def test_plan_health_per_priority(plan):
    first, second = plan.priorities
    by_priority = health_by_priority(plan, TODAY)
    # The plan-wide high risk (blocking no action) belongs to no priority.
    assert by_priority[first.id] == PlanHealth(actions=2, overdue=1, stale=1, over_budget=1, milestones_missed=1,
                                               open_high_risks=1)
    assert by_priority[second.id] == PlanHealth(actions=2)
    assert by_priority[second.id].summary(30) == "2 actions, nothing needs attention"
    assert by_priority[first.id].summary(30) == (
        "1 overdue · 1 no update in 30 days · 1 over budget · 1 milestone missed · 1 open high risk")


def test_a_recent_update_makes_an_action_fresh_and_the_setting_moves_the_cut_off(plan):
    late = db.session.scalars(select(Action).where(Action.title == "Late")).one()
    added(ProgressUpdate(district_id=late.district_id, action_id=late.id, reported_on=date(2026, 10, 5),
                         status="off_track", narrative="Stuck"))
    assert plan_health(plan, TODAY).stale == 0
    plan.district.stale_after_days = 20  # cut-off 12 Oct: the 5 Oct update is too old, the 20 Oct one is not
    assert plan_health(plan, TODAY).stale == 1


def dashboard_rows(admin) -> dict:
    """The regional dashboard's plan section as the admin sees it on TODAY, by district slug."""
    with cross_district_reads(admin):
        section = plan_progress_by_district(Criteria(start=school_year_start(TODAY), end=TODAY), limit=None)
    return {row.slug: row for row in section.rows}


def test_the_dashboard_counts_each_district_s_plan_health_as_its_plan_page_does(plan, district, world):
    empty = DistrictFactory(name="No Plan", slug="no-plan")
    rows = dashboard_rows(world.admin)
    fields = ("actions", "overdue", "stale", "over_budget", "milestones_missed", "open_high_risks")
    health = {slug: PlanHealth(**{name: getattr(rows[slug], name) for name in fields}) for slug in rows}
    assert health[district.slug] == PlanHealth(actions=4, overdue=1, stale=1, over_budget=1, milestones_missed=1,
                                               open_high_risks=2) == plan_health(plan, TODAY)
    assert health[empty.slug] == PlanHealth()
    assert (rows[empty.slug].on_track, rows[empty.slug].off_track) == (0, 0)


def test_gap_change_and_trajectory_of_a_higher_is_better_goal(district):
    goal = goal_for(district)  # 20.00 in 2025 to 40.00 in 2029: +5 a year
    measurement_for(goal, 2026, "24.00", "41.00")  # expected 25: off track, gap 17
    first = goal_figures(goals_with_progress(EquityGoal.id == goal.id)[0])
    assert (first["gap"], first["change"], first["expected"], first["on_track"]) == (
        Decimal("17.00"), Decimal("4.00"), Decimal("25.00"), False)
    measurement_for(goal, 2027, "31.00", "42.00")  # expected 30: on track, gap 11
    figures = goal_figures(goals_with_progress(EquityGoal.id == goal.id)[0])
    assert (figures["latest_year"], figures["gap"], figures["change"], figures["expected"], figures["on_track"]) == (
        2027, Decimal("11.00"), Decimal("11.00"), Decimal("30.00"), True)
    assert [(p["year"], p["gap"], p["expected"], p["on_track"]) for p in figures["points"]] == [
        (2026, Decimal("17.00"), Decimal("25.00"), False), (2027, Decimal("11.00"), Decimal("30.00"), True)]


def test_gap_and_trajectory_of_a_lower_is_better_goal(district):
    goal = goal_for(district, metric="Chronic absenteeism (%)", baseline_value=Decimal(30), baseline_year=2025,
                    target_value=Decimal(18), target_year=2028, direction="lower")  # -4 a year
    measurement_for(goal, 2026, "27.00", "15.00")  # expected 26: 27 is above it, off track; gap 27 - 15 = 12
    figures = goal_figures(goals_with_progress(EquityGoal.id == goal.id)[0])
    assert (figures["gap"], figures["change"], figures["expected"], figures["on_track"]) == (
        Decimal("12.00"), Decimal("-3.00"), Decimal("26.00"), False)


def test_the_dashboard_counts_goals_on_and_off_track(district, world):
    on = goal_for(district)
    measurement_for(on, 2026, "26.00")  # expected 25
    off = goal_for(district)
    measurement_for(off, 2026, "22.00")
    goal_for(district)  # no measurement: neither
    row = dashboard_rows(world.admin)[district.slug]
    assert (row.on_track, row.off_track) == (1, 1)


def test_spend_against_a_contract(plan, district):
    from app.plans.models import Provider

    provider = added(Provider(district_id=district.id, name="Reading Partners", contract_cents=4_000_000))
    for title in ("Late", "Fresh"):
        action = db.session.scalars(select(Action).where(Action.title == title)).one()
        action.provider_id = provider.id
    db.session.flush()
    (found, spent, served), = providers_with_spend(district)
    assert (found.name, spent, served, found.contract_cents - spent) == ("Reading Partners", 120_000, 2, 3_880_000)


def test_a_frozen_report_never_changes_and_the_next_one_says_what_changed(plan, world):
    first = freeze_status_report(plan, world.leader, today=TODAY)
    frozen = dict(first.snapshot)
    fresh = db.session.scalars(select(Action).where(Action.title == "Fresh")).one()
    fresh.status = "off_track"
    added(Risk(district_id=plan.district_id, plan_id=plan.id, action_id=fresh.id, title="Budget cut",
               severity="high"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(StatusReport, (first.district_id, first.id)).snapshot == frozen
    assert frozen["health"]["open_high_risks"] == 2
    second = freeze_status_report(plan, world.leader, today=TODAY)
    assert changes_since(first.snapshot, second.snapshot) == [
        "Open high risks: 2 → 3", "Fresh: at risk → off track", "New high risk: Budget cut"]


def test_reporting_intervals():
    assert interval_start("monthly", date(2026, 11, 17)) == date(2026, 11, 1)
    assert interval_start("quarterly", date(2026, 11, 17)) == date(2026, 10, 1)
    assert interval_start("quarterly", date(2027, 3, 31)) == date(2027, 1, 1)


def test_the_report_job_makes_one_report_per_interval_on_a_real_worker(plan, world, redis):
    """The scheduler's entry point enqueues each due district once; running the job twice stores one report."""
    assert make_due_status_reports(TODAY.isoformat()) == 3  # this plan's district and the world's two
    reports = Queue("reports", connection=redis)
    jobs = reports.get_jobs()
    mine = next(job for job in jobs if job.args[0] == plan.district_id)
    reports.enqueue_call(mine.func_name, args=mine.args)  # the same interval's job, delivered twice
    SimpleWorker([reports], connection=redis).work(burst=True)
    made = db.session.scalars(select(StatusReport).where(StatusReport.district_id == plan.district_id)).all()
    assert [r.scheduled_for for r in made] == [date(2026, 10, 1)]
    assert made[0].made_by_id is None and made[0].snapshot["district"] == "Testborough"


def test_the_pdf_opens_with_the_district_s_name_and_a_chart(client, auth, world):
    auth.sign_in(world.viewer)
    report_id = world.ids("own")["report"]
    response = client.get(f"/districts/homeville/reports/{report_id}.pdf")
    assert response.status_code == 200 and response.content_type == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Homeville: status report" in text
    # The goal chart: its axis years are drawn, and the page draws lines (the SVG's polylines).
    assert "2025" in text and "2029" in text and "Trajectory to the target" in text
    assert any(b" l\n" in page.get_contents().get_data() or b" l " in page.get_contents().get_data()
               for page in pdf.pages)


def test_the_csv_holds_the_frozen_figures(client, auth, world):
    auth.sign_in(world.leader)
    response = client.get(f"/districts/homeville/reports/{world.ids('own')['report']}.csv")
    body = response.data.decode("utf-8-sig")
    assert response.status_code == 200
    assert "Plan health,Open high risks,,,1" in body and "Equity goal" in body


def test_a_viewer_changes_nothing(client, auth, world):
    auth.sign_in(world.viewer)
    action_id = world.ids("own")["action"]
    response = client.post(f"/districts/homeville/actions/{action_id}/updates",
                           data={"reported_on": "2026-10-01", "status": "done", "narrative": "Sneaky"})
    assert response.status_code == 403
    assert db.session.scalars(select(ProgressUpdate)).all() == []
    page = client.get(f"/districts/homeville/actions/{action_id}").text
    assert "Post a progress update" not in page and "Record a risk" not in page


def test_bad_dates_are_explained_and_nothing_is_stored(client, auth, world):
    auth.sign_in(world.leader)
    ids = world.ids("own")
    response = client.post(f"/districts/homeville/plans/{ids['plan']}/actions/new", data={
        "strategy_id": ids["strategy"], "title": "Backwards", "owner_id": world.leader.id,
        "starts_on": "2026-10-01", "due_on": "2026-09-01", "allocated_cents": "12.345"})
    assert response.status_code == 422
    assert "The due date comes after the start." in response.text
    assert "Give a positive amount in dollars and cents." in response.text
    response = client.post(f"/districts/homeville/goals/{ids['goal']}/measurements", data={"year": "2031",
                                                                                           "value": "30"})
    assert response.status_code == 422 and "Give a year from 2025 to 2029." in response.text
    assert db.session.scalars(select(Action).where(Action.title == "Backwards")).all() == []


def test_an_update_changes_the_status_and_the_history_shows_who(client, auth, world):
    auth.sign_in(world.leader)
    action_id = world.ids("own")["action"]
    response = client.post(f"/districts/homeville/actions/{action_id}/updates",
                           data={"reported_on": "2026-10-01", "status": "at_risk", "narrative": "Vendor late."},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Vendor late." in response.text
    assert "Lia Leader · Changed: Status On track → At risk" in response.text


def test_another_district_s_action_is_not_found(client, auth, world):
    auth.sign_in(world.leader)
    foreign_action = world.ids("foreign")["action"]
    assert client.get(f"/districts/homeville/actions/{foreign_action}").status_code == 404
    response = client.post(f"/districts/homeville/actions/{world.ids('own')['action']}/evidence",
                           data={"visit_id": world.foreign_visit.id})
    assert response.status_code == 422
