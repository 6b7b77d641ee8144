"""Marshmallow schemas for the plan's forms: types, ranges and dates; services check the rest.

Each field's `label` is the one its form shows: the messages name it ("Write what happened.").
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from app.fields import Cents, Choice, Day, Id, IdChoices, Labelled, PlainDecimal, PlainSchema, Text, WholeNumber
from app.plans.figures import NotAFigure, read_state_figure
from app.plans.models import ActionStatus, Direction, PlanStatus, ProviderKind, RiskSeverity
from tenants.models import ReportingInterval

TITLE = 300
LONG = 10_000


def _values(enum) -> list[str]:
    return [member.value for member in enum]


def ends_after_start(start: str, end: str, message: str):
    def check(self, data, **kwargs):
        if data.get(start) and data.get(end) and data[end] < data[start]:
            raise ValidationError(message, end)
    # Checked even when another field is wrong: every problem is explained at once.
    return validates_schema(skip_on_field_errors=False)(check)


class PlanSchema(PlainSchema):
    title = Text(required=True, max_length=TITLE, label="Title")
    starts_on = Day(required=True, label="Start")
    ends_on = Day(required=True, label="End")
    status = Choice(_values(PlanStatus), load_default=PlanStatus.DRAFT.value, label="Status")
    check_period = ends_after_start("starts_on", "ends_on", "The plan ends after it starts.")


class PlanSettingsSchema(PlainSchema):
    """The district's settings for its plans."""

    reporting_interval = Choice(_values(ReportingInterval), required=True, label="Status reports")
    stale_after_days = WholeNumber(required=True, minimum=1, maximum=365, error="Between 1 and 365 days.",
                                   label="Days without an update")


class PrioritySchema(PlainSchema):
    title = Text(required=True, max_length=TITLE, label="Priority")


class StrategySchema(PlainSchema):
    priority_id = Id(required=True, label="Priority")
    title = Text(required=True, max_length=TITLE, label="Strategy")


class ActionSchema(PlainSchema):
    strategy_id = Id(required=True, label="Strategy")
    title = Text(required=True, max_length=TITLE, label="Action")
    owner_id = Id(required=True, label="Owner")
    starts_on = Day(required=True, label="Start")
    due_on = Day(required=True, label="Due date")
    status = Choice(_values(ActionStatus), load_default=ActionStatus.NOT_STARTED.value, label="Status")
    allocated_cents = Cents(load_default=0, label="Budget allocated")
    spent_cents = Cents(load_default=0, label="Spent")
    funding_source = Text(load_default=None, allow_none=True, max_length=200, label="Funding source")
    provider_id = Id(load_default=None, allow_none=True, label="Provider")
    # The schools the action is done in or for; none: district-wide.
    school_ids = IdChoices("schools", load_default=list)
    check_dates = ends_after_start("starts_on", "due_on", "The due date comes after the start.")


class ProviderSchema(PlainSchema):
    name = Text(required=True, max_length=200, label="Name")
    kind = Choice(_values(ProviderKind), load_default=ProviderKind.PROVIDER.value, label="Kind")
    contract_cents = Cents(load_default=0, label="Contract or contribution")
    contract_starts_on = Day(load_default=None, allow_none=True, label="Contract start")
    contract_ends_on = Day(load_default=None, allow_none=True, label="Contract end")
    check_period = ends_after_start("contract_starts_on", "contract_ends_on", "The contract ends after it starts.")


class ProgressUpdateSchema(PlainSchema):
    reported_on = Day(required=True, label="Date")
    status = Choice(_values(ActionStatus), required=True, label="Status now")
    narrative = Text(required=True, max_length=LONG, label="What happened")
    milestone_id = Id(load_default=None, allow_none=True, label="About the milestone")


class MilestoneSchema(PlainSchema):
    title = Text(required=True, max_length=TITLE, label="Milestone")
    target_on = Day(required=True, label="Target date")


class RiskSchema(PlainSchema):
    title = Text(required=True, max_length=TITLE, label="Risk or blocking issue")
    severity = Choice(_values(RiskSeverity), required=True, label="Severity")
    owner_id = Id(load_default=None, allow_none=True, label="Risk owner")
    mitigation = Text(load_default=None, allow_none=True, max_length=LONG, label="Mitigation")


class ReviewSchema(PlainSchema):
    review_comment = Text(load_default=None, allow_none=True, max_length=LONG, label="Review comment")


class EvidenceSchema(PlainSchema):
    """A visit or one classroom observation."""

    visit_id = Id(load_default=None, allow_none=True, label="Visit that served this action")
    observation_id = Id(load_default=None, allow_none=True, label="Classroom observation that served this action")

    @validates_schema
    def one_of_them(self, data, **kwargs):
        if (data.get("visit_id") is None) == (data.get("observation_id") is None):
            raise ValidationError("Choose a visit or an observation.", "visit_id")


class EquityGoalSchema(PlainSchema):
    metric = Text(required=True, max_length=200, label="Metric")
    student_group = Text(required=True, max_length=120, label="Student group")
    comparison_group = Text(required=True, max_length=120, label="Comparison group")
    baseline_value = PlainDecimal(required=True, places=2, validate=validate.Range(min=0, max=99999),
                                  label="Baseline value")
    baseline_year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.",
                                label="Baseline year")
    target_value = PlainDecimal(required=True, places=2, validate=validate.Range(min=0, max=99999),
                                label="Target value")
    target_year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.",
                              label="Target year")
    direction = Choice(_values(Direction), load_default=Direction.HIGHER.value, label="Direction")
    priority_id = Id(load_default=None, allow_none=True, label="Priority of the plan")

    @validates_schema(skip_on_field_errors=False)
    def target_after_baseline(self, data, **kwargs):
        if data.get("baseline_year") and data.get("target_year") and data["target_year"] <= data["baseline_year"]:
            raise ValidationError("The target year comes after the baseline year.", "target_year")

    @validates_schema(skip_on_field_errors=False)
    def target_the_right_way(self, data, **kwargs):
        # A target on the wrong side of the baseline makes every later measurement look "on track" backwards.
        baseline, target = data.get("baseline_value"), data.get("target_value")
        if baseline is None or target is None:
            return
        if data.get("direction") == Direction.HIGHER.value and target < baseline:
            raise ValidationError(f"Higher is better: set a target above the baseline ({baseline}), or choose "
                                  "“Lower is better”.", "target_value")
        if data.get("direction") == Direction.LOWER.value and target > baseline:
            raise ValidationError(f"Lower is better: set a target below the baseline ({baseline}), or choose "
                                  "“Higher is better”.", "target_value")


class Figure(Labelled, fields.Field):
    """A figure as the state prints it ("18", "18%", "<10", "-"), held as a StateFigure."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return read_state_figure(str(value))
        except NotAFigure as wrong:
            raise ValidationError(str(wrong)) from None


class MeasurementSchema(PlainSchema):
    year = WholeNumber(required=True, minimum=2000, maximum=2100, error="A year from 2000 to 2100.",
                       label="School year")
    value = Figure(required=True, label="Figure for the student group")
    comparison_value = Figure(load_default=None, allow_none=True, label="Figure for the comparison group")
