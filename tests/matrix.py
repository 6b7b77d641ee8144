"""The isolation matrix's rows: every tenant route of the app, with who may use it.

Each feature keeps its rows in its own `tests/matrix_<feature>.py` (a list named
ROUTES); `tests/test_isolation.py` runs them all for every role, against an own
and a foreign district, and fails for any route of the app that has no row.
"""
from dataclasses import dataclass, field

ROLES = ("platform_admin", "regional_director", "assistance_lead", "district_leader", "school_supervisor",
         "district_viewer")
READERS = frozenset(ROLES)
# Those who change the district's records (a school supervisor writes field work only).
WRITERS = frozenset({"platform_admin", "regional_director", "assistance_lead", "district_leader"})
SUPPORT_TEAM = frozenset({"platform_admin", "regional_director", "assistance_lead"})
DISTRICT_STAFF = frozenset({"district_leader", "school_supervisor"})
# Those who log visits and observations in the district: either team.
FIELD_TEAM = SUPPORT_TEAM | DISTRICT_STAFF
ASSIGNERS = frozenset({"platform_admin", "regional_director"})
# The privacy axis (tenants/personnel.py): who reads the home district's evaluation cycle. Among the roles, its
# evaluator (the supervisor of the principal's cluster); beside them (`world.privacy_people`), the principal
# evaluated and the superintendent. Not the district's other leaders nor its other supervisors.
PRIVACY_PEOPLE = ("principal", "superintendent", "other_supervisor")
PERSONNEL_CIRCLE = frozenset({"school_supervisor", "principal", "superintendent"})


@dataclass(frozen=True)
class TenantRoute:
    """One method of one route; `path` is filled from the target district's objects.

    Placeholders: {slug}, {district}, {school}, {visit}, {observation}, {assignment}, and the features' ids.
    `allowed` may name the privacy axis's people (`PRIVACY_PEOPLE`) beside the roles.
    """

    endpoint: str
    method: str
    path: str
    allowed: frozenset = READERS
    data: dict | None = None  # a form body that succeeds
    json: dict | None = None  # a JSON body that succeeds
    ok: int | None = None  # the status of success, if not 200 for GET / 302 for POST
    fresh_body: bool = field(default=False)  # give each request a new client UUID
    # A route of one personnel record ({cycle}): outside its circle it is not found (404), as another district's.
    private: bool = False

    def url(self, ids: dict) -> str:
        return self.path.format(**ids)

    def expected(self, role: str, target: str) -> int:
        if target == "foreign" and role != "platform_admin":
            return 404
        if self.private and (target == "foreign" or role not in PERSONNEL_CIRCLE):
            return 404
        if role not in self.allowed:
            return 403
        if self.ok is not None:
            return self.ok
        return 302 if self.method == "POST" else 200


def all_routes() -> list[TenantRoute]:
    """The rows of every `tests/matrix_<feature>.py`, found by name: a feature adds its file, nothing else."""
    import importlib
    import pkgutil

    import tests

    names = sorted(name for _, name, _ in pkgutil.iter_modules(tests.__path__) if name.startswith("matrix_"))
    return [route for name in names for route in importlib.import_module(f"tests.{name}").ROUTES]
