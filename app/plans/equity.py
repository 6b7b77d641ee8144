"""Equity goals: the gap, the change since baseline and the trajectory, derived in SQL.

- gap: how far the student group trails the comparison group, in the goal's
  direction (higher is better: comparison - value; lower is better: value -
  comparison), so a positive gap is always a gap to close;
- change since baseline: the latest value minus the baseline value;
- expected value in a year: the straight line from (baseline year, baseline
  value) to (target year, target value);
- on track: the latest value is at or past the expected value of its year, in
  the goal's direction. A goal with no measurement yet is neither.

A suppressed measurement (the state printed "<10" or "-") has no value: it is
shown as suppressed, has no gap and no trajectory standing, and is never a
goal's latest figure.

Each is one SQL expression below, used by the goal pages, the reports and the
rollup alike.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Numeric, and_, case, cast, func, select, type_coerce

from app.extensions import db
from app.plans.models import Direction, EquityGoal, Measurement

TWO_PLACES = Numeric(7, 2)


def _rounded(expression):
    return type_coerce(func.round(expression, 2), TWO_PLACES)


def gap_of(value, comparison_value):
    return _rounded(case(
        (EquityGoal.direction == Direction.HIGHER, comparison_value - value),
        else_=value - comparison_value,
    ))


def expected_in(year):
    span = EquityGoal.target_year - EquityGoal.baseline_year
    # Multiplying before dividing, in NUMERIC, keeps integer years from truncating on any database.
    rise = cast((EquityGoal.target_value - EquityGoal.baseline_value) * (year - EquityGoal.baseline_year),
                Numeric(14, 4))
    return _rounded(EquityGoal.baseline_value + rise / span)


def on_track_at(year, value):
    """Compare without dividing: value * span against the trajectory * span."""
    span = EquityGoal.target_year - EquityGoal.baseline_year
    scaled = value * span
    line = EquityGoal.baseline_value * span + (EquityGoal.target_value - EquityGoal.baseline_value) * (
        year - EquityGoal.baseline_year)
    return case(
        (EquityGoal.direction == Direction.HIGHER, scaled >= line),
        else_=scaled <= line,
    )


def _latest():
    """Each goal's latest reported (not suppressed) measurement."""
    newest = (
        select(Measurement.district_id, Measurement.goal_id, func.max(Measurement.year).label("year"))
        .where(Measurement.suppressed.is_(False))
        .group_by(Measurement.district_id, Measurement.goal_id)
        .subquery()
    )
    return (
        select(Measurement)
        .join(newest, and_(newest.c.district_id == Measurement.district_id, newest.c.goal_id == Measurement.goal_id,
                           newest.c.year == Measurement.year))
        .subquery()
    )


@dataclass(frozen=True)
class GoalProgress:
    goal: EquityGoal
    latest_year: int | None
    latest_value: Decimal | None
    gap: Decimal | None
    change: Decimal | None
    expected: Decimal | None
    on_track: bool | None


def goals_with_progress(*conditions) -> list[GoalProgress]:
    """Equity goals matching `conditions`, each with its latest figures."""
    latest = _latest()
    rows = db.session.execute(
        select(
            EquityGoal, latest.c.year, latest.c.value,
            gap_of(latest.c.value, latest.c.comparison_value),
            _rounded(latest.c.value - EquityGoal.baseline_value),
            expected_in(latest.c.year),
            on_track_at(latest.c.year, latest.c.value),
        )
        .outerjoin(latest, and_(latest.c.district_id == EquityGoal.district_id, latest.c.goal_id == EquityGoal.id))
        .where(*conditions)
        .order_by(EquityGoal.id)
    )
    return [
        GoalProgress(goal, year, value, gap, change, expected, None if year is None else bool(on_track))
        for goal, year, value, gap, change, expected, on_track in rows
    ]


def measurement_points(goal: EquityGoal) -> list[dict]:
    """Every measurement of a goal with its gap and the trajectory's value that year.

    A suppressed one has value, gap and on_track None, and `suppressed` true.
    """
    return _points_by_goal(goal.district_id, [goal.id]).get(goal.id, [])


def _points_by_goal(district_id: int, goal_ids: list[int]) -> dict[int, list[dict]]:
    """`measurement_points` of several goals of a district, in one statement: {goal id: points}."""
    if not goal_ids:
        return {}
    rows = db.session.execute(
        select(Measurement.goal_id, Measurement.year, Measurement.value, Measurement.suppressed,
               Measurement.comparison_value, gap_of(Measurement.value, Measurement.comparison_value),
               expected_in(Measurement.year), on_track_at(Measurement.year, Measurement.value))
        .join(EquityGoal, and_(EquityGoal.district_id == Measurement.district_id, EquityGoal.id == Measurement.goal_id))
        .where(Measurement.district_id == district_id, Measurement.goal_id.in_(goal_ids))
        .order_by(Measurement.goal_id, Measurement.year)
    )
    points: dict[int, list[dict]] = {}
    for goal_id, year, value, suppressed, comparison, gap, expected, on_track in rows:
        points.setdefault(goal_id, []).append(
            {"year": year, "value": value, "suppressed": suppressed, "comparison_value": comparison, "gap": gap,
             "expected": expected, "on_track": None if on_track is None else bool(on_track)})
    return points


def figures_of_goals(progress: list[GoalProgress]) -> list[dict]:
    """`goal_figures` of each goal, their measurements read in one statement per district (not one per goal)."""
    by_district: dict[int, list[int]] = {}
    for item in progress:
        by_district.setdefault(item.goal.district_id, []).append(item.goal.id)
    points = {goal_id: found for district_id, goal_ids in by_district.items()
              for goal_id, found in _points_by_goal(district_id, goal_ids).items()}
    return [goal_figures(item, points.get(item.goal.id, [])) for item in progress]


def goal_figures(progress: GoalProgress, points: list[dict] | None = None) -> dict:
    """A goal and its derived figures as plain values: what pages, charts and frozen reports show."""
    goal = progress.goal
    return {
        "id": goal.id,
        "metric": goal.metric,
        "student_group": goal.student_group,
        "comparison_group": goal.comparison_group,
        "direction": goal.direction,
        "baseline_year": goal.baseline_year,
        "baseline_value": goal.baseline_value,
        "target_year": goal.target_year,
        "target_value": goal.target_value,
        "latest_year": progress.latest_year,
        "latest_value": progress.latest_value,
        "gap": progress.gap,
        "change": progress.change,
        "expected": progress.expected,
        "on_track": progress.on_track,
        "points": measurement_points(goal) if points is None else points,
    }


def progress_by_district():
    """(district_id, on_track, off_track) for each district with a measured goal, grouped in SQL."""
    latest = _latest()
    on_track = on_track_at(latest.c.year, latest.c.value)
    return (
        select(EquityGoal.district_id,
               func.sum(case((on_track, 1), else_=0)).label("on_track"),
               func.sum(case((on_track, 0), else_=1)).label("off_track"))
        .join(latest, and_(latest.c.district_id == EquityGoal.district_id, latest.c.goal_id == EquityGoal.id))
        .group_by(EquityGoal.district_id)
    )
