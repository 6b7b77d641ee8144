"""Every model, imported in one place so that the mapper and Alembic see them all."""
from app.accounts.models import ApiToken, RoleGrant, User
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
from tenants.models import District, Region

__all__ = [
    "ApiToken", "AuditEvent", "District", "LookFor", "Observation", "Rating", "Region", "RoleGrant", "Rubric", "School",
    "SupportAssignment", "SupportType", "User", "Visit", "VisitSupport",
]
