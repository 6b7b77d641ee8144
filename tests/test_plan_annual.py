"""A plan's annual report: what was done and what slipped in a school year, what its actions were given and spent,
the equity goals' figures of the year and the support team's visits, as a page and a PDF."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.clock import state_today
from app.extensions import db
from app.plans.annual import annual_report, school_year_label
from app.plans.models import ProgressUpdate
from app.regional.services import school_year_start
from tenants.roles import Team
from tests.factories import visit
from tests.factories_plans import action_for, added, goal_for, measurement_for, plan_for, priority_for, strategy_for
from tests.test_statement_counts import statements

# The school year 2024-25: 1 July 2024 to 30 June 2025, over (the tests' today is the state's real today).
YEAR = 2024


def done_update(action, on: date) -> None:
    added(ProgressUpdate(district_id=action.district_id, action_id=action.id, reported_on=on, status="done",
                         narrative="Finished."))


@pytest.fixture
def plan(world):
    """A plan from 2024-25 on with actions done, done late, slipped, later and not yet begun."""
    plan = plan_for(world.home, world.leader, title="Long plan", starts_on=date(2024, 7, 1),
                    ends_on=date(2034, 6, 30))
    reading = strategy_for(priority_for(plan, "Early literacy", 1))
    attendance = strategy_for(priority_for(plan, "Attendance", 2), "Family outreach")
    on_time = action_for(reading, plan, world.leader, title="Choose a curriculum", starts_on=date(2024, 8, 1),
                         due_on=date(2025, 3, 1), status="done", allocated_cents=1_000_000, spent_cents=900_000)
    done_update(on_time, date(2025, 2, 10))
    late = action_for(reading, plan, world.leader, title="Train K-3 teachers", starts_on=date(2024, 9, 1),
                      due_on=date(2025, 4, 1), status="done", allocated_cents=500_000, spent_cents=700_000)
    done_update(late, date(2025, 5, 11))
    action_for(attendance, plan, world.leader, title="Call every absent family", starts_on=date(2024, 9, 1),
               due_on=date(2025, 5, 1), status="at_risk", allocated_cents=200_000, spent_cents=0)
    action_for(attendance, plan, world.leader, title="Mentor chronically absent students",
               starts_on=date(2024, 10, 1), due_on=date(2026, 5, 1), allocated_cents=300_000, spent_cents=100_000)
    action_for(attendance, plan, world.leader, title="Open a family center", starts_on=date(2025, 8, 1),
               due_on=date(2026, 6, 1), allocated_cents=9_000_000, spent_cents=0)
    goal = goal_for(world.home, baseline_year=2024, target_year=2027)
    measurement_for(goal, 2025, "27.50", "44.00")
    for day, team, minutes in ((date(2024, 10, 3), Team.SUPPORT, 90), (date(2025, 3, 4), Team.SUPPORT, 60),
                               (date(2025, 3, 5), Team.DISTRICT, 45), (date(2025, 9, 9), Team.SUPPORT, 120)):
        visit(world.home, world.lead if team == Team.SUPPORT else world.supervisor, world.home_school,
              visited_on=day, minutes=minutes, team=team)
    return plan


def test_the_year_lists_what_was_done_and_what_slipped_with_days_late(plan):
    report = annual_report(plan, YEAR)
    assert [(line.action.title, line.done_on, line.days_late) for line in report.done] == [
        ("Choose a curriculum", date(2025, 2, 10), None), ("Train K-3 teachers", date(2025, 5, 11), 40)]
    # Done 40 days late; not done at all by the year's end (30 June): 60 days late.
    assert [(line.action.title, line.days_late) for line in report.slipped] == [
        ("Train K-3 teachers", 40), ("Call every absent family", 60)]


def test_spending_counts_the_actions_that_ran_during_the_year_by_priority(plan):
    report = annual_report(plan, YEAR)
    assert [(s.priority, s.actions, s.allocated_cents, s.spent_cents, s.over) for s in report.spending] == [
        ("Early literacy", 2, 1_500_000, 1_600_000, True), ("Attendance", 2, 500_000, 100_000, False)]
    assert (report.total_allocated_cents, report.total_spent_cents) == (2_000_000, 1_700_000)


def test_the_goals_show_the_years_measurement_and_the_support_counts_the_support_teams_visits(plan):
    report = annual_report(plan, YEAR)
    goal = next(goal for goal in report.goals if goal["baseline_year"] == 2024)
    assert (goal["year_point"]["value"], goal["year_point"]["gap"]) == (27.5, 16.5)  # the gap: comparison minus group
    support = report.support
    # The district's own visit (team district) and the next year's visit are not the support received.
    assert (support.visits, support.minutes, support.hours, support.schools) == (2, 150, 2.5, 1)


def test_the_page_and_the_pdf_say_it_to_every_reader_of_the_district(client, auth, world, plan):
    auth.sign_in(world.viewer)
    page = client.get(f"/districts/homeville/plans/{plan.id}/annual-report?year={YEAR}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "school year 2024-25" in text and "Train K-3 teachers" in text and "40 days late" in text
    assert "$17,000.00" in text and "2 visits (2.5 hours)" in text
    pdf = client.get(f"/districts/homeville/plans/{plan.id}/annual-report.pdf?year={YEAR}")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    words = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "annual report of the improvement plan, 2024-25" in words
    assert "Call every absent family" in words and "Slipped" in words and "$15,000.00" in words


@pytest.mark.parametrize("asked", ["1999", "abc", "2099"])
def test_a_year_the_plan_does_not_span_is_answered_with_its_years(client, auth, world, plan, asked):
    auth.sign_in(world.leader)
    response = client.get(f"/districts/homeville/plans/{plan.id}/annual-report?year={asked}")
    assert response.status_code == 400
    assert f"The plan has no school year {asked}: its years are 2024-25 to" in response.get_data(as_text=True)
    assert client.get(f"/districts/homeville/plans/{plan.id}/annual-report.pdf?year={asked}").status_code == 400


def test_without_a_year_the_last_year_ended_is_shown(client, auth, world, plan):
    auth.sign_in(world.leader)
    text = client.get(f"/districts/homeville/plans/{plan.id}/annual-report").get_data(as_text=True)
    last_ended = school_year_start(state_today()).year - 1
    assert f"school year {school_year_label(last_ended)}" in text


def test_the_page_sends_as_many_statements_for_more_actions(client, auth, world, plan):
    auth.sign_in(world.leader)
    path = f"/districts/homeville/plans/{plan.id}/annual-report?year={YEAR}"
    before = statements(client, path)
    strategy = strategy_for(priority_for(plan, "More", 3))
    for n in range(8):
        done_update(action_for(strategy, plan, world.leader, title=f"More {n}", starts_on=date(2024, 9, 1),
                               due_on=date(2025, 1, n + 1)), date(2025, 2, 1))
    db.session.flush()
    assert statements(client, path) == before
