"""Walkthrough trends: how a district's (or a school's) ratings per look-for move, quarter by quarter."""
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, func, select

from app.districts.models import School, SchoolCluster
from app.extensions import db
from app.fieldwork.models import LookFor, Observation, Rating, Rubric, Visit
from app.forms import InvalidInput
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
    look_for: LookFor  # the newest version's wording of the series
    quarters: list[QuarterRatings]


@dataclass(frozen=True)
class WalkthroughTrends:
    rubric: Rubric  # the version chosen, or the newest of the rubric when following it across versions
    school: School | None
    cluster: SchoolCluster | None
    look_fors: list[LookForTrend]
    across_versions: bool  # ratings of every version of the rubric, look-fors carried over as one series
    scale: range

    @property
    def where(self) -> str:
        """What the ratings are of: a school, a cluster (both when both were chosen), or the whole district."""
        names = [place.name for place in (self.school, self.cluster) if place is not None]
        return " in ".join(names) if names else "The whole district"

    @property
    def title(self) -> str:
        return f"{self.rubric.name} (all versions)" if self.across_versions else str(self.rubric)


def default_rubric() -> Rubric | None:
    """The newest active version of the walkthrough rubric, else any rubric in use."""
    in_use = select(Rubric).where(Rubric.active).order_by((Rubric.name != DEFAULT_RUBRIC), Rubric.version.desc())
    return db.session.scalars(in_use.limit(1)).first()


def versions_of(rubric: Rubric) -> list[Rubric]:
    """Every version of a rubric, newest first."""
    return list(db.session.scalars(select(Rubric).where(Rubric.name == rubric.name).order_by(Rubric.version.desc())))


def rubrics_to_follow(district: District) -> list[Rubric]:
    """One entry per rubric (its newest version) that is in use or has ratings in the district."""
    rated = select(Observation.rubric_id).where(Observation.district_id == district.id)
    names = select(Rubric.name).where(Rubric.active | Rubric.id.in_(rated))
    newest = select(Rubric.name, func.max(Rubric.version).label("version")).where(Rubric.name.in_(names)) \
        .group_by(Rubric.name).subquery()
    return list(db.session.scalars(
        select(Rubric).join(newest, and_(newest.c.name == Rubric.name, newest.c.version == Rubric.version))
        .order_by(Rubric.name != DEFAULT_RUBRIC, Rubric.name)
    ))


def rubric_versions_for(district: District) -> list[Rubric]:
    """Every rubric version in use or with ratings in the district: what its observations may be filtered by."""
    rated = select(Observation.rubric_id).where(Observation.district_id == district.id)
    return list(db.session.scalars(
        select(Rubric).where(Rubric.active | Rubric.id.in_(rated)).order_by(Rubric.name, Rubric.version.desc())
    ))


def rated_versions(district: District, rubric: Rubric) -> list[Rubric]:
    """The versions of `rubric` with ratings in the district, newest first: each may be read on its own."""
    rated = select(Observation.rubric_id).where(Observation.district_id == district.id).distinct()
    return [version for version in versions_of(rubric) if version.id in set(db.session.scalars(rated))]


def series_of(versions: list[Rubric]) -> dict[int, LookFor]:
    """Each look-for id of these versions -> the look-for that names its series (the newest one carried over)."""
    by_id = {look_for.id: look_for for version in versions for look_for in version.look_fors}

    def first_of(look_for: LookFor) -> int:
        while look_for.carried_from_id in by_id:
            look_for = by_id[look_for.carried_from_id]
        return look_for.id

    newest: dict[int, LookFor] = {}
    # Oldest version first, so that a look-for carried into a later version takes over its series' name.
    for look_for in sorted(by_id.values(), key=lambda lf: lf.rubric.version):
        newest[first_of(look_for)] = look_for
    return {look_for_id: newest[first_of(look_for)] for look_for_id, look_for in by_id.items()}


def walkthrough_trends(
    district: District, rubric_id: int | None = None, school_id: int | None = None, version_id: int | None = None,
    cluster_id: int | None = None,
) -> WalkthroughTrends:
    """Count each look-for's ratings per quarter, for the district, one of its clusters or one of its schools.

    Follows the rubric across its versions (a look-for carried into a new version is one series) unless
    `version_id` names one version. Raises InvalidInput (`rubric`, `version`, `school`, `cluster`).
    """
    rubric = db.session.get(Rubric, rubric_id) if rubric_id is not None else default_rubric()
    if rubric is None:
        raise InvalidInput({"rubric": ["Choose one of the rubrics."]})
    versions = versions_of(rubric)
    if version_id is not None:
        chosen = [version for version in versions if version.id == version_id]
        if not chosen:
            raise InvalidInput({"version": [f"Choose a version of {rubric.name}."]})
        versions = chosen
    school = None
    if school_id is not None:
        school = db.session.scalars(
            select(School).where(School.district_id == district.id, School.id == school_id)
        ).one_or_none()
        if school is None:
            raise InvalidInput({"school": [f"Choose a school of {district.name}."]})
    cluster = None
    if cluster_id is not None:
        cluster = db.session.scalars(select(SchoolCluster).where(
            SchoolCluster.district_id == district.id, SchoolCluster.id == cluster_id)).one_or_none()
        if cluster is None:
            raise InvalidInput({"cluster": [f"Choose a cluster of {district.name}."]})
    visit_year, visit_month = func.extract("year", Visit.visited_on), func.extract("month", Visit.visited_on)
    conditions = [Rating.district_id == district.id, Observation.rubric_id.in_([v.id for v in versions])]
    if school is not None:
        conditions.append(Visit.school_id == school.id)
    if cluster is not None:
        conditions.append(Visit.school_id.in_(
            select(School.id).where(School.district_id == district.id, School.cluster_id == cluster.id)))
    rows = db.session.execute(
        select(Rating.look_for_id, visit_year, visit_month, Rating.rating, func.count())
        .join(Observation, and_(Observation.district_id == Rating.district_id, Observation.id == Rating.observation_id))
        .join(Visit, and_(Visit.district_id == Observation.district_id, Visit.id == Observation.visit_id))
        .where(*conditions)
        .group_by(Rating.look_for_id, visit_year, visit_month, Rating.rating)
    )
    series = series_of(versions)
    # A few rows per look-for and month: folding months into quarters, and versions into series, here is cheap.
    by_quarter: dict[int, dict[tuple[int, int], Counter]] = defaultdict(lambda: defaultdict(Counter))
    for look_for_id, year, month, rating, count in rows:
        by_quarter[series[look_for_id].id][(int(year), (int(month) - 1) // 3 + 1)][rating] += count
    shown = versions[0]
    # Versions may differ in scale: show every point any of them has.
    scale = range(min(v.scale_min for v in versions), max(v.scale_max for v in versions) + 1)
    named = sorted({look_for.id: look_for for look_for in series.values()}.values(),
                   key=lambda lf: (lf.rubric_id != shown.id, lf.position, lf.id))
    return WalkthroughTrends(shown, school, cluster, [
        LookForTrend(look_for, [
            QuarterRatings(f"{year} Q{quarter}", {point: by_rating[point] for point in scale})
            for (year, quarter), by_rating in sorted(by_quarter[look_for.id].items())
        ])
        for look_for in named
        if look_for.id in by_quarter
    ], across_versions=version_id is None and len(versions) > 1, scale=scale)
