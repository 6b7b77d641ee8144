"""Walkthrough trends: how a district's (or a school's) ratings per look-for move, quarter by quarter."""
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import LookFor, Observation, Rating, Rubric, Visit
from app.fieldwork.services import InvalidInput
from tenants.models import District

DEFAULT_RUBRIC = "Classroom walkthrough"


@dataclass(frozen=True)
class Segment:
    """One point of the scale in a quarter's bar: where it starts and how much of the bar it takes (0..1)."""

    position: int  # 1 for the lowest point of the scale, which picks its colour
    rating: int
    label: str
    count: int
    start: float
    share: float


@dataclass(frozen=True)
class QuarterRatings:
    quarter: str  # "2026 Q3"
    counts: dict[int, int]  # every point of the scale, lowest first, with how often it was given

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float:
        return round(sum(rating * count for rating, count in self.counts.items()) / self.total, 2)

    def segments(self, rubric: Rubric) -> list[Segment]:
        segments, start = [], 0.0
        for position, (rating, count) in enumerate(self.counts.items(), start=1):
            share = count / self.total
            segments.append(Segment(position, rating, rubric.label_for(rating), count, start, share))
            start += share
        return segments


@dataclass(frozen=True)
class LookForTrend:
    look_for: LookFor
    quarters: list[QuarterRatings]


@dataclass(frozen=True)
class WalkthroughTrends:
    rubric: Rubric
    school: School | None
    look_fors: list[LookForTrend]


def default_rubric() -> Rubric | None:
    """The newest active version of the walkthrough rubric, else any rubric in use."""
    in_use = select(Rubric).where(Rubric.active).order_by((Rubric.name != DEFAULT_RUBRIC), Rubric.version.desc())
    return db.session.scalars(in_use.limit(1)).first()


def walkthrough_trends(
    district: District, rubric_id: int | None = None, school_id: int | None = None
) -> WalkthroughTrends:
    """Count each look-for's ratings per quarter, for the district or one of its schools."""
    rubric = db.session.get(Rubric, rubric_id) if rubric_id is not None else default_rubric()
    if rubric is None:
        raise InvalidInput({"rubric": ["Choose one of the rubrics."]})
    school = None
    if school_id is not None:
        school = db.session.scalars(
            select(School).where(School.district_id == district.id, School.id == school_id)
        ).one_or_none()
        if school is None:
            raise InvalidInput({"school": [f"Choose a school of {district.name}."]})
    visit_year, visit_month = func.extract("year", Visit.visited_on), func.extract("month", Visit.visited_on)
    conditions = [Rating.district_id == district.id, Observation.rubric_id == rubric.id]
    if school is not None:
        conditions.append(Visit.school_id == school.id)
    rows = db.session.execute(
        select(Rating.look_for_id, visit_year, visit_month, Rating.rating, func.count())
        .join(Observation, and_(Observation.district_id == Rating.district_id, Observation.id == Rating.observation_id))
        .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
        .where(*conditions)
        .group_by(Rating.look_for_id, visit_year, visit_month, Rating.rating)
    )
    # A few rows per look-for and month: folding months into quarters here is cheap.
    by_quarter: dict[int, dict[tuple[int, int], Counter]] = defaultdict(lambda: defaultdict(Counter))
    for look_for_id, year, month, rating, count in rows:
        by_quarter[look_for_id][(int(year), (int(month) - 1) // 3 + 1)][rating] += count
    return WalkthroughTrends(rubric, school, [
        LookForTrend(look_for, [
            QuarterRatings(f"{year} Q{quarter}", {point: by_rating[point] for point in rubric.scale})
            for (year, quarter), by_rating in sorted(by_quarter[look_for.id].items())
        ])
        for look_for in rubric.look_fors
        if look_for.id in by_quarter
    ])
