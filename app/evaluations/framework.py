"""The state's educator evaluation framework for school leaders (603 CMR 35.00), in its own words.

The five-step cycle, the educator plan types, the four Standards for administrators with the indicators of
the state's administrator rubric, the four-level performance scale and the five levels of progress toward a
goal. Pages, forms, the PDF and the demo data read these names from here.
"""
from enum import StrEnum


class Step(StrEnum):
    """The five steps of the cycle, in their order."""

    SELF_ASSESSMENT = "self_assessment"
    GOALS_AND_PLAN = "goals_and_plan"
    IMPLEMENTATION = "implementation"
    FORMATIVE = "formative"
    SUMMATIVE = "summative"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1


STEP_LABELS = {
    Step.SELF_ASSESSMENT: "Self-assessment",
    Step.GOALS_AND_PLAN: "Analysis, goal setting and plan development",
    Step.IMPLEMENTATION: "Implementation of the plan",
    Step.FORMATIVE: "Formative assessment or evaluation",
    Step.SUMMATIVE: "Summative evaluation",
}


class FormativeKind(StrEnum):
    """Step 4: a formative assessment mid-cycle, or a formative evaluation at the end of a two-year plan's first year."""

    ASSESSMENT = "formative_assessment"
    EVALUATION = "formative_evaluation"

    @property
    def label(self) -> str:
        return "Formative assessment" if self is FormativeKind.ASSESSMENT else "Formative evaluation"


class PlanType(StrEnum):
    DEVELOPING = "developing"
    SELF_DIRECTED_GROWTH = "self_directed_growth"
    DIRECTED_GROWTH = "directed_growth"
    IMPROVEMENT = "improvement"

    @property
    def label(self) -> str:
        return PLAN_TYPE_LABELS[self]

    @property
    def longest_months(self) -> int:
        """The longest this plan may run: a self-directed growth plan up to two school years, the others one."""
        return 24 if self is PlanType.SELF_DIRECTED_GROWTH else 12


PLAN_TYPE_LABELS = {
    PlanType.DEVELOPING: "Developing educator plan",
    PlanType.SELF_DIRECTED_GROWTH: "Self-directed growth plan",
    PlanType.DIRECTED_GROWTH: "Directed growth plan",
    PlanType.IMPROVEMENT: "Improvement plan",
}


class GoalKind(StrEnum):
    """A cycle has at least one of each."""

    STUDENT_LEARNING = "student_learning"
    PROFESSIONAL_PRACTICE = "professional_practice"
    SCHOOL_IMPROVEMENT = "school_improvement"

    @property
    def label(self) -> str:
        return {GoalKind.STUDENT_LEARNING: "Student learning goal",
                GoalKind.PROFESSIONAL_PRACTICE: "Professional practice goal",
                GoalKind.SCHOOL_IMPROVEMENT: "School improvement goal"}[self]


class Assessment(StrEnum):
    """What is rated and issued to the principal to sign: the formative (step 4), then the summative (step 5)."""

    FORMATIVE = "formative"
    SUMMATIVE = "summative"

    @property
    def label(self) -> str:
        return "Formative" if self is Assessment.FORMATIVE else "Summative"

    @property
    def step(self) -> Step:
        return Step.FORMATIVE if self is Assessment.FORMATIVE else Step.SUMMATIVE


class PerformanceRating(StrEnum):
    """The four-level scale, on each Standard and overall."""

    EXEMPLARY = "exemplary"
    PROFICIENT = "proficient"
    NEEDS_IMPROVEMENT = "needs_improvement"
    UNSATISFACTORY = "unsatisfactory"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class GoalProgress(StrEnum):
    """Progress toward a goal, as the summative (and formative) records it."""

    DID_NOT_MEET = "did_not_meet"
    SOME_PROGRESS = "some_progress"
    SIGNIFICANT_PROGRESS = "significant_progress"
    MET = "met"
    EXCEEDED = "exceeded"

    @property
    def label(self) -> str:
        return "Did not meet" if self is GoalProgress.DID_NOT_MEET else self.value.replace("_", " ").capitalize()


# The Standards for administrators and the indicators of the state's model administrator rubric.
STANDARDS: dict[str, tuple[str, dict[str, str]]] = {
    "I": ("Instructional Leadership", {
        "I-A": "Curriculum", "I-B": "Instruction", "I-C": "Assessment", "I-D": "Evaluation",
        "I-E": "Data-Informed Decision Making"}),
    "II": ("Management and Operations", {
        "II-A": "Environment", "II-B": "Human Resources Management and Development",
        "II-C": "Scheduling and Management Information Systems", "II-D": "Law, Ethics and Policies",
        "II-E": "Fiscal Systems"}),
    "III": ("Family and Community Engagement", {
        "III-A": "Engagement", "III-B": "Sharing Responsibility", "III-C": "Communication",
        "III-D": "Family Concerns"}),
    "IV": ("Professional Culture", {
        "IV-A": "Commitment to High Standards", "IV-B": "Cultural Proficiency", "IV-C": "Communication",
        "IV-D": "Continuous Learning", "IV-E": "Shared Vision", "IV-F": "Managing Conflict"}),
}
# What a rating is given on: each Standard, and overall.
OVERALL = "overall"
RATED = (*STANDARDS, OVERALL)
INDICATORS: dict[str, str] = {code: title for _, (_, indicators) in STANDARDS.items() for code, title in indicators.items()}


def rated_label(code: str) -> str:
    """"Standard I: Instructional Leadership", or "Overall"."""
    return "Overall" if code == OVERALL else f"Standard {code}: {STANDARDS[code][0]}"


def indicator_label(code: str) -> str:
    """"I-B Instruction"."""
    return f"{code} {INDICATORS[code]}"
