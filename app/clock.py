"""The state's clock: "today" and "now" where the state's districts are, never the server's day.

Servers run on UTC; at 8 p.m. in Massachusetts it is already tomorrow there. Every
"today", "overdue", "due this week", default period and schedule asks this module,
which reads the setting `STATE_TIME_ZONE` (default `America/New_York`).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_STATE_TIME_ZONE = "America/New_York"


def utc_now() -> datetime:
    """The present instant, aware, in UTC: the one place the app reads the clock (tests freeze this)."""
    return datetime.now(UTC)


def state_zone() -> ZoneInfo:
    """The state's time zone, from the app's `STATE_TIME_ZONE` (the default outside an app)."""
    name = current_app.config.get("STATE_TIME_ZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_STATE_TIME_ZONE)


def state_now(at: datetime | None = None) -> datetime:
    """`at` (an aware instant; default: now) as an aware datetime on the state's wall clock."""
    return (at or utc_now()).astimezone(state_zone())


def state_today(at: datetime | None = None) -> date:
    """The state's calendar day at the instant `at` (default: now)."""
    return state_now(at).date()


def stored_now() -> datetime:
    """Now as stored in timestamp columns: naive UTC, to the microsecond (what `func.now()` stores on UTC servers)."""
    return utc_now().replace(tzinfo=None)


def school_year_start(day: date) -> date:
    """The 1 July that opens the school year `day` falls in."""
    return date(day.year if day.month >= 7 else day.year - 1, 7, 1)
