"""Personnel records: the second dimension beside tenancy, enforced below the views.

A personnel record (a principal's evaluation cycle, issue 17) is seen only by the people it concerns:

- its evaluator (`evaluator_id`), who keeps it;
- the principal it is about (`principal_id`);
- the district's superintendent: a district leader whose grant says "sees evaluations" (`Scope.evaluations_of`).

Nobody else: not the district's other leaders, supervisors or viewers, not its support team, not regional
directors, not platform admins (reaching every district gives no personnel record), through any page, list,
export, API, audit entry or mail. Platform admins see counts, through `personnel_counts` only.

The circle also writes it, wherever its people read the district: a principal (a district viewer, who writes
nothing else of the district) signs their own evaluation and writes its self-assessment. What each of them may
change is the services' rule; that nobody outside the circle changes anything is this module's.

As tenancy, it is one rule applied to every query: the session adds `circle_criteria` to every ORM SELECT,
UPDATE and DELETE of a `PersonnelRecord` and of its parts (`PersonnelRecordPart`: a goal, a piece of
evidence, a rating, a signature), refuses a flush that writes a record outside the writer's circle, and
PostgreSQL's row-level security holds the same rule as a RESTRICTIVE policy (migration 0018) from the
settings `tenants/rls.py` declares. A query that forgets the rule still gets it: a record out of the circle
is not found (404), as another district's rows are.
"""
from sqlalchemy import ForeignKey, exists, func, or_, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from tenants.base import Id, Tenanted
from tenants.scope import Scope, TenantWriteRefused, entered, system_scope


class PersonnelRecord(Tenanted):
    """A record about one principal (`principal_id`), kept by their evaluator (`evaluator_id`)."""

    _record_class = None  # the one mapped subclass, which the parts' criteria read through

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        PersonnelRecord._record_class = cls

    @declared_attr
    def principal_id(cls) -> Mapped[int]:
        return mapped_column(Id, ForeignKey("users.id"))

    @declared_attr
    def evaluator_id(cls) -> Mapped[int]:
        return mapped_column(Id, ForeignKey("users.id"))


class PersonnelRecordPart(Tenanted):
    """A row of a personnel record (`cycle_id` names it): seen exactly when its record is."""

    @declared_attr
    def cycle_id(cls) -> Mapped[int]:
        return mapped_column(Id)


def is_personnel(row) -> bool:
    """A personnel record or a part of one."""
    return isinstance(row, (PersonnelRecord, PersonnelRecordPart))


class PersonnelWriteRefused(TenantWriteRefused):
    """A personnel record written by someone outside its circle."""


def sees_every_record(scope: Scope) -> bool:
    """The platform itself (demo data, migrations): every district's evaluations."""
    return scope.evaluations_of is None


def in_circle(scope: Scope, district_id: int, evaluator_id: int | None, principal_id: int | None) -> bool:
    """Whether the scope's person may read a personnel record with these keys."""
    if sees_every_record(scope):
        return True
    return district_id in scope.evaluations_of or (
        scope.user_id is not None and scope.user_id in (evaluator_id, principal_id))


def may_read_record(scope: Scope, record: PersonnelRecord) -> bool:
    return in_circle(scope, record.district_id, record.evaluator_id, record.principal_id)


def circle_criteria(scope: Scope):
    """(record criteria, part criteria): lambdas for `with_loader_criteria`, or None for the platform itself.

    As the tenant filter's, the ids are computed here and captured as bound values, never read inside the
    lambdas (which SQLAlchemy caches per class)."""
    if sees_every_record(scope):
        return None
    user_id = scope.user_id if scope.user_id is not None else -1
    district_ids = sorted(scope.evaluations_of)
    record = PersonnelRecord._record_class

    def record_criteria(cls):
        return or_(cls.evaluator_id == user_id, cls.principal_id == user_id, cls.district_id.in_(district_ids))

    def part_criteria(cls):
        # The record's table is the subquery's own, never correlated to a query that also reads it (a part
        # joined to its cycle); the part's row is the enclosing query's.
        return exists().where(
            record.district_id == cls.district_id, record.id == cls.cycle_id,
            or_(record.evaluator_id == user_id, record.principal_id == user_id,
                record.district_id.in_(district_ids))).correlate_except(record)

    return record_criteria, part_criteria


def refuse_records_outside_circle(scope: Scope, session, rows) -> None:
    """Raise `PersonnelWriteRefused` for a record (new, changed or deleted) the writer may not read, or a part of
    one whose record they cannot read: nobody creates an evaluation they would not see, nor hands one to a
    circle they are not in, nor adds to one that is not theirs to read."""
    if sees_every_record(scope):
        return
    for row in rows:
        if isinstance(row, PersonnelRecord):
            outside = not may_read_record(scope, row)
        elif isinstance(row, PersonnelRecordPart):
            outside = session.get(PersonnelRecord._record_class, (row.district_id, row.cycle_id)) is None
        else:
            continue
        if outside:
            raise PersonnelWriteRefused(f"{type(row).__name__} {row.id} is a personnel record outside this circle")


def record_counts() -> dict[int, int]:
    """{district id: number of personnel records}: what a platform admin sees of them, for support; never their
    content. Read as the platform itself, here only, so that the count is the one door around the circle."""
    from tenants.database import db  # here: the session, which the database module builds, imports this module

    record = PersonnelRecord._record_class
    with entered(system_scope("counting personnel records")):
        rows = db.session.execute(select(record.district_id, func.count()).group_by(record.district_id))
        return {district_id: count for district_id, count in rows}
