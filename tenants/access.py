"""Who may reach which districts, for which action: the one rule book.

A platform admin reaches every district; a regional director the districts of
their regions; an assistance lead, a district leader, a school supervisor and a
district viewer the districts they are granted. A viewer only reads. Archived
districts drop out of everyone's reach but a platform admin's.

Two teams do field work in a district's schools, each logging visits and reading
its own internal notes (the visibility book, `visibility.py`, says who sees which):
the support team (its leads, their director, admins) and the district's own staff
(its leaders and school supervisors). A school supervisor writes field work only,
never the district's records (plan, schools, goals, supports).

The rule book reads a person through `Person` (the application's user model fits it) and loads one by
id through the loader the application registers with `person_loader`, as Flask-Login's `user_loader`:
tenancy defines what it needs and imports nothing of the application.
"""
from collections.abc import Callable, Iterable
from typing import Protocol

from sqlalchemy import select

from tenants.database import db
from tenants.models import District, Lifecycle
from tenants.roles import DISTRICT_PEOPLE_ROLES, DISTRICT_STAFF_ROLES, WRITING_ROLES, Role
from tenants.scope import Scope, entered, system_scope


class Grant(Protocol):
    """A role held over everything (no region, no district), one region or one district."""

    role: str
    region_id: int | None
    district_id: int | None
    sees_evaluations: bool  # a district leader's (the superintendent's): every evaluation of the district


class Person(Protocol):
    """What the rule book reads of a person, signed in or not."""

    id: int
    is_authenticated: bool
    is_active: bool
    grants: Iterable[Grant]

    def has_role(self, role: Role) -> bool: ...


_load_person: Callable[[int], Person | None] | None = None


def person_loader(load: Callable[[int], Person | None]) -> Callable[[int], Person | None]:
    """Register how a person is loaded by id (None when there is none); usable as a decorator."""
    global _load_person
    _load_person = load
    return load


def load_person(user_id: int) -> Person | None:
    """The person with this id, or None; a job's scope starts from it."""
    if _load_person is None:
        raise RuntimeError("No person loader: the application registers one with tenants.access.person_loader.")
    return _load_person(user_id)


def is_platform_admin(user: Person) -> bool:
    return user.is_authenticated and user.has_role(Role.PLATFORM_ADMIN)


def can_view_rollups(user: Person) -> bool:
    """Cross-district figures are for regional directors and platform admins."""
    return user.is_authenticated and (
        user.has_role(Role.PLATFORM_ADMIN) or user.has_role(Role.REGIONAL_DIRECTOR)
    )


def can_assign_supports(user: Person, district: District) -> bool:
    """Regional directors (in their regions) and platform admins assign leads and supports."""
    return is_platform_admin(user) or district.region_id in director_region_ids(user)


def can_see_district_records(user: Person, district_id: int) -> bool:
    """The audit log and the whole-data export of a district: platform admins and its district leaders."""
    return is_platform_admin(user) or any(
        g.role == Role.DISTRICT_LEADER and g.district_id == district_id for g in user.grants
    )


def can_onboard(user: Person) -> bool:
    """Onboarding districts, the platform's audit log and the failed jobs: platform admins."""
    return is_platform_admin(user)


def may_supervise_cluster(person: Person, district_id: int) -> bool:
    """Who may supervise a cluster of a district's schools: its own staff there (a district leader or a school
    supervisor grant in that district), never its viewers nor the support team."""
    return any(g.role in DISTRICT_STAFF_ROLES and g.district_id == district_id for g in person.grants)


def may_lead_school(person: Person, district_id: int) -> bool:
    """Who may be made a principal or assistant principal in a district: anyone but one of another district's
    own people (a leader, supervisor or viewer grant elsewhere and none here): a school leader belongs to one
    district, and a person of another district would be given a way into this one."""
    elsewhere = district_people_ids(person) - {district_id}
    return not elsewhere or district_id in district_people_ids(person)


def may_read_coaching_log(user: Person, scope: Scope, district_id: int, principal_id: int,
                          supervisor_ids: Iterable[int]) -> bool:
    """A principal's page and coaching log: the principal, the supervisor of a cluster of a school they lead
    (`supervisor_ids`), the district's leaders and its support team; not its other viewers (other principals,
    the state monitor) nor its other school supervisors."""
    if not user.is_authenticated or not scope.can_read(district_id):
        return False
    return (user.id == principal_id or user.id in set(supervisor_ids) or scope.supports(district_id)
            or any(g.role == Role.DISTRICT_LEADER and g.district_id == district_id for g in user.grants))


def may_open_evaluations(user: Person, district_id: int) -> bool:
    """The district's principals' evaluations (its overview page, its header link): the district's own people, its
    leaders, school supervisors and viewers, each reading only the cycles of their circle (tenants/personnel.py),
    perhaps none. Never its support team nor platform admins as such: they see no evaluation, so no page of them."""
    return district_id in district_people_ids(user)


def may_co_observe(person: Person, district: District) -> bool:
    """Who may be named co-observer of a visit in `district` (a joint visit): people who reach the district as
    someone who works with it: its assistance leads, the regional director of its region, its own people in any
    district role (leaders, school supervisors, viewers such as a principal). Not platform admins as such (they
    reach every district; one who also holds such a role qualifies by it), and never the visit's own author,
    which the visit's service checks."""
    if not person.is_active:
        return False
    return any(
        (grant.role == Role.ASSISTANCE_LEAD and grant.district_id == district.id)
        or (grant.role == Role.REGIONAL_DIRECTOR and grant.region_id == district.region_id)
        or (grant.role in DISTRICT_PEOPLE_ROLES and grant.district_id == district.id)
        for grant in person.grants
    )


def district_people_ids(user: Person, roles=DISTRICT_PEOPLE_ROLES) -> frozenset[int]:
    """The districts this person belongs to (leads or reads as one of its own people), not the support team's."""
    return frozenset(g.district_id for g in user.grants if g.role in roles and g.district_id is not None)


def landing_district_slug(user: Person) -> str | None:
    """The district whose dashboard a person lands on: a district leader of one district with no wider role."""
    if not user.is_authenticated:
        return None
    led = district_people_ids(user, (Role.DISTRICT_LEADER,))
    wider = {Role.PLATFORM_ADMIN, Role.REGIONAL_DIRECTOR, Role.ASSISTANCE_LEAD}
    if len(led) != 1 or any(g.role in wider for g in user.grants):
        return None
    # Read before the request's scope knows this person (the sign-in that sends them there).
    with entered(system_scope("where a person lands")):
        return db.session.scalar(select(District.slug).where(
            District.id.in_(led), District.lifecycle != Lifecycle.ARCHIVED))


def director_region_ids(user: Person) -> frozenset[int]:
    return frozenset(g.region_id for g in user.grants if g.role == Role.REGIONAL_DIRECTOR)


def scope_for_user(user: Person) -> Scope:
    """The districts this person may read and write, from all of their grants."""
    if not user.is_authenticated or not user.is_active:
        return Scope(user_id=None, readable=frozenset(), writable=frozenset(), label="signed out")
    if is_platform_admin(user):
        return Scope(user_id=user.id, readable=None, writable=None, label="every district", supported=None)
    readable, writable, supported, staffed, evaluations_of = set(), set(), set(), set(), set()
    region_ids = director_region_ids(user)
    if region_ids:
        in_regions = _live_districts(District.region_id.in_(region_ids))
        readable |= in_regions
        writable |= in_regions
        supported |= in_regions
    for grant in user.grants:
        if grant.district_id is None:
            continue
        readable.add(grant.district_id)
        if grant.role in WRITING_ROLES:
            writable.add(grant.district_id)
        if grant.role == Role.ASSISTANCE_LEAD:
            supported.add(grant.district_id)
        if grant.role in DISTRICT_STAFF_ROLES:
            staffed.add(grant.district_id)
        if grant.role == Role.DISTRICT_LEADER and grant.sees_evaluations:
            evaluations_of.add(grant.district_id)
    live = _live_districts(District.id.in_(readable)) if readable else set()
    return Scope(
        user_id=user.id,
        readable=frozenset(live),
        # A school supervisor's district is written (its field work), but none of its records.
        writable=frozenset((writable | staffed) & live),
        supported=frozenset(supported & live),
        staffed=frozenset(staffed & live),
        field_only=frozenset((staffed - writable) & live),
        evaluations_of=frozenset(evaluations_of & live),
    )


def scope_for_job(user_id: int, district_id: int) -> Scope:
    """A job acts for one user in one district: never wider than that user's own scope."""
    user = load_person(user_id)
    if user is None:
        return Scope(user_id=user_id, readable=frozenset(), writable=frozenset(), label="unknown user")
    return scope_for_user(user).narrowed_to(frozenset({district_id}), f"job for district {district_id}")


def district_page_scope(scope: Scope, district_id: int) -> Scope:
    """A page of one district (under /districts/<slug>) reaches that district only, as its user may.

    Never wider than `scope`. Besides saying what the page is about, it makes the tenant filter `= :id`:
    with several districts it is one `= ANY(:ids)` per table, which PostgreSQL counts as a further filter
    next to the page's own `district_id = :id`, expects one row, and joins by nested loops (an action page of
    a lead with four districts took minutes)."""
    return scope.narrowed_to(frozenset({district_id}), f"{scope.label}, on district {district_id}".lstrip(", "))


def reading_scope_for_job(user_id: int) -> Scope:
    """A job that reads on one person's behalf across their districts (a reminder mail): it writes nothing."""
    user = load_person(user_id)
    readable = scope_for_user(user).readable if user is not None else frozenset()
    return Scope(user_id=user_id, readable=readable, writable=frozenset(), label=f"reads for user {user_id}")


def name_districts_of_grants(user: Person) -> None:
    """Load the districts a person's grants name, in one statement, so that `grant.district` answers from the
    session on any page: the header names every grant, also on a district page whose scope is that district only
    (`district_page_scope`). They are the person's own grants; archived districts are named too."""
    district_ids = {grant.district_id for grant in user.grants if grant.district_id is not None}
    if district_ids:
        with entered(system_scope("naming a person's districts")):
            db.session.scalars(select(District).where(District.id.in_(district_ids))).all()


def rollup_district_ids(user: Person, region_ids=None) -> frozenset[int]:
    """Districts whose figures this person may see side by side, optionally narrowed to regions."""
    if is_platform_admin(user):
        condition = District.lifecycle != Lifecycle.ARCHIVED
        if region_ids:
            condition = condition & District.region_id.in_(region_ids)
        return frozenset(_districts(condition))
    allowed = director_region_ids(user)
    if region_ids:
        allowed = allowed & frozenset(region_ids)
    return frozenset(_live_districts(District.region_id.in_(allowed))) if allowed else frozenset()


def _live_districts(condition) -> set[int]:
    return _districts(condition & (District.lifecycle != Lifecycle.ARCHIVED))


def _districts(condition) -> set[int]:
    # Reading which districts exist is how a scope is made, so it runs before any scope.
    with entered(system_scope("computing a scope")):
        return set(db.session.scalars(select(District.id).where(condition)))
