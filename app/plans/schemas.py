"""Marshmallow schemas for the plan's forms: types, ranges and dates; services check the rest."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.fields import Cents, Day, Id, PlainDecimal, Text, WholeNumber
from app.plans.figures import NotAFigure, read_state_figure
from app.plans.models import (
    ActionStatus,
    Direction,
    PlanStatus,
    ProviderKind,
    RiskSeverity,
)
from tenants.models import ReportingInterval

TITLE = 300
LONG = 10_000


def _values(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


def ends_after_start(start: str, end: str, message: str):
    def check(self, data, **kwargs):
        if data.get(start) and data.get(end) and data[end] < data[start]:
            raise ValidationError(message, end)
    # Checked even when another field is wrong: every problem is explained at once.
    return validates_schema(skip_on_field_errors=False)(check)


class PlanSchema(Schema):
    title = Text(required=True, max_length=TITLE)
    starts_on = Day(required=True)
    ends_on = Day(required=True)
    status = fields.String(load_default=PlanStatus.DRAFT.value, validate=_values(PlanStatus))
    check_period = ends_after_start("starts_on", "ends_on", "The plan ends after it starts.")


class PlanSettingsSchema(Schema):
    """The district's settings for its plans."""

    reporting_interval = fields.String(required=True, validate=_values(ReportingInterval))
    stale_after_days = WholeNumber(required=True, minimum=1, maximum=365, error="Between 1 and 365 days.")


class PrioritySchema(Schema):
    title = Text(required=True, max_length=TITLE)


class StrategySchema(Schema):
    priority_id = Id(required=True)
    title = Text(required=True, max_length=TITLE)


class ActionSchema(Schema):
    strategy_id = Id(required=True)
    title = Text(required=True, max_length=TITLE)
    owner_id = Id(required=True)
    starts_on = Day(required=True)
    due_on = Day(required=True)
    status = fields.String(load_default=ActionStatus.NOT_STARTED.value, validate=_values(ActionStatus))
    allocated_cents = Cents(load_default=0)
    spent_cents = Cents(load_default=0)
    funding_source = Text(load_default=None, allow_none=True, max_length=200)
    provider_id = Id(load_default=None, allow_none=True)
    check_dates = ends_after_start("starts_on", "due_on", "The due date comes after the start.")


class ProviderSchema(Schema):
    name = Text(required=True, max_length=200)
    kind = fields.String(load_default=ProviderKind.PROVIDER.value, validate=_values(ProviderKind))
    contract_cents = Cents(load_default=0)
    contract_starts_on = Day(load_default=None, allow_none=True)
    contract_ends_on = Day(load_default=None, allow_none=True)
    check_period = ends_after_start("contract_starts_on", "contract_ends_on", "The contract ends after it starts.")


class ProgressUpdateSchema(Schema):
    reported_on = Day(required=True)
    status = fields.String(required=True, validate=_values(ActionStatus))
    narrative = Text(required=True, max_length=LONG)
    milestone_id = Id(load_default=None, allow_none=True)


class MilestoneSchema(Schema):
    title = Text(required=True, max_length=TITLE)
    target_on = Day(required=True)


class RiskSchema(Schema):
    title = Text(required=True, max_length=TITLE)
    severity = fields.String(required=True, validate=_values(RiskSeverity))
    owner_id = Id(load_default=None, allow_none=True)
    mitigation = Text(load_default=None, allow_none=True, max_length=LONG)


class ReviewSchema(Schema):
    review_comment = Text(load_default=None, allow_none=True, max_length=LONG)


class EvidenceSchema(Schema):
    """A visit or one classroom observation."""

    visit_id = Id(load_default=None, allow_none=True)
    observation_id = Id(load_default=None, allow_none=True)

    @validates_schema
    def one_of_them(self, data, **kwargs):
        if (data.get("visit_id") is None) == (data.get("observation_id") is None):
            raise ValidationError("Choose a visit or an observation.", "visit_id")


class EquityGoalSchema(Schema):
    metric = Text(required=True, max_length=200)
    student_group = Text(required=True, max_length=120)
    comparison_group = Text(required=True, max_length=120)
    baseline_value = PlainDecimal(required=True, places=2, validate=validate.Range(min=0, max=99999))
    baseline_year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.")
    target_value = PlainDecimal(required=True, places=2, validate=validate.Range(min=0, max=99999))
    target_year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.")
    direction = fields.String(load_default=Direction.HIGHER.value, validate=_values(Direction))
    priority_id = Id(load_default=None, allow_none=True)

    @validates_schema
    def target_after_baseline(self, data, **kwargs):
        if data.get("baseline_year") and data.get("target_year") and data["target_year"] <= data["baseline_year"]:
            raise ValidationError("The target year comes after the baseline year.", "target_year")


class Figure(fields.Field):
    """A figure as the state prints it ("18", "18%", "<10", "-"), held as a StateFigure."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return read_state_figure(str(value))
        except NotAFigure as wrong:
            raise ValidationError(str(wrong)) from None


class MeasurementSchema(Schema):
    year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.")
    value = Figure(required=True)
    comparison_value = Figure(load_default=None, allow_none=True)
