"""What a person sees first: the districts in their reach, and for directors a regional summary."""
from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.districts.models import School
from app.extensions import db
from tenants.access import can_view_rollups
from tenants.lookup import cross_district_reads
from tenants.models import AccountabilityStatus, District, Region

NEEDS_ASSISTANCE = [status for status in AccountabilityStatus if status.requires_assistance]


@dataclass(frozen=True)
class RegionSummary:
    region: str
    districts: int
    schools: int
    schools_needing_assistance: int


def districts_in_reach() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.name)))


def region_summaries(user) -> list[RegionSummary]:
    """Districts and schools per region, through the cross-district door; empty for other roles."""
    if not can_view_rollups(user):
        return []
    with cross_district_reads(user):
        needing = case((School.accountability_category.in_(NEEDS_ASSISTANCE), 1), else_=0)
        rows = db.session.execute(
            select(
                Region.name,
                func.count(func.distinct(District.id)),
                func.count(School.id),
                func.coalesce(func.sum(needing), 0),
            )
            .select_from(District)
            .join(Region, District.region_id == Region.id)
            .outerjoin(School, School.district_id == District.id)
            .group_by(Region.name)
            .order_by(Region.name)
        )
        return [RegionSummary(*row) for row in rows]
