"""Which fields of a district's records each viewer may see: the one visibility rule book.

Tenancy (`access.py`) decides which districts a person reaches. Within a district it
reaches, this book decides which fields of which records they may see. A rule is one
entry of `RULES`: a model (by class name, as the audit trail names it), the fields it
covers (or `EVERY_FIELD` for a personnel record), an optional condition on the record,
and the audience that may see them. A field no rule covers is seen by everyone who
reads the district.

Every consumer asks this book, never a list of its own: pages and templates (the Jinja
test `visible` and global `may_see_field`), lists and their CSV/XLSX exports, the API
(`FollowsTheBook` schemas), the district export, the audit trail (`recorded_value` when
recording, `visible_changes` when showing), mail and status reports (which carry no
withheld field: what they freeze or send is read outside the page that checks).

Whole records private to some people (a principal's evaluation, a personnel record) are not fields of a
district's records: their rule is `tenants/personnel.py`, applied below the views as the tenant filter is.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import Schema, post_dump

from tenants.roles import Team
from tenants.scope import Scope, current_scope

EVERY_FIELD = "*"


@dataclass(frozen=True)
class Audience:
    """Who may see what a rule covers.

    `sees(scope, record)` decides for one record; `may_see_some(scope, district_id)`
    decides where no record is at hand (a column header, a line of the audit trail):
    whether the viewer may see the field on some record of that district.
    """

    name: str  # in words, for README-like texts and form hints
    badge: str  # the short tag shown beside a withheld field to those who see it
    sees: Callable[[Scope, object], bool]
    may_see_some: Callable[[Scope, int], bool]


# A district's support team: its assistance leads, their regional director, platform admins.
SUPPORT_TEAM = Audience(
    name="the district's support team (its assistance leads, their regional director, platform admins)",
    badge="support team only",
    sees=lambda scope, record: scope.supports(record.district_id),
    may_see_some=lambda scope, district_id: scope.supports(district_id),
)

# A district's own staff: its district leaders and school supervisors (not its viewers: principals, the monitor).
DISTRICT_STAFF = Audience(
    name="the district's own staff (its district leaders and school supervisors)",
    badge="district staff only",
    sees=lambda scope, record: scope.staffs(record.district_id),
    may_see_some=lambda scope, district_id: scope.staffs(district_id),
)


@dataclass(frozen=True)
class Rule:
    """`fields` of `model` records (those for which `when(record)` holds) are seen by `audience` only."""

    model: str
    fields: frozenset[str] | str
    audience: Audience
    when: Callable[[object], bool] = field(default=lambda record: True)

    def covers(self, model: str, name: str) -> bool:
        return model == self.model and (self.fields == EVERY_FIELD or name in self.fields)


RULES: tuple[Rule, ...] = (
    # A visit's internal notes stay with the team that wrote them (issue 16): a consultant's with the support
    # team, a district supervisor's with the district's staff; neither team reads the other's.
    Rule("Visit", frozenset({"internal_notes"}), SUPPORT_TEAM, when=lambda visit: visit.team == Team.SUPPORT),
    Rule("Visit", frozenset({"internal_notes"}), DISTRICT_STAFF, when=lambda visit: visit.team == Team.DISTRICT),
)


def _model_name(model_or_record) -> str:
    if isinstance(model_or_record, str):
        return model_or_record
    return (model_or_record if isinstance(model_or_record, type) else type(model_or_record)).__name__


def rules_for(model_or_record, name: str) -> list[Rule]:
    """The rules covering one field of a model (a class, a record or the class's name)."""
    model = _model_name(model_or_record)
    return [rule for rule in RULES if rule.covers(model, name)]


def is_withheld(model_or_record, name: str) -> bool:
    """Whether any rule covers this field: its value never goes where no viewer is checked (the audit trail, mail)."""
    return bool(rules_for(model_or_record, name))


def may_see(record, name: str, scope: Scope | None = None) -> bool:
    """Whether the viewer (the current scope by default) may see this field of this record."""
    scope = scope or current_scope()
    return all(rule.audience.sees(scope, record) for rule in rules_for(record, name) if rule.when(record))


def may_see_field(model, name: str, district_id: int, scope: Scope | None = None) -> bool:
    """Whether the viewer may see this field on some record of the district (a column, a trail line)."""
    scope = scope or current_scope()
    rules = rules_for(model, name)
    return not rules or any(rule.audience.may_see_some(scope, district_id) for rule in rules)


def visible_value(record, name: str, scope: Scope | None = None):
    """The field's value if the viewer may see it on this record, else None."""
    return getattr(record, name) if may_see(record, name, scope) else None


def _rules_shown(model_or_record, name: str) -> list[Rule]:
    """The rules covering a field: of a record, those that apply to it; of a model, all of them."""
    rules = rules_for(model_or_record, name)
    if isinstance(model_or_record, (str, type)):
        return rules
    return [rule for rule in rules if rule.when(model_or_record)]


def badge(model_or_record, name: str) -> str:
    """The tag shown beside a withheld field ("support team only"), or "" for a field everyone sees.

    Of a record (a visit), the tag of the rule that applies to it; of a model, every rule's."""
    return _badges(_rules_shown(model_or_record, name))


def _badges(rules) -> str:
    return " · ".join(dict.fromkeys(rule.audience.badge for rule in rules))


def badge_seen(model, name: str, district_id: int, scope: Scope | None = None) -> str:
    """The tag of a column of the district's records as this viewer sees it: the tags of the rules whose audience
    they are in there ("support team only" for a lead, "district staff only" for a district leader), or ""."""
    scope = scope or current_scope()
    return _badges(rule for rule in rules_for(model, name) if rule.audience.may_see_some(scope, district_id))


def audience_name(model_or_record, name: str) -> str:
    """Who may see a field, in words ("the district's support team (...)"), or "" for everyone."""
    return "; ".join(dict.fromkeys(rule.audience.name for rule in _rules_shown(model_or_record, name)))


def recorded_value(model, name: str, value):
    """What a copy read outside any page's check (the audit trail) keeps of a field: never a withheld value.

    The trail is read by district leaders and handed over in the district export, so it says that a
    withheld field changed, never what it says: "(withheld: support team only)".
    """
    if value is not None and is_withheld(model, name):
        return f"(withheld: {badge(model, name)})"
    return value


def visible_changes(model: str, district_id: int, changes: dict, scope: Scope | None = None) -> dict:
    """The entries of an audit event's `changes` ({field: [before, after]}) the viewer may see.

    A withheld field's entry is shown only to the audience of the rule that applied to its record, which its
    recorded value names ("(withheld: support team only)"): the district's staff do not learn when the support
    team's notes changed, nor the support team when the district's did."""
    scope = scope or current_scope()
    return {name: pair for name, pair in changes.items() if _may_see_change(model, name, district_id, pair, scope)}


def _may_see_change(model: str, name: str, district_id: int, pair, scope: Scope) -> bool:
    rules = rules_for(model, name)
    recorded = {value for value in pair or () if isinstance(value, str)}
    applied = [rule for rule in rules if f"(withheld: {rule.audience.badge})" in recorded]
    return not rules or any(rule.audience.may_see_some(scope, district_id) for rule in applied or rules)


class FollowsTheBook(Schema):
    """A marshmallow schema whose dumps leave out, record by record, every field the book withholds.

    Per record, not per list: one person may be on the support team of one district and a viewer in another.
    """

    @post_dump(pass_original=True)
    def leave_out_what_the_book_withholds(self, data: dict, record, **kwargs) -> dict:
        for name, schema_field in self.dump_fields.items():
            attribute = schema_field.attribute or name
            if not may_see(record, attribute):
                data.pop(schema_field.data_key or name, None)
        return data


def init_templates(app) -> None:
    """`{% if visit is visible("internal_notes") %}` and `may_see_field("Visit", "internal_notes", district.id)`."""
    app.jinja_env.tests["visible"] = may_see
    app.jinja_env.globals.update(may_see_field=may_see_field, withheld_badge=badge, withheld_audience=audience_name)
