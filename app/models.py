"""Every model, imported in one place so that the mapper and Alembic see them all."""
from app.accounts.models import RoleGrant, User
from app.districts.models import School
from tenants.models import District, Region

__all__ = ["District", "Region", "RoleGrant", "School", "User"]
