"""'Today' is the state's day (STATE_TIME_ZONE, America/New_York by default), never the UTC server's.

The clock is frozen through `app.clock.utc_now`, the one function that reads it; the
database is real.
"""
import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import clock
from app.extensions import db
from app.fieldwork.models import Visit
from app.fieldwork.schemas import VisitSchema
from app.fieldwork.services import caseload_for
from app.forms import InvalidInput, load
from app.regional.filters import DashboardFilters
from tests import factories

# 29 November 2026 (EST, UTC-5) and 30 June 2026 (EDT, UTC-4) around midnight in Massachusetts.
EVENING = datetime(2026, 11, 30, 4, 30, tzinfo=UTC)  # 23:30 on the 29th in New York
AFTER_MIDNIGHT = datetime(2026, 11, 30, 5, 30, tzinfo=UTC)  # 00:30 on the 30th in New York
NIGHT_UTC = datetime(2026, 11, 30, 3, 30, tzinfo=UTC)  # 22:30 on the 29th in New York


@pytest.fixture
def frozen(monkeypatch):
    """Freeze the app's clock at an instant: `frozen(instant)`."""
    def freeze(instant: datetime) -> None:
        monkeypatch.setattr(clock, "utc_now", lambda: instant)
    return freeze


@pytest.mark.parametrize("instant, day", [
    (EVENING, date(2026, 11, 29)),
    (AFTER_MIDNIGHT, date(2026, 11, 30)),
    (NIGHT_UTC, date(2026, 11, 29)),
    (datetime(2026, 7, 1, 3, 30, tzinfo=UTC), date(2026, 6, 30)),  # 23:30 EDT
    (datetime(2026, 7, 1, 4, 30, tzinfo=UTC), date(2026, 7, 1)),  # 00:30 EDT
])
def test_today_is_the_state_day_at_the_hours_around_midnight(app, instant, day):
    assert clock.state_today(instant) == day


def test_the_time_zone_is_a_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "STATE_TIME_ZONE", "America/Los_Angeles")
    assert clock.state_today(AFTER_MIDNIGHT) == date(2026, 11, 29)  # 21:30 in California


def test_a_misspelt_time_zone_stops_the_start():
    from config import state_time_zone

    with pytest.raises(RuntimeError, match="STATE_TIME_ZONE must be an IANA time zone"):
        state_time_zone("America/Boston")


def _visit_form(world, visited_on: str) -> dict:
    return {"client_uuid": str(uuid.uuid4()), "school_id": str(world.home_school.id), "visited_on": visited_on,
            "minutes": "60", "kind": "informal", "purpose": "Evening write-up"}


def test_on_a_massachusetts_evening_the_visit_form_prefills_and_accepts_today_not_tomorrow(
        client, auth, world, frozen):
    frozen(EVENING)
    auth.sign_in(world.lead)
    form = client.get("/districts/homeville/visits/new").text
    assert 'value="2026-11-29"' in form and "2026-11-30" not in form

    tomorrow = client.post("/districts/homeville/visits/new", data=_visit_form(world, "2026-11-30"))
    assert tomorrow.status_code == 422 and "A visit cannot be dated in the future." in tomorrow.text
    assert 'value="2026-11-30"' in tomorrow.text  # what was typed stays in the form
    assert db.session.query(Visit).filter_by(purpose="Evening write-up").count() == 0

    today = client.post("/districts/homeville/visits/new", data=_visit_form(world, "2026-11-29"))
    assert today.status_code == 302


def test_after_midnight_in_massachusetts_the_new_day_is_accepted(client, auth, world, frozen):
    frozen(AFTER_MIDNIGHT)
    auth.sign_in(world.lead)
    assert client.post("/districts/homeville/visits/new", data=_visit_form(world, "2026-11-30")).status_code == 302


def test_a_follow_up_due_today_is_not_overdue_on_a_massachusetts_evening(world, frozen):
    factories.visit(world.home, world.lead, world.home_school, visited_on=date(2026, 11, 20),
                    follow_up_on=date(2026, 11, 29), purpose="Due today")
    frozen(EVENING)
    caseload = caseload_for(world.lead)
    assert [v.purpose for v in caseload.due_this_week if v.purpose == "Due today"] == ["Due today"]
    assert not [v for v in caseload.overdue if v.purpose == "Due today"]
    frozen(AFTER_MIDNIGHT)
    assert [v.purpose for v in caseload_for(world.lead).overdue if v.purpose == "Due today"] == ["Due today"]


def test_the_dashboard_period_ends_on_the_state_day(app, frozen):
    frozen(NIGHT_UTC)
    assert DashboardFilters().load({})["criteria"].end == date(2026, 11, 29)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(instant=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
       days=st.integers(min_value=-400, max_value=3))
def test_a_visit_date_is_accepted_up_to_the_state_day_and_never_after(app, monkeypatch, instant, days):
    with monkeypatch.context() as patched:
        patched.setattr(clock, "utc_now", lambda: instant)
        day = instant.astimezone(ZoneInfo("America/New_York")).date() + timedelta(days=days)
        raw = {"client_uuid": str(uuid.uuid4()), "visited_on": day.isoformat(), "minutes": 60, "kind": "formal",
               "purpose": "Coaching"}
        if days > 0:
            with pytest.raises(InvalidInput) as refused:
                load(VisitSchema(), raw)
            assert refused.value.messages == {"visited_on": ["A visit cannot be dated in the future."]}
        else:
            assert load(VisitSchema(), raw)["visited_on"] == day
