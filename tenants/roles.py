"""The roles a person may hold, each in a scope (everything, a region or a district)."""
from enum import StrEnum


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    REGIONAL_DIRECTOR = "regional_director"
    ASSISTANCE_LEAD = "assistance_lead"
    DISTRICT_LEADER = "district_leader"
    DISTRICT_VIEWER = "district_viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def scope_kind(self) -> str:
        """What a grant of this role names: nothing, a region or a district."""
        if self is Role.PLATFORM_ADMIN:
            return "platform"
        if self is Role.REGIONAL_DIRECTOR:
            return "region"
        return "district"


ROLE_LABELS = {
    Role.PLATFORM_ADMIN: "Platform admin",
    Role.REGIONAL_DIRECTOR: "Regional director",
    Role.ASSISTANCE_LEAD: "Assistance lead",
    Role.DISTRICT_LEADER: "District leader",
    Role.DISTRICT_VIEWER: "District viewer",
}

# Roles that may change a district's data; a viewer only reads.
WRITING_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.REGIONAL_DIRECTOR, Role.ASSISTANCE_LEAD, Role.DISTRICT_LEADER})
