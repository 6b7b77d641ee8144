"""The visit form's choices, defaults and limits: one definition for the online form and the offline app.

The online form renders these; `/field` receives the same lists (as JSON, per district) and
builds its selects from them, so that both offer the same places and supports, start from
the same defaults and hold typing to the same limits as `VisitSchema`.
"""
from dataclasses import asdict, dataclass

from markupsafe import Markup, escape
from marshmallow import validate

from app.districts.services import schools_of
from app.fields import WholeNumber
from app.fieldwork.models import AssignmentStatus, SupportAssignment, VisitKind
from app.fieldwork.schemas import VisitSchema
from app.fieldwork.services import assignments_with_delivery, co_observer_choices, principals_of
from tenants.models import District

DISTRICT_OFFICE = ("", "District office")
# Where a visit happens unless the person says otherwise: never a school chosen for them.
DEFAULT_PLACE = DISTRICT_OFFICE[0]
DEFAULT_KIND = VisitKind.FORMAL.value
VISIT_KINDS = [(kind.value, kind.value.capitalize()) for kind in VisitKind]
# The visit's fields a person types, and whether the form requires them (the schema's `required`).
TYPED_FIELDS = ("visited_on", "minutes", "purpose", "participants", "shared_notes", "internal_notes",
                "next_steps", "follow_up_on")


@dataclass(frozen=True)
class VisitChoices:
    """What a district's visit form offers: (value, label) pairs, values as the form sends them (strings)."""

    places: list[tuple[str, str]]  # the district office first, then the district's schools by name
    supports: list[tuple[str, str]]  # the district's active support assignments
    kinds: list[tuple[str, str]]
    co_observers: list[tuple[str, str]]  # who may observe beside the author, by name with their roles
    principals: list[tuple[str, str]]  # the principals of the district's schools, whom a visit may coach
    default_place: str = DEFAULT_PLACE
    default_kind: str = DEFAULT_KIND
    notes_audience: str = ""  # who reads the internal notes of a visit logged with these choices (offline form)

    def as_json(self) -> dict:
        return asdict(self)


def visit_choices(district: District, served=(), author_id: int | None = None, observed_by=()) -> VisitChoices:
    """The places, supports, kinds, co-observers and principals a visit in `district` may have, with the form's
    defaults.

    `served`: the support assignments a stored visit already served; they stay offered (and ticked) after
    they end, so that saving the visit again never drops them unseen. `author_id`: who logs (or logged) the
    visit, not offered as their own co-observer. `observed_by`: a stored visit's co-observers; one who no longer
    works with the district stays offered (and ticked), said so, rather than dropped unseen.
    """
    supports = [assignment for assignment, _ in assignments_with_delivery(
        SupportAssignment.district_id == district.id, SupportAssignment.status == AssignmentStatus.ACTIVE
    )]
    ended = [assignment for assignment in served if assignment not in supports]
    co_observers = [(str(person.id), f"{person.name} ({roles})")
                    for person, roles in co_observer_choices(district) if person.id != author_id]
    offered = {value for value, _ in co_observers}
    return VisitChoices(
        places=[DISTRICT_OFFICE] + [(str(school.id), school.name) for school in schools_of(district)],
        supports=[(str(a.id), str(a)) for a in supports] + [(str(a.id), f"{a} ({a.status})") for a in ended],
        kinds=VISIT_KINDS,
        co_observers=co_observers + [(str(person.id), f"{person.name} (no longer works with {district.name})")
                                     for person in observed_by if str(person.id) not in offered],
        principals=[(str(leader.user_id), f"{leader.person.name} ({leader.school.name})")
                    for leader in principals_of(district)],
    )


def field_limits() -> dict[str, Markup]:
    """HTML attributes limiting each typed field, read from VisitSchema: {"minutes": ' min="1" max="1440"', ...}.

    `required` is left to the templates, which also mark the label; `required_fields()` names them.
    """
    limits = {}
    for name, field in _typed_fields():
        attributes = {}
        if isinstance(field, WholeNumber):
            attributes |= {"min": field.minimum, "max": field.maximum}
        for rule in field.validators:
            if isinstance(rule, validate.Range):
                attributes |= {key: value for key, value in (("min", rule.min), ("max", rule.max)) if value is not None}
            if isinstance(rule, validate.Length) and rule.max is not None:
                attributes["maxlength"] = rule.max
        limits[name] = Markup("".join(f' {key}="{escape(value)}"' for key, value in attributes.items()))
    return limits


def required_fields() -> frozenset[str]:
    return frozenset(name for name, field in _typed_fields() if field.required)


def _typed_fields():
    schema = VisitSchema()
    return [(name, schema.fields[name]) for name in TYPED_FIELDS]
