"""Every model, imported in one place so that the mapper and Alembic see them all."""
from app.accounts.models import ApiToken, RoleGrant, User, UserSession
from app.audit import recording  # noqa: F401  (records every flushed change)
from app.audit.models import AuditEvent
from app.districts.models import School
from app.fieldwork.models import (
    LookFor,
    Observation,
    Rating,
    Rubric,
    SupportAssignment,
    SupportType,
    Visit,
    VisitSupport,
)

# Indexes of these tables (the dashboard's aggregates and every foreign key), declared in one place.
from app.indexes import KEY_INDEXES, PLAN_ROLLUP_INDEXES, ROLLUP_INDEXES  # noqa: E402,F401
from app.mail import SentMail
from app.notifications.models import NotificationOptOut
from app.onboarding.models import ImportBatch
from app.plans.models import (
    Action,
    ActionEvidence,
    EquityGoal,
    EquityImpactQuestion,
    ImpactAnswer,
    ImpactReview,
    ImprovementPlan,
    Measurement,
    Milestone,
    Priority,
    ProgressUpdate,
    Provider,
    Risk,
    StatusReport,
    Strategy,
)
from tenants.models import District, Region
from workers.models import BackgroundJob

__all__ = [
    "ApiToken", "AuditEvent", "BackgroundJob", "District", "ImportBatch", "NotificationOptOut", "SentMail", "LookFor", "Observation", "Rating", "Region", "RoleGrant", "Rubric", "School", "UserSession",
    "SupportAssignment", "SupportType", "User", "Visit", "VisitSupport",
    "Action", "ActionEvidence", "EquityGoal", "ImprovementPlan", "Measurement", "Milestone", "Priority",
    "ProgressUpdate", "Provider", "Risk", "StatusReport", "Strategy",
    "EquityImpactQuestion", "ImpactAnswer", "ImpactReview",
]
