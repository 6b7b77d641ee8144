"""What the offline field form needs, gathered once so that the page can be cached whole."""
from dataclasses import dataclass, replace

from sqlalchemy import select

from app.extensions import db
from app.fieldwork.models import Rubric, Visit
from app.fieldwork.services import rubrics_in_use
from app.fieldwork.visit_form import VisitChoices, visit_choices
from tenants.lookup import logs_visits
from tenants.models import District
from tenants.roles import DISTRICT_STAFF_ROLES, Role
from tenants.scope import current_scope
from tenants.visibility import audience_name


@dataclass
class FieldKit:
    districts: list[District]
    choices: dict[int, VisitChoices]  # per district id: the same places, supports and defaults as the online form
    rubric: Rubric | None  # the version new observations are rated on
    rubric_versions: list[Rubric]  # every version of the rubrics in use: a refused capture is fixed on its own

    def choices_json(self) -> dict[str, dict]:
        return {str(district_id): choices.as_json() for district_id, choices in self.choices.items()}


def field_district_ids(user) -> list[int]:
    """The districts a person captures visits for offline: those they are granted as an assistance lead or as
    district staff (a district leader, a school supervisor), where they log visits.

    Directors and admins reach many districts; a cached page of all of them would be heavy,
    and they log visits with the online form.
    """
    granted = {grant.district_id for grant in user.grants
               if grant.role == Role.ASSISTANCE_LEAD or grant.role in DISTRICT_STAFF_ROLES}
    return sorted(district_id for district_id in granted if district_id is not None and logs_visits(district_id))


def field_kit(user) -> FieldKit:
    """A person's field districts with their visit form choices, and the rubric versions observations are rated on."""
    district_ids = field_district_ids(user)
    districts = list(db.session.scalars(select(District).where(District.id.in_(district_ids)).order_by(District.name)))
    rubrics = rubrics_in_use()
    scope = current_scope()
    return FieldKit(
        districts=districts,
        # Whose internal notes a visit logged here is: the team the person logs for in that district.
        choices={district.id: replace(visit_choices(district, author_id=user.id), notes_audience=audience_name(
            Visit(district_id=district.id, team=scope.team_in(district.id)), "internal_notes"))
            for district in districts},
        rubric=rubrics[0] if rubrics else None,
        rubric_versions=list(db.session.scalars(
            select(Rubric).where(Rubric.name.in_([r.name for r in rubrics])).order_by(Rubric.name, Rubric.version.desc())
        )),
    )
