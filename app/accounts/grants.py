"""Role grants: the one way a person is given a role (the import, assigning a lead, the demo data)."""
from app.accounts.models import RoleGrant, User
from tenants.roles import Role


def grant_role(user: User, role: Role | str, *, district_id: int | None = None, region_id: int | None = None,
               title: str | None = None) -> bool:
    """Give `user` `role` over one district, one region or (neither) everything; False if they hold it already.

    A grant held already keeps its title. Nothing is committed: the caller owns the transaction.
    """
    if any(g.role == role and g.district_id == district_id and g.region_id == region_id for g in user.grants):
        return False
    user.grants.append(RoleGrant(role=role, district_id=district_id, region_id=region_id, title=title))
    return True
