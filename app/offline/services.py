"""What the offline field form needs, gathered once so that the page can be cached whole."""
from dataclasses import dataclass

from sqlalchemy import select

from app.districts.models import School
from app.extensions import db
from app.fieldwork.models import AssignmentStatus, Rubric, SupportAssignment
from app.fieldwork.services import lead_district_ids, rubrics_in_use
from tenants.lookup import on_support_team
from tenants.models import District


@dataclass
class FieldKit:
    districts: list[District]
    schools: list[School]
    supports: list[SupportAssignment]
    rubric: Rubric | None


def field_district_ids(user) -> list[int]:
    """The districts a person captures visits for offline: where they are a lead and on the support team.

    Directors and admins reach many districts; a cached page of all of them would be heavy,
    and they log visits with the online form.
    """
    return [district_id for district_id in lead_district_ids(user) if on_support_team(district_id)]


def field_kit(user) -> FieldKit:
    """A lead's districts, their schools and active supports, and the rubric for new observations."""
    district_ids = field_district_ids(user)
    rubrics = rubrics_in_use()
    return FieldKit(
        districts=list(db.session.scalars(
            select(District).where(District.id.in_(district_ids)).order_by(District.name)
        )),
        schools=list(db.session.scalars(
            select(School).where(School.district_id.in_(district_ids)).order_by(School.name)
        )),
        supports=list(db.session.scalars(
            select(SupportAssignment).where(
                SupportAssignment.district_id.in_(district_ids), SupportAssignment.status == AssignmentStatus.ACTIVE
            ).order_by(SupportAssignment.starts_on.desc(), SupportAssignment.id)
        )),
        rubric=rubrics[0] if rubrics else None,
    )
