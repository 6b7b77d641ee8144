"""The forms of a cycle's pages, as marshmallow schemas (app.fields): what each act takes, in the form's words."""
from app.evaluations.framework import RATED, FormativeKind, GoalKind, PlanType
from app.fields import BoundedList, Choice, Day, Id, IdChoices, PlainSchema, Text, WholeNumber

LONG_TEXT = 20_000  # a self-assessment, a rationale, a response: pages of writing, not books
NOTE = 5_000


class DueDates(PlainSchema):
    self_assessment_due = Day(load_default=None, allow_none=True, label="Self-assessment due")
    goals_due = Day(load_default=None, allow_none=True, label="Goals and plan due")
    formative_due = Day(load_default=None, allow_none=True, label="Formative due")
    summative_due = Day(load_default=None, allow_none=True, label="Summative due")


class CalendarSchema(PlainSchema):
    school_year = WholeNumber(required=True, minimum=2000, maximum=2099, label="School year",
                              error="Choose a school year from the list.")
    self_assessment_due = Day(required=True, label="Self-assessment due")
    goals_due = Day(required=True, label="Goals and plan due")
    formative_due = Day(required=True, label="Formative due")
    summative_due = Day(required=True, label="Summative due")


class PlanFields(PlainSchema):
    plan_type = Choice([p.value for p in PlanType], required=True, label="Educator plan")
    plan_months = WholeNumber(required=True, minimum=1, maximum=24, label="Plan length (months)",
                              error="Give a length from 1 to 24 months.")
    formative_kind = Choice([k.value for k in FormativeKind], required=True, label="Formative")


class OpenCycleSchema(PlanFields):
    principal_id = Id(required=True, label="Principal")
    school_year = WholeNumber(required=True, minimum=2000, maximum=2099, label="School year",
                              error="Choose a school year from the list.")
    evaluator_id = Id(load_default=None, allow_none=True, label="Evaluator")


class PlanSchema(PlanFields, DueDates):
    pass


class EvaluatorSchema(PlainSchema):
    evaluator_id = Id(required=True, label="Evaluator")


class SelfAssessmentSchema(PlainSchema):
    self_assessment = Text(load_default=None, allow_none=True, max_length=LONG_TEXT, label="Self-assessment")
    submit = Choice(["yes", "no"], load_default="no", label="Submit")  # which button: save a draft, or submit


class GoalSchema(PlainSchema):
    kind = Choice([k.value for k in GoalKind], required=True, label="Kind of goal")
    title = Text(required=True, max_length=300, label="Goal")
    key_actions = Text(load_default=None, allow_none=True, max_length=NOTE, label="Key actions")
    benchmarks = Text(load_default=None, allow_none=True, max_length=NOTE, label="Benchmarks")
    progress_notes = Text(load_default=None, allow_none=True, max_length=NOTE, label="Progress notes")
    action_ids = IdChoices("plan actions", load_default=list)


class EvidenceSchema(PlainSchema):
    visit_id = Id(load_default=None, allow_none=True, label="Visit")
    observation_id = Id(load_default=None, allow_none=True, label="Observation")
    title = Text(load_default=None, allow_none=True, max_length=300, label="Artifact")
    collected_on = Day(load_default=None, allow_none=True, label="Collected on")
    note = Text(load_default=None, allow_none=True, max_length=NOTE, label="Note")
    indicators = BoundedList(Text(max_length=10), "indicators", load_default=list)


class CorrectionSchema(PlainSchema):
    reason = Text(required=True, max_length=NOTE, label="Reason for the correction")


class SignSchema(PlainSchema):
    response = Text(load_default=None, allow_none=True, max_length=LONG_TEXT, label="Your response")


def ratings_schema(goal_ids: list[int]) -> PlainSchema:
    """A rating and rationale per Standard and overall, progress and a note per goal. Ratings are loaded as
    text: whether one is on the scale is the service's rule, said beside its field."""
    fields = {"issue": Choice(["yes", "no"], load_default="no", label="Issue")}  # which button: save, or issue
    for code in RATED:
        fields[f"rating-{code}"] = Text(load_default=None, allow_none=True, max_length=40, label="Rating")
        fields[f"rationale-{code}"] = Text(load_default=None, allow_none=True, max_length=LONG_TEXT, label="Rationale")
    for goal_id in goal_ids:
        fields[f"progress-{goal_id}"] = Text(load_default=None, allow_none=True, max_length=40, label="Progress")
        fields[f"note-{goal_id}"] = Text(load_default=None, allow_none=True, max_length=NOTE, label="Note")
    return PlainSchema.from_dict(fields, name="RatingsSchema")()
