"""The audit trail in words: what a person would say, never a column name, an enum value or cents.

"Budget allocated $85,000.50 → $90,000.00", "Status Not started → On track",
"Owner Lee Tran → Pat Kim", at "4 Nov 2026 15:05 EST". One describer for the action's
history and the audit logs (platform and district).

How a value reads follows from its column, found once per record kind from the models:
`*_cents` as dollars, an enum-typed column (`Mapped[ActionStatus]`) by its label, a date
as `day`, an instant on the state's clock, a reference (`owner_id`) by the referenced
row's name, read in the current scope with one query per kind of row ("a deleted record"
when it is gone or out of reach). What a viewer may see is the visibility book's call
(`visible_changes`): this module describes what it lets through, nothing else.
"""
import inspect as pyinspect
import re
import typing
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache

from sqlalchemy import Boolean, Date, DateTime, inspect, literal, select

from app.audit.models import AuditEvent
from app.clock import state_now
from app.extensions import db
from app.text import day, dollars
from tenants.scope import Scope
from tenants.visibility import is_withheld, visible_changes

NOTHING = "—"
GONE = "a deleted record"
ACTIONS = {"create": "Created", "update": "Changed", "delete": "Deleted"}

# Where the class name does not read as the thing (`VisitSupport`), or reads too short.
KIND_NAMES = {
    "ActionEvidence": "Evidence for an action",
    "ActionSchool": "School named by an action",
    "EquityGoal": "Equity goal",
    "ImpactAnswer": "Equity impact answer",
    "ImpactReview": "Equity impact review",
    "LookFor": "Look-for",
    "Measurement": "Equity measurement",
    "Observation": "Classroom observation",
    "Provider": "Provider or partner",
    "Rating": "Look-for rating",
    "SupportAssignment": "Support",
    "SupportType": "Kind of support",
    "User": "Person",
    "VisitSupport": "Support served by a visit",
}

# Field labels where dropping the suffix (`_id`, `_cents`, `_on`, `_at`) does not say it.
FIELD_NAMES = {
    "allocated_cents": "Budget allocated",
    "spent_cents": "Budget spent",
    "contract_cents": "Contract amount",
    "contract_starts_on": "Contract start",
    "contract_ends_on": "Contract end",
    "starts_on": "Start",
    "ends_on": "End",
    "due_on": "Due",
    "lead_id": "Assistance lead",
    "support_assignment_id": "Support",
    "support_type_id": "Kind of support",
    "reviewed_by_id": "Reviewed by",
    "made_by_id": "Made by",
    "answered_by_id": "Answered by",
    "user_id": "Person",
    "client_uuid": "Offline submission",
    "directory_id": "State directory number",
    "follow_up_on": "Follow-up date",
    "follow_up_done": "Follow-up done",
    "visited_on": "Date of the visit",
    "reported_on": "Date reported",
    "target_on": "Target date",
    "met_on": "Met on",
    "shared_notes": "Notes shared with the district",
    "school_count": "Number of schools",
    "stale_after_days": "Stale after (days)",
    "suppressed": "Suppressed by the state",
    "baseline_value": "Baseline",
    "target_value": "Target",
    "updated_at": "Last changed",
    "snapshot": "Contents",
}
# Recorded with every created or deleted row, and said by the line itself ("Action 12: ...").
UNSAID = frozenset({"id"})
# The columns that name a row, in order of preference.
NAME_COLUMNS = ("name", "title", "text", "metric", "purpose", "question")


def kind_in_words(object_type: str) -> str:
    """'ImprovementPlan' -> 'Improvement plan', 'VisitSupport' -> 'Support served by a visit'."""
    if object_type in KIND_NAMES:
        return KIND_NAMES[object_type]
    return re.sub(r"(?<!^)(?=[A-Z])", " ", object_type).capitalize()


def field_in_words(name: str) -> str:
    """'allocated_cents' -> 'Budget allocated', 'owner_id' -> 'Owner', 'grade_span' -> 'Grade span'."""
    if name in FIELD_NAMES:
        return FIELD_NAMES[name]
    return re.sub(r"_(id|cents|on|at)$", "", name).replace("_", " ").capitalize()


def when_in_words(at: datetime) -> str:
    """A stored instant (naive UTC) on the state's clock, with its zone: '4 Nov 2026 15:05 EST'."""
    local = state_now(at if at.tzinfo else at.replace(tzinfo=UTC))
    return f"{day(local)} {local:%H:%M %Z}"


def enum_label(member: Enum) -> str:
    return getattr(member, "label", None) or str(member.value).replace("_", " ").capitalize()


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EventInWords:
    event: AuditEvent
    when: str  # on the state's clock, with the zone
    who: str
    action: str  # Created, Changed, Deleted
    what: str  # "Action 12: Coaching cycles"
    changes: list[Change]


def events_in_words(events: list[AuditEvent], scope: Scope | None = None) -> list[EventInWords]:
    """Each event as a person would say it, with only the fields the visibility book lets the viewer see."""
    shown = [visible_changes(e.object_type, e.district_id, e.changes, scope) for e in events]
    wanted: dict[type, set[int]] = defaultdict(set)
    for event, changes in zip(events, shown):
        for name, pair in changes.items():
            target = _column(event.object_type, name).target
            if target is not None:
                wanted[target].update(v for v in pair if isinstance(v, int) and not isinstance(v, bool))
    names = {target: _names(target, ids) for target, ids in wanted.items()}
    return [
        EventInWords(
            event=event,
            when=when_in_words(event.at),
            who=event.user.name if event.user else "The platform",
            action=ACTIONS.get(event.action, event.action.capitalize()),
            what=_what(event),
            changes=[Change(field_in_words(name), *(_value(event.object_type, name, v, names) for v in pair))
                     for name, pair in changes.items() if name not in UNSAID],
        )
        for event, changes in zip(events, shown)
    ]


def _what(event: AuditEvent) -> str:
    """The recorded summary ('ImprovementPlan 3: Literacy') with its kind in words."""
    rest = event.summary.removeprefix(event.object_type) if event.summary.startswith(event.object_type) else ""
    return kind_in_words(event.object_type) + rest


@dataclass(frozen=True)
class _Column:
    kind: str  # text, money, reference, enum, date, instant, yes_no, details
    target: type | None = None
    enum: type[Enum] | None = None


@cache
def _models() -> dict[str, type]:
    return {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}


@cache
def _tables() -> dict[str, type]:
    return {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}


@cache
def _column(object_type: str, name: str) -> _Column:
    """How one field of one kind of record reads, from its column and its annotation."""
    model = _models().get(object_type)
    column = inspect(model).columns.get(name) if model is not None else None
    if name.endswith("_cents"):
        return _Column("money")
    if column is None:
        return _Column("text")
    if name == "district_id":
        return _Column("reference", target=_tables()["districts"])
    references = [key.column.table.name for key in column.foreign_keys if key.column.name != "district_id"]
    if references:
        return _Column("reference", target=_tables().get(references[0]))
    enum = _enum_of(model, name)
    if enum is not None:
        return _Column("enum", enum=enum)
    if isinstance(column.type, DateTime):
        return _Column("instant")
    if isinstance(column.type, Date):
        return _Column("date")
    if isinstance(column.type, Boolean):
        return _Column("yes_no")
    return _Column("text")


def _enum_of(model: type, name: str) -> type[Enum] | None:
    """The enum of a column declared `Mapped[SomeEnum]`, stored as a string."""
    for klass in model.__mro__:
        try:
            annotation = pyinspect.get_annotations(klass, eval_str=True).get(name)
        except (NameError, TypeError):
            annotation = None
        if annotation is None:
            continue
        for argument in typing.get_args(annotation):
            if isinstance(argument, type) and issubclass(argument, Enum):
                return argument
        return None
    return None


def _name_column(model: type):
    columns = inspect(model).columns
    for key in NAME_COLUMNS:
        if key in columns and not is_withheld(model.__name__, key):
            return columns[key]
    return None


def _names(model: type, ids: set[int]) -> dict[int, str]:
    """The names of these rows that still exist in the viewer's scope: one query."""
    column = _name_column(model)
    label = column if column is not None else literal("")
    rows = db.session.execute(select(model.id, label).where(model.id.in_(ids)))
    return {row_id: (text or f"{kind_in_words(model.__name__)} {row_id}") for row_id, text in rows}


def _value(object_type: str, name: str, value, names: dict[type, dict[int, str]]) -> str:
    if value is None:
        return NOTHING
    column = _column(object_type, name)
    if is_withheld(object_type, name):
        return str(value)  # the trail kept only "(withheld: ...)"
    if column.kind == "money" and isinstance(value, int):
        return dollars(value)
    if column.kind == "reference":
        return names.get(column.target, {}).get(value, GONE)
    if column.kind == "enum":
        try:
            return enum_label(column.enum(value))
        except ValueError:
            return str(value).replace("_", " ").capitalize()
    if column.kind == "date" and isinstance(value, str):
        return day(date.fromisoformat(value[:10]))
    if column.kind == "instant" and isinstance(value, str):
        return when_in_words(datetime.fromisoformat(value))
    if column.kind == "yes_no":
        return "Yes" if value else "No"
    if isinstance(value, (dict, list)):
        return "(kept with the record)"
    return str(value)
