"""Schools of a district: reading them and keeping their details current."""
from sqlalchemy import func, select

from app.districts import rules
from app.districts.models import School, SchoolCluster
from app.extensions import db
from tenants.models import District
from workers.queues import enqueue


class SchoolCodeTaken(ValueError):
    """Another school of the district already has this code."""


def schools_of(district: District) -> list[School]:
    """The district's schools, by name."""
    return list(
        db.session.scalars(select(School).where(School.district_id == district.id).order_by(School.name))
    )


def clusters_of(district: District) -> list[SchoolCluster]:
    """The district's school clusters, by name."""
    return list(db.session.scalars(
        select(SchoolCluster).where(SchoolCluster.district_id == district.id).order_by(SchoolCluster.name)
    ))


def recount_schools(district: District) -> int:
    """Recount the district's schools into its cached `school_count`; the caller commits."""
    district.school_count = db.session.scalar(
        select(func.count()).select_from(School).where(School.district_id == district.id)
    )
    return district.school_count


def save_school(district: District, details: dict, school: School | None = None) -> School:
    """Create or update a school of `district`; the caller commits, then calls `school_added` for a new one."""
    code = rules.school_code(details["code"])
    clash = db.session.scalars(
        select(School.id).where(School.district_id == district.id, School.code == code)
    ).first()
    if clash is not None and (school is None or clash != school.id):
        raise SchoolCodeTaken(code)
    school = school or School(district_id=district.id)
    school.name = details["name"].strip()
    school.code = code
    school.grade_span = rules.grade_span(details["grade_span"])
    school.enrollment = details.get("enrollment")
    school.accountability_category = details["accountability_category"]
    db.session.add(school)
    return school


def school_added(district: District, acting_user_id: int) -> None:
    """Refresh the district's count of schools, once the new school is committed (so that the job counts it)."""
    enqueue("workers.jobs.refresh_school_count", district.id, acting_user_id)
