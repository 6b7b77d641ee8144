"""Marshmallow schemas for the plan's forms: types, ranges and dates; services check the rest."""
from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.plans.figures import NotAFigure, read_state_figure
from app.plans.models import (
    ActionStatus,
    Direction,
    PlanStatus,
    ProviderKind,
    RiskSeverity,
)
from tenants.models import ReportingInterval

TITLE = validate.Length(min=1, max=300)
LONG = validate.Length(max=10_000)
MAX_CENTS = 10_000_000_000  # 100 million dollars: more is a typing slip


def _values(enum) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum])


class Cents(fields.Field):
    """Dollars as typed ("12,500" or "12500.00"), held as integer cents."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            dollars = Decimal(str(value).replace(",", "").replace("$", "").strip())
        except InvalidOperation:
            raise ValidationError("Give an amount in dollars, such as 12500 or 12,500.00.") from None
        if dollars < 0 or dollars.as_tuple().exponent < -2:
            raise ValidationError("Give a positive amount in dollars and cents.")
        cents = int(dollars * 100)
        if cents > MAX_CENTS:
            raise ValidationError("That amount is too large.")
        return cents


def ends_after_start(start: str, end: str, message: str):
    def check(self, data, **kwargs):
        if data.get(start) and data.get(end) and data[end] < data[start]:
            raise ValidationError(message, end)
    # Checked even when another field is wrong: every problem is explained at once.
    return validates_schema(skip_on_field_errors=False)(check)


class PlanSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    status = fields.String(load_default=PlanStatus.DRAFT.value, validate=_values(PlanStatus))
    check_period = ends_after_start("starts_on", "ends_on", "The plan ends after it starts.")


class PlanSettingsSchema(Schema):
    """The district's settings for its plans."""

    reporting_interval = fields.String(required=True, validate=_values(ReportingInterval))
    stale_after_days = fields.Integer(required=True, validate=validate.Range(
        min=1, max=365, error="Between 1 and 365 days."))


class PrioritySchema(Schema):
    title = fields.String(required=True, validate=TITLE)


class StrategySchema(Schema):
    priority_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=TITLE)


class ActionSchema(Schema):
    strategy_id = fields.Integer(required=True)
    title = fields.String(required=True, validate=TITLE)
    owner_id = fields.Integer(required=True)
    starts_on = fields.Date(required=True)
    due_on = fields.Date(required=True)
    status = fields.String(load_default=ActionStatus.NOT_STARTED.value, validate=_values(ActionStatus))
    allocated_cents = Cents(load_default=0)
    spent_cents = Cents(load_default=0)
    funding_source = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    provider_id = fields.Integer(load_default=None, allow_none=True)
    check_dates = ends_after_start("starts_on", "due_on", "The due date comes after the start.")


class ProviderSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(load_default=ProviderKind.PROVIDER.value, validate=_values(ProviderKind))
    contract_cents = Cents(load_default=0)
    contract_starts_on = fields.Date(load_default=None, allow_none=True)
    contract_ends_on = fields.Date(load_default=None, allow_none=True)
    check_period = ends_after_start("contract_starts_on", "contract_ends_on", "The contract ends after it starts.")


class ProgressUpdateSchema(Schema):
    reported_on = fields.Date(required=True)
    status = fields.String(required=True, validate=_values(ActionStatus))
    narrative = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    milestone_id = fields.Integer(load_default=None, allow_none=True)


class MilestoneSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    target_on = fields.Date(required=True)


class RiskSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    severity = fields.String(required=True, validate=_values(RiskSeverity))
    owner_id = fields.Integer(load_default=None, allow_none=True)
    mitigation = fields.String(load_default=None, allow_none=True, validate=LONG)


class ReviewSchema(Schema):
    review_comment = fields.String(load_default=None, allow_none=True, validate=LONG)


class EvidenceSchema(Schema):
    """A visit or one classroom observation."""

    visit_id = fields.Integer(load_default=None, allow_none=True)
    observation_id = fields.Integer(load_default=None, allow_none=True)

    @validates_schema
    def one_of_them(self, data, **kwargs):
        if (data.get("visit_id") is None) == (data.get("observation_id") is None):
            raise ValidationError("Choose a visit or an observation.", "visit_id")


class EquityGoalSchema(Schema):
    metric = fields.String(required=True, validate=validate.Length(min=1, max=200))
    student_group = fields.String(required=True, validate=validate.Length(min=1, max=120))
    comparison_group = fields.String(required=True, validate=validate.Length(min=1, max=120))
    baseline_value = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=99999))
    baseline_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    target_value = fields.Decimal(required=True, places=2, validate=validate.Range(min=0, max=99999))
    target_year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    direction = fields.String(load_default=Direction.HIGHER.value, validate=_values(Direction))
    priority_id = fields.Integer(load_default=None, allow_none=True)

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
    year = fields.Integer(required=True)
    value = Figure(required=True)
    comparison_value = Figure(load_default=None, allow_none=True)
