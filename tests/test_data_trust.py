"""Data you can trust: equity measurements as the state prints them, status reports by the instant frozen."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.forms import InvalidInput
from app.plans.equity import goal_figures, goals_with_progress
from app.plans.figures import NotAFigure, StateFigure, read_state_figure
from app.plans.models import EquityGoal, Measurement
from app.plans.reports import freeze_status_report
from app.plans.services import post_progress_update
from tests.factories import DistrictFactory
from tests.factories_plans import action_for, goal_for, measurement_for, plan_for, priority_for, strategy_for

PERCENT_METRIC = "Grade 3 MCAS ELA, meeting or exceeding expectations (%)"


def count_measurements(goal) -> int:
    return db.session.scalar(select(func.count()).select_from(Measurement).where(Measurement.goal_id == goal.id))


# --- reading what the state prints ----------------------------------------------------------------


@pytest.mark.parametrize("typed, figure", [
    ("18", StateFigure(Decimal("18"))),
    ("18.5", StateFigure(Decimal("18.5"))),
    ("18%", StateFigure(Decimal("18"), percent_sign=True)),
    (" 18.25 % ", StateFigure(Decimal("18.25"), percent_sign=True)),
    ("<10", StateFigure(None)),
    ("< 10", StateFigure(None)),
    ("-", StateFigure(None)),
    ("—", StateFigure(None)),
])
def test_figures_are_read_as_the_state_prints_them(typed, figure):
    assert read_state_figure(typed) == figure


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-Infinity", "inf", "1e3", "1E2", "0x10", "-5",
                                   "18.123", "1,000", "18%%", "", "eighteen", "١٨"])
def test_anything_else_is_refused_not_coerced(typed):
    with pytest.raises(NotAFigure):
        read_state_figure(typed)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=12))
def test_a_figure_read_is_exactly_what_was_typed_or_refused(typed):
    try:
        figure = read_state_figure(typed)
    except NotAFigure:
        return
    if figure.suppressed:
        return
    # Never rounded, never scaled: the digits typed are the value kept.
    assert figure.value.is_finite() and figure.value >= 0 and figure.value.as_tuple().exponent >= -2
    assert Decimal(typed.strip().rstrip("%").strip()) == figure.value


@settings(max_examples=200)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False), st.booleans())
def test_every_percentage_a_person_types_is_kept_to_the_cent(value, percent):
    typed = f"{value}{'%' if percent else ''}"
    assert read_state_figure(typed) == StateFigure(value, percent_sign=percent)


# --- measurements on the goal page ----------------------------------------------------------------


@pytest.fixture
def goal(world):
    goal = goal_for(world.home, metric=PERCENT_METRIC)  # baseline 20 (2025), target 40 (2029), higher is better
    measurement_for(goal, 2026, "26", comparison="60")
    return goal


def _add(client, goal, **form):
    return client.post(f"/districts/homeville/goals/{goal.id}/measurements", data=form)


@pytest.fixture
def results_of_2028_out(monkeypatch):
    """The state's clock in September 2028: the school years of spring 2027 and 2028 have ended."""
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2028, 9, 15, 15, 0, tzinfo=UTC))


@pytest.mark.usefixtures("results_of_2028_out")
def test_a_suppressed_year_stays_out_of_the_gap_and_trajectory(client, auth, world, goal):
    auth.sign_in(world.leader)
    response = _add(client, goal, year="2027", value="<10", comparison_value="64%")
    assert response.status_code == 302
    stored = db.session.scalars(select(Measurement).where(Measurement.goal_id == goal.id,
                                                          Measurement.year == 2027)).one()
    assert (stored.value, stored.suppressed, stored.comparison_value) == (None, True, Decimal("64.00"))
    figures = goal_figures(goals_with_progress(EquityGoal.id == goal.id)[0])
    # The latest reported year is still 2026: gap 34, on track (expected 25).
    assert (figures["latest_year"], figures["gap"], figures["on_track"]) == (2026, Decimal("34.00"), True)
    suppressed = [p for p in figures["points"] if p["year"] == 2027][0]
    assert (suppressed["value"], suppressed["gap"], suppressed["on_track"]) == (None, None, None)
    page = client.get(f"/districts/homeville/goals/{goal.id}").text
    assert "suppressed" in page and "Off track" not in page


@pytest.mark.usefixtures("results_of_2028_out")
def test_a_dash_is_suppressed_and_a_percent_sign_is_accepted_on_a_percentage(client, auth, world, goal):
    auth.sign_in(world.leader)
    assert _add(client, goal, year="2027", value="-").status_code == 302
    assert _add(client, goal, year="2028", value="31.5%", comparison_value="62%").status_code == 302
    figures = goal_figures(goals_with_progress(EquityGoal.id == goal.id)[0])
    assert (figures["latest_year"], figures["latest_value"], figures["gap"]) == (2028, Decimal("31.50"),
                                                                               Decimal("30.50"))


@pytest.mark.parametrize("typed, message", [
    ("NaN", "Give the figure as the state prints it"),
    ("Infinity", "Give the figure as the state prints it"),
    ("1e3", "Give the figure as the state prints it"),
    ("18.125", "Give at most two decimals"),
    ("118%", "A percentage is between 0 and 100."),
])
def test_a_wrong_figure_is_explained_on_the_goal_page_with_what_was_typed(client, auth, world, goal, typed, message):
    auth.sign_in(world.leader)
    before = count_measurements(goal)
    response = _add(client, goal, year="2027", value=typed)
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{typed}"' in response.text and 'aria-invalid="true"' in response.text
    assert "Add a measurement" in response.text  # the goal's own page, not a separate error page
    assert count_measurements(goal) == before


def test_a_percent_sign_on_a_metric_that_is_not_a_percentage_is_refused(world):
    from app.plans.services import save_measurement

    growth = goal_for(world.home, metric="Student growth percentile, ELA", baseline_value=Decimal("40"),
                      target_value=Decimal("50"))
    with pytest.raises(InvalidInput) as refused:
        save_measurement(growth, {"year": 2026, "value": read_state_figure("45%"), "comparison_value": None})
    assert refused.value.messages == {"value": ["This goal's metric is not a percentage: give the number without %."]}


@pytest.mark.usefixtures("results_of_2028_out")
def test_a_suppressed_measurement_is_edited_back_as_suppressed(client, auth, world, goal):
    auth.sign_in(world.leader)
    _add(client, goal, year="2027", value="<10")
    stored = db.session.scalars(select(Measurement).where(Measurement.goal_id == goal.id,
                                                          Measurement.year == 2027)).one()
    form = client.get(f"/districts/homeville/measurements/{stored.id}/edit").text
    assert 'value="suppressed"' in form
    assert client.post(f"/districts/homeville/measurements/{stored.id}/edit",
                       data={"year": "2027", "value": "suppressed"}).status_code == 302
    assert client.post(f"/districts/homeville/measurements/{stored.id}/edit",
                       data={"year": "2027", "value": "22"}).status_code == 302
    db.session.refresh(stored)
    assert (stored.value, stored.suppressed) == (Decimal("22.00"), False)


# --- status reports compare by the instant frozen -------------------------------------------------


def test_an_update_posted_on_the_day_of_a_report_is_not_reported_again(world, monkeypatch):
    def at(instant: datetime) -> None:
        monkeypatch.setattr(clock, "utc_now", lambda: instant)

    district = DistrictFactory(name="Testborough", slug="testborough")  # no report yet
    plan = plan_for(district, world.leader)
    action = action_for(strategy_for(priority_for(plan)), plan, world.leader)
    update = {"status": "on_track", "milestone_id": None}

    at(datetime(2026, 11, 5, 14, 0, tzinfo=UTC))  # 9 a.m. in Massachusetts
    post_progress_update(action, world.leader, update | {"reported_on": date(2026, 11, 5), "narrative": "Morning"})
    at(datetime(2026, 11, 5, 15, 0, tzinfo=UTC))
    first = freeze_status_report(plan, world.leader)
    at(datetime(2026, 11, 5, 20, 0, tzinfo=UTC))  # the same day, after the report
    post_progress_update(action, world.leader, update | {"reported_on": date(2026, 11, 5), "narrative": "Evening"})
    at(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    second = freeze_status_report(plan, world.leader)

    assert [u["narrative"] for u in first.snapshot["updates"]] == ["Morning"]
    assert [u["narrative"] for u in second.snapshot["updates"]] == ["Evening"]


def test_a_report_made_on_a_massachusetts_evening_is_dated_that_evening(client, auth, world, monkeypatch):
    plan = plan_for(world.home, world.leader)
    monkeypatch.setattr(clock, "utc_now", lambda: datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # 9 p.m. on the 29th
    report = freeze_status_report(plan, world.leader)
    assert report.snapshot["as_of"] == "2026-11-29"
    auth.sign_in(world.leader)
    assert "status report of 29 November 2026" in client.get(f"/districts/homeville/reports/{report.id}").text
