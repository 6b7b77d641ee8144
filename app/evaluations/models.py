"""A principal's evaluation cycle: a personnel record (tenants/personnel.py), and the district's calendar for it.

`EvaluationCycle` is the record (one per principal per school year); every other table here but the calendar
is a part of it (`PersonnelRecordPart`, keyed by `cycle_id`): seen exactly by the cycle's circle, by the same
filter below the views and the same row-level security. They stay out of the district's audit trail and its
export; the cycle keeps its own history (`EvaluationEvent`), which only its circle reads.

Words of the framework (steps, Standards, scales) are in `framework.py`.
"""
from datetime import UTC, date, datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.accounts.models import User
from app.clock import state_now
from app.districts.models import School
from app.evaluations.framework import (
    Assessment,
    FormativeKind,
    GoalKind,
    GoalProgress,
    PerformanceRating,
    PlanType,
    Step,
)
from app.extensions import db
from tenants.base import Id, TenantScoped, tenant_foreign_key, tenant_table_args
from tenants.models import enum_check
from tenants.personnel import PersonnelRecord, PersonnelRecordPart


def _part_of_cycle(*constraints, **options) -> tuple:
    """`__table_args__` of a part: its key, and its cycle's through (district_id, cycle_id), deleted with it."""
    return tenant_table_args(tenant_foreign_key("cycle_id", "evaluation_cycles", ondelete="CASCADE"),
                             *constraints, **options)


class EvaluationCalendar(TenantScoped, db.Model):
    """The dates a district sets for a school year's cycles (not a personnel record: dates only).

    A cycle opened for that year copies them; its evaluator may move its own."""

    __tablename__ = "evaluation_calendars"
    __table_args__ = tenant_table_args(UniqueConstraint("district_id", "school_year"))

    school_year: Mapped[int]  # the year it starts: 2026 is 2026-27
    self_assessment_due: Mapped[date]
    goals_due: Mapped[date]
    formative_due: Mapped[date]
    summative_due: Mapped[date]


class EvaluationCycle(PersonnelRecord, TenantScoped, db.Model):
    """One principal's evaluation for one school year, at one school, by one evaluator.

    The principal and the evaluator are `principal_id` and `evaluator_id` (PersonnelRecord): who may read it."""

    __tablename__ = "evaluation_cycles"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("school_id", "schools"),
        UniqueConstraint("district_id", "principal_id", "school_year"),
        enum_check("plan_type", "plan_type", PlanType),
        enum_check("formative_kind", "formative_kind", FormativeKind),
    )

    school_id: Mapped[int] = mapped_column(Id)
    school_year: Mapped[int]  # the year it starts: 2026 is 2026-27
    plan_type: Mapped[PlanType] = mapped_column(String(30), default=PlanType.SELF_DIRECTED_GROWTH)
    plan_months: Mapped[int] = mapped_column(default=12)  # the educator plan's length
    formative_kind: Mapped[FormativeKind] = mapped_column(String(30), default=FormativeKind.ASSESSMENT)
    # Step 1, written by the principal.
    self_assessment: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    principal: Mapped[User] = relationship(foreign_keys="EvaluationCycle.principal_id", lazy="joined",
                                           innerjoin=True)
    evaluator: Mapped[User] = relationship(foreign_keys="EvaluationCycle.evaluator_id", lazy="joined",
                                           innerjoin=True)
    school: Mapped[School] = relationship(viewonly=True, lazy="joined", innerjoin=True)
    steps: Mapped[list["EvaluationStep"]] = relationship(viewonly=True, order_by="EvaluationStep.id")

    @property
    def school_year_label(self) -> str:
        """"2026-27"."""
        return f"{self.school_year}-{(self.school_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return f"{self.principal.name}, {self.school_year_label}"


class EvaluationStep(PersonnelRecordPart, TenantScoped, db.Model):
    """One of the cycle's five steps: when it is due, when it was done and by whom."""

    __tablename__ = "evaluation_steps"
    __table_args__ = _part_of_cycle(UniqueConstraint("district_id", "cycle_id", "step"),
                                    enum_check("step", "step", Step))

    step: Mapped[Step] = mapped_column(String(30))
    due_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    completed_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))


class EvaluationGoal(PersonnelRecordPart, TenantScoped, db.Model):
    """A goal of the cycle with its key actions, benchmarks and progress notes."""

    __tablename__ = "evaluation_goals"
    __table_args__ = _part_of_cycle(enum_check("kind", "kind", GoalKind))

    kind: Mapped[GoalKind] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    key_actions: Mapped[str | None] = mapped_column(Text)
    benchmarks: Mapped[str | None] = mapped_column(Text)
    progress_notes: Mapped[str | None] = mapped_column(Text)

    plan_actions: Mapped[list["EvaluationGoalAction"]] = relationship(viewonly=True, lazy="selectin",
                                                                      order_by="EvaluationGoalAction.id")


class EvaluationGoalAction(PersonnelRecordPart, TenantScoped, db.Model):
    """An action of the district's improvement plan that a goal points at."""

    __tablename__ = "evaluation_goal_actions"
    __table_args__ = _part_of_cycle(
        tenant_foreign_key("goal_id", "evaluation_goals", ondelete="CASCADE"),
        tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"),
        UniqueConstraint("district_id", "goal_id", "action_id"),
    )

    goal_id: Mapped[int] = mapped_column(Id)
    action_id: Mapped[int] = mapped_column(Id)

    action = relationship("Action", viewonly=True, lazy="joined", innerjoin=True)


class EvaluationEvidence(PersonnelRecordPart, TenantScoped, db.Model):
    """A piece of evidence: a visit, an observation, or another artifact (a note, an uploaded file), tagged
    with the indicators (`framework.INDICATORS` codes, such as "I-B") it informs."""

    __tablename__ = "evaluation_evidence"
    __table_args__ = _part_of_cycle(
        tenant_foreign_key("visit_id", "visits", ondelete="CASCADE"),
        tenant_foreign_key("observation_id", "observations", ondelete="CASCADE"),
    )

    visit_id: Mapped[int | None] = mapped_column(Id)
    observation_id: Mapped[int | None] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)
    collected_on: Mapped[date]
    indicators: Mapped[list] = mapped_column(JSON, default=list)
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    added_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    visit = relationship("Visit", viewonly=True)
    observation = relationship("Observation", viewonly=True)


class EvaluationRating(PersonnelRecordPart, TenantScoped, db.Model):
    """The evaluator's rating, with rationale, on one Standard (or overall) for the formative or the summative."""

    __tablename__ = "evaluation_ratings"
    __table_args__ = _part_of_cycle(
        UniqueConstraint("district_id", "cycle_id", "assessment", "standard"),
        enum_check("assessment", "assessment", Assessment),
        enum_check("rating", "rating", PerformanceRating),
    )

    assessment: Mapped[Assessment] = mapped_column(String(20))
    standard: Mapped[str] = mapped_column(String(10))  # framework.RATED: "I".."IV" or "overall"
    rating: Mapped[PerformanceRating] = mapped_column(String(30))
    rationale: Mapped[str | None] = mapped_column(Text)


class EvaluationGoalRating(PersonnelRecordPart, TenantScoped, db.Model):
    """Progress toward one goal, for the formative or the summative."""

    __tablename__ = "evaluation_goal_ratings"
    __table_args__ = _part_of_cycle(
        tenant_foreign_key("goal_id", "evaluation_goals", ondelete="CASCADE"),
        UniqueConstraint("district_id", "goal_id", "assessment"),
        enum_check("assessment", "assessment", Assessment),
        enum_check("progress", "progress", GoalProgress),
    )

    goal_id: Mapped[int] = mapped_column(Id)
    assessment: Mapped[Assessment] = mapped_column(String(20))
    progress: Mapped[GoalProgress] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


class EvaluationReport(PersonnelRecordPart, TenantScoped, db.Model):
    """One issued version of the formative or the summative: what the principal received and signs.

    `content` freezes what was issued (ratings with rationale, progress toward each goal, the plan): the
    record the PDF prints, never changed. A correction is a new version with its reason; the earlier one stays,
    with its signature. A version with no `issued_at` is a correction being written.

    `content` (made by the services when a version is issued; read by the cycle page and the PDF)::

        {"school_year": "2026-27", "principal": "Pat Principal", "evaluator": "Sol Supervisor",
         "school": "Homeville Elementary", "plan_type": "Self-directed growth plan", "plan_months": 12,
         "assessment": "Summative evaluation" | "Formative assessment" | "Formative evaluation",
         "ratings": [{"standard": "I", "label": "Standard I: Instructional Leadership",
                      "rating": "proficient", "rating_label": "Proficient", "rationale": "..."},
                     ... one per Standard, then {"standard": "overall", "label": "Overall", ...}],
         "goals": [{"kind": "student_learning", "kind_label": "Student learning goal", "title": "...",
                    "progress": "met", "progress_label": "Met", "note": "..."}, ...],
         "evidence": [{"title": "...", "collected_on": "2026-10-02", "indicators": ["I-B", "IV-A"]}, ...]}
    """

    __tablename__ = "evaluation_reports"
    __table_args__ = _part_of_cycle(
        UniqueConstraint("district_id", "cycle_id", "assessment", "version"),
        enum_check("assessment", "assessment", Assessment),
    )

    assessment: Mapped[Assessment] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(default=1)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    content: Mapped[dict | None] = mapped_column(JSON)
    issued_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    # The principal's acknowledgement of receipt, and their written response.
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    response: Mapped[str | None] = mapped_column(Text)

    @property
    def issued_local(self) -> datetime | None:
        return state_now(self.issued_at.replace(tzinfo=UTC)) if self.issued_at else None

    @property
    def signed_local(self) -> datetime | None:
        return state_now(self.signed_at.replace(tzinfo=UTC)) if self.signed_at else None


class EvaluationEvent(PersonnelRecordPart, TenantScoped, db.Model):
    """The cycle's own audit trail: who did what, when ("Issued the summative evaluation, version 2"). Only the
    cycle's circle reads it; the district's trail never names an evaluation."""

    __tablename__ = "evaluation_events"
    __table_args__ = _part_of_cycle()

    at: Mapped[datetime] = mapped_column(server_default=func.now())
    user_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    what: Mapped[str] = mapped_column(String(300))

    user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def at_local(self) -> datetime:
        return state_now(self.at.replace(tzinfo=UTC))
