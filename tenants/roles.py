"""The roles a person may hold, each in a scope (everything, a region or a district)."""
from enum import StrEnum


class Team(StrEnum):
    """Who did a piece of field work in a district: its support team or its own staff."""

    SUPPORT = "support_team"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        return "Support team" if self is Team.SUPPORT else "District staff"


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    REGIONAL_DIRECTOR = "regional_director"
    ASSISTANCE_LEAD = "assistance_lead"
    DISTRICT_LEADER = "district_leader"
    # A district's executive director of schools or director of school support: visits and observes its schools.
    SCHOOL_SUPERVISOR = "school_supervisor"
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
    Role.SCHOOL_SUPERVISOR: "School supervisor",
    Role.DISTRICT_VIEWER: "District viewer",
}

# Roles that may change a district's records (its plan, schools, goals, supports); a viewer only reads.
WRITING_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.REGIONAL_DIRECTOR, Role.ASSISTANCE_LEAD, Role.DISTRICT_LEADER})
# The district's own staff who do field work in its schools: they log visits and observations there and
# read the internal notes of the district's own visits. A school supervisor writes nothing else.
DISTRICT_STAFF_ROLES = frozenset({Role.DISTRICT_LEADER, Role.SCHOOL_SUPERVISOR})
# A district's own people, as against its support team (leads, their director, admins).
DISTRICT_PEOPLE_ROLES = frozenset({Role.DISTRICT_LEADER, Role.SCHOOL_SUPERVISOR, Role.DISTRICT_VIEWER})
