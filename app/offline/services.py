"""What the offline field form needs, gathered once so that the page can be cached whole."""
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.fieldwork.models import Rubric
from app.fieldwork.services import lead_district_ids, rubrics_in_use
from app.fieldwork.visit_form import VisitChoices, visit_choices
from tenants.lookup import logs_visits
from tenants.models import District


@dataclass
class FieldKit:
    districts: list[District]
    choices: dict[int, VisitChoices]  # per district id: the same places, supports and defaults as the online form
    rubric: Rubric | None  # the version new observations are rated on
    rubric_versions: list[Rubric]  # every version of the rubrics in use: a refused capture is fixed on its own

    def choices_json(self) -> dict[str, dict]:
        return {str(district_id): choices.as_json() for district_id, choices in self.choices.items()}


def field_district_ids(user) -> list[int]:
    """The districts a person captures visits for offline: where they are a lead and on the support team.

    Directors and admins reach many districts; a cached page of all of them would be heavy,
    and they log visits with the online form.
    """
    return [district_id for district_id in lead_district_ids(user) if logs_visits(district_id)]


def field_kit(user) -> FieldKit:
    """A lead's districts with their visit form choices, and the rubric versions observations are rated on."""
    district_ids = field_district_ids(user)
    districts = list(db.session.scalars(select(District).where(District.id.in_(district_ids)).order_by(District.name)))
    rubrics = rubrics_in_use()
    return FieldKit(
        districts=districts,
        choices={district.id: visit_choices(district) for district in districts},
        rubric=rubrics[0] if rubrics else None,
        rubric_versions=list(db.session.scalars(
            select(Rubric).where(Rubric.name.in_([r.name for r in rubrics])).order_by(Rubric.name, Rubric.version.desc())
        )),
    )
