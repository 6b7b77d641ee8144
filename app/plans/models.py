"""District improvement plans, equity goals and status reports.

Tenant data, keyed by (district_id, id): `ImprovementPlan` -> `Priority` ->
`Strategy` -> `Action`, with `Milestone`s, `ProgressUpdate`s and `Risk`s;
outside `Provider`s with their contracts; `ActionEvidence` linking visits and
observations to the action they serve; `EquityGoal` -> `Measurement`; frozen
`StatusReport`s; rounds of answers to the equity impact checklist on an action
(`ImpactReview` -> `ImpactAnswer`). Platform-wide: the checklist's questions
(`EquityImpactQuestion`, a catalog like the rubrics); the rules of asking them
are in `impact.py`. Derived figures (plan health, gap, trajectory, spend against
a contract) are never stored: see `health.py` and `equity.py`.
Money is in integer cents.
"""
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.clock import state_now, stored_now
from app.districts.models import School
from app.extensions import db
from app.plans.figures import is_percentage_metric
from tenants.base import Id, TenantScoped, tenant_foreign_key, tenant_table_args
from tenants.models import enum_check

# An impact question's box on the action form is named impact-<question id>.
FIELD_PREFIX = "impact-"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ProviderKind(StrEnum):
    PROVIDER = "provider"  # paid under a contract
    PARTNER = "partner"  # contributes (in kind or money)


class RiskSeverity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class RiskStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Direction(StrEnum):
    HIGHER = "higher"  # e.g. share meeting or exceeding expectations
    LOWER = "lower"  # e.g. chronic absenteeism


class ImprovementPlan(TenantScoped, db.Model):
    """A district's improvement plan for a period; how often it reports is the district's setting."""

    __tablename__ = "improvement_plans"
    __table_args__ = tenant_table_args(
        enum_check("status", "status", PlanStatus),
    )

    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[PlanStatus] = mapped_column(String(20), default=PlanStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    priorities: Mapped[list["Priority"]] = relationship(viewonly=True, lazy="selectin", order_by="Priority.position")

    def __str__(self) -> str:
        return self.title


class Priority(TenantScoped, db.Model):
    __tablename__ = "plan_priorities"
    __table_args__ = tenant_table_args(tenant_foreign_key("plan_id", "improvement_plans", ondelete="CASCADE"))

    plan_id: Mapped[int] = mapped_column(Id)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(300))

    strategies: Mapped[list["Strategy"]] = relationship(viewonly=True, lazy="selectin", order_by="Strategy.id")

    def __str__(self) -> str:
        return self.title


class Strategy(TenantScoped, db.Model):
    __tablename__ = "plan_strategies"
    __table_args__ = tenant_table_args(tenant_foreign_key("priority_id", "plan_priorities", ondelete="CASCADE"))

    priority_id: Mapped[int] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(300))

    priority: Mapped[Priority] = relationship(viewonly=True, lazy="joined", innerjoin=True)
    actions: Mapped[list["Action"]] = relationship(viewonly=True, lazy="selectin", order_by="Action.due_on")

    def __str__(self) -> str:
        return self.title


class Provider(TenantScoped, db.Model):
    """An outside provider (under contract) or partner (contributing) of a district."""

    __tablename__ = "plan_providers"
    __table_args__ = tenant_table_args(
        UniqueConstraint("district_id", "name"),
        enum_check("kind", "kind", ProviderKind),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProviderKind] = mapped_column(String(20), default=ProviderKind.PROVIDER)
    # The contract's amount, or the partner's contribution.
    contract_cents: Mapped[int] = mapped_column(default=0)
    contract_starts_on: Mapped[date | None]
    contract_ends_on: Mapped[date | None]

    def __str__(self) -> str:
        return self.name


class Action(TenantScoped, db.Model):
    __tablename__ = "plan_actions"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("plan_id", "improvement_plans", ondelete="CASCADE"),
        tenant_foreign_key("strategy_id", "plan_strategies", ondelete="CASCADE"),
        tenant_foreign_key("provider_id", "plan_providers"),
        enum_check("status", "status", ActionStatus),
    )

    # The plan is the strategy's, kept here so that plan-wide figures need no joins.
    plan_id: Mapped[int] = mapped_column(Id)
    strategy_id: Mapped[int] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id"), index=True)
    starts_on: Mapped[date]
    due_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(String(20), default=ActionStatus.NOT_STARTED)
    allocated_cents: Mapped[int] = mapped_column(default=0)
    spent_cents: Mapped[int] = mapped_column(default=0)
    funding_source: Mapped[str | None] = mapped_column(String(200))
    provider_id: Mapped[int | None] = mapped_column(Id)
    # Quality-review sign-off.
    reviewed_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    strategy: Mapped[Strategy] = relationship(viewonly=True, lazy="joined", innerjoin=True)
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined", innerjoin=True)
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id], lazy="joined")
    provider: Mapped[Provider | None] = relationship(viewonly=True, lazy="joined")
    milestones: Mapped[list["Milestone"]] = relationship(viewonly=True, lazy="selectin", order_by="Milestone.target_on")
    updates: Mapped[list["ProgressUpdate"]] = relationship(
        viewonly=True, lazy="selectin", order_by="(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())"
    )
    # The schools the action names (it is done in or for them), by name; none for a district-wide action.
    schools: Mapped[list[School]] = relationship(secondary="plan_action_schools", viewonly=True, order_by="School.name")

    def __str__(self) -> str:
        return self.title


class ActionSchool(TenantScoped, db.Model):
    """A school an action names: the school's page lists the actions done in or for it."""

    __tablename__ = "plan_action_schools"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"),
        tenant_foreign_key("school_id", "schools"),
        UniqueConstraint("district_id", "action_id", "school_id"),
    )

    action_id: Mapped[int] = mapped_column(Id)
    school_id: Mapped[int] = mapped_column(Id)


class Milestone(TenantScoped, db.Model):
    __tablename__ = "plan_milestones"
    __table_args__ = tenant_table_args(tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"))

    action_id: Mapped[int] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(300))
    target_on: Mapped[date]
    met_on: Mapped[date | None]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(TenantScoped, db.Model):
    """A dated status and narrative on an action, or on one of its milestones."""

    __tablename__ = "plan_progress_updates"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"),
        tenant_foreign_key("milestone_id", "plan_milestones", ondelete="CASCADE"),
        enum_check("status", "status", ActionStatus),
    )

    action_id: Mapped[int] = mapped_column(Id)
    milestone_id: Mapped[int | None] = mapped_column(Id)
    reported_on: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(String(20))
    narrative: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id"))
    # The exact instant it was posted (naive UTC, the app's clock like StatusReport.made_at): a status
    # report takes the updates posted after the previous report was frozen, not those of a day.
    posted_at: Mapped[datetime] = mapped_column(default=stored_now)

    author: Mapped[User | None] = relationship(lazy="joined")
    milestone: Mapped[Milestone | None] = relationship(viewonly=True, lazy="joined")


class Risk(TenantScoped, db.Model):
    """A risk or blocking issue of a plan, and the action it blocks if any."""

    __tablename__ = "plan_risks"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("plan_id", "improvement_plans", ondelete="CASCADE"),
        tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"),
        enum_check("severity", "severity", RiskSeverity),
        enum_check("status", "status", RiskStatus),
    )

    plan_id: Mapped[int] = mapped_column(Id)
    action_id: Mapped[int | None] = mapped_column(Id)
    title: Mapped[str] = mapped_column(String(300))
    severity: Mapped[RiskSeverity] = mapped_column(String(10))
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id"))
    mitigation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RiskStatus] = mapped_column(String(10), default=RiskStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    owner: Mapped[User | None] = relationship(lazy="joined")
    # Not joined: an optional action outer-joined with its own chain of inner joins (strategy, priority, each with
    # its district and region) made SQLAlchemy 2.0 join two regions to one district alias and none to another,
    # and loading a risk warned "Multiple rows returned ... District.region" (test_a_lead_closes_a_risk_of_an_action).
    action: Mapped[Action | None] = relationship(viewonly=True, lazy="selectin")

    def __str__(self) -> str:
        return self.title


class ActionEvidence(TenantScoped, db.Model):
    """A visit, or one classroom observation, given as evidence for a plan action.

    Exactly one of the two is set, so that each is linked to an action once (NULLs never collide).
    """

    __tablename__ = "plan_action_evidence"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"),
        tenant_foreign_key("visit_id", "visits", ondelete="CASCADE"),
        tenant_foreign_key("observation_id", "observations", ondelete="CASCADE"),
        UniqueConstraint("district_id", "action_id", "visit_id"),
        UniqueConstraint("district_id", "action_id", "observation_id"),
        CheckConstraint("(visit_id IS NULL) <> (observation_id IS NULL)", name="visit_or_observation"),
    )

    action_id: Mapped[int] = mapped_column(Id)
    visit_id: Mapped[int | None] = mapped_column(Id)
    observation_id: Mapped[int | None] = mapped_column(Id)

    visit = relationship("Visit", viewonly=True, lazy="joined")
    observation = relationship("Observation", viewonly=True, lazy="joined")


class EquityGoal(TenantScoped, db.Model):
    """Closing a gap between a student group and a comparison group on one metric."""

    __tablename__ = "equity_goals"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("priority_id", "plan_priorities"),
        enum_check("direction", "direction", Direction),
    )

    priority_id: Mapped[int | None] = mapped_column(Id)
    metric: Mapped[str] = mapped_column(String(200))
    student_group: Mapped[str] = mapped_column(String(120))
    comparison_group: Mapped[str] = mapped_column(String(120))
    baseline_value: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    baseline_year: Mapped[int]
    target_value: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    target_year: Mapped[int]
    direction: Mapped[Direction] = mapped_column(String(10), default=Direction.HIGHER)

    priority: Mapped[Priority | None] = relationship(viewonly=True, lazy="joined")
    measurements: Mapped[list["Measurement"]] = relationship(
        viewonly=True, lazy="selectin", order_by="Measurement.year"
    )

    @property
    def is_percentage(self) -> bool:
        """Whether its metric is a percentage: measurements may then be typed with "%", up to 100."""
        return is_percentage_metric(self.metric)

    def __str__(self) -> str:
        return f"{self.metric}: {self.student_group} compared with {self.comparison_group}"


class Measurement(TenantScoped, db.Model):
    """A goal's value for the student group and the comparison group in one school year (its spring).

    A suppressed measurement is one the state did not print ("<10": a group too small to
    report, or "-"): it has no value, and stays out of the gap and the trajectory.
    """

    __tablename__ = "equity_measurements"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("goal_id", "equity_goals", ondelete="CASCADE"),
        UniqueConstraint("district_id", "goal_id", "year"),
        CheckConstraint("(suppressed AND value IS NULL) OR (NOT suppressed AND value IS NOT NULL)",
                        name="value_or_suppressed"),
    )

    goal_id: Mapped[int] = mapped_column(Id)
    year: Mapped[int]
    value: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    suppressed: Mapped[bool] = mapped_column(default=False, server_default=false())
    comparison_value: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))

    def __str__(self) -> str:
        return f"{self.year}: {'suppressed' if self.suppressed else self.value}"


class StatusReport(TenantScoped, db.Model):
    """A frozen snapshot of a plan's figures: it never changes when the plan does.

    A scheduled report names the interval it covers (`scheduled_for`, the
    interval's first day); the unique key makes the job idempotent. Reports made
    on demand leave it empty (NULLs never collide).
    """

    __tablename__ = "status_reports"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("plan_id", "improvement_plans", ondelete="CASCADE"),
        UniqueConstraint("district_id", "scheduled_for"),
    )

    plan_id: Mapped[int] = mapped_column(Id)
    scheduled_for: Mapped[date | None]
    made_at: Mapped[datetime] = mapped_column(server_default=func.now())
    made_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    snapshot: Mapped[dict] = mapped_column(JSON)

    made_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def made_local(self) -> datetime:
        """When it was frozen, on the state's wall clock (what pages print as the report's date)."""
        return state_now(self.made_at.replace(tzinfo=UTC))


class EquityImpactQuestion(db.Model):
    """A question of the equity impact checklist (a platform catalog, like the rubrics)."""

    __tablename__ = "equity_impact_questions"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    position: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str | None] = mapped_column(Text)
    # An inactive question is no longer asked; its answers stay.
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def input_name(self) -> str:
        return f"{FIELD_PREFIX}{self.id}"

    def __str__(self) -> str:
        return self.text


class ImpactReview(TenantScoped, db.Model):
    """One round of answers to the checklist on an action: who answered, when, and why it was asked."""

    __tablename__ = "plan_impact_reviews"
    __table_args__ = tenant_table_args(tenant_foreign_key("action_id", "plan_actions", ondelete="CASCADE"))

    action_id: Mapped[int] = mapped_column(Id)
    reason: Mapped[str] = mapped_column(String(300))
    answered_by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(server_default=func.now())

    answered_by: Mapped[User | None] = relationship(lazy="joined")
    answers: Mapped[list["ImpactAnswer"]] = relationship(viewonly=True, lazy="selectin", order_by="ImpactAnswer.id")


class ImpactAnswer(TenantScoped, db.Model):
    """One question's answer in a round."""

    __tablename__ = "plan_impact_answers"
    __table_args__ = tenant_table_args(
        tenant_foreign_key("review_id", "plan_impact_reviews", ondelete="CASCADE"),
        UniqueConstraint("district_id", "review_id", "question_id"),
    )

    review_id: Mapped[int] = mapped_column(Id)
    question_id: Mapped[int] = mapped_column(Id, ForeignKey("equity_impact_questions.id"), index=True)
    # The wording answered: the district's export has no platform catalog to look it up in.
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
