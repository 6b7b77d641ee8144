"""Where an equity goal's chart draws its lines: plain geometry for a server-rendered SVG.

It takes a goal's figures as plain values (from `equity.goal_figures`, or from a
frozen report's JSON) so that live pages and frozen reports draw the same chart.
Coordinates are screen positions, not amounts: floats are fine here.
"""
from dataclasses import dataclass
from decimal import Decimal

# Colours as SVG attributes, not only CSS classes: WeasyPrint (the PDF) draws lines from the attributes.
# The legend's keys in app.css and plans-print.css use the same values.
GROUP_COLOUR, COMPARISON_COLOUR, TRAJECTORY_COLOUR, GRID_COLOUR = "#0b4f8a", "#c05200", "#4a5360", "#c9d0d8"

WIDTH, HEIGHT = 480, 220
# Room for the labels: y values right-aligned left of the plot, years centred under their points; the last
# year sits at the plot's right edge, so RIGHT holds half of "2029" at 12px (about 15px) with room to spare.
LEFT, RIGHT, TOP, BOTTOM = 44, 24, 12, 28


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    value: Decimal


@dataclass(frozen=True)
class GoalChart:
    width: int
    height: int
    trajectory: list[Point]  # baseline to target
    group: list[Point]
    comparison: list[Point]
    y_ticks: list[tuple[float, Decimal]]
    x_ticks: list[tuple[float, int]]
    plot_left: float = LEFT
    plot_right: float = WIDTH - RIGHT
    group_colour: str = GROUP_COLOUR
    comparison_colour: str = COMPARISON_COLOUR
    trajectory_colour: str = TRAJECTORY_COLOUR
    grid_colour: str = GRID_COLOUR

    @staticmethod
    def path(points: list[Point]) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def goal_chart(goal: dict) -> GoalChart:
    """Lay out the trajectory, the student group's and the comparison group's values on shared axes."""
    first, last = goal["baseline_year"], goal["target_year"]
    baseline, target = _number(goal["baseline_value"]), _number(goal["target_value"])
    # A suppressed year has no value to draw: the line joins the years around it.
    points = [p for p in goal["points"] if p["value"] is not None]
    values = [baseline, target, *(_number(p["value"]) for p in points),
              *(_number(p["comparison_value"]) for p in points if p["comparison_value"] is not None)]
    low, high = min(values), max(values)
    margin = max((high - low) / 10, Decimal(1))
    low, high = max(low - margin, Decimal(0)), high + margin

    def at(year: int, value: Decimal) -> Point:
        x = LEFT + (WIDTH - LEFT - RIGHT) * (year - first) / max(last - first, 1)
        y = TOP + (HEIGHT - TOP - BOTTOM) * float((high - value) / (high - low))
        return Point(x, y, year, value)

    step = (high - low) / 4
    return GoalChart(
        width=WIDTH,
        height=HEIGHT,
        trajectory=[at(first, baseline), at(last, target)],
        group=[at(p["year"], _number(p["value"])) for p in points],
        comparison=[at(p["year"], _number(p["comparison_value"])) for p in points if p["comparison_value"] is not None],
        y_ticks=[(at(first, low + step * i).y, (low + step * i).quantize(Decimal("0.1"))) for i in range(5)],
        x_ticks=[(at(year, low).x, year) for year in range(first, last + 1)],
    )
