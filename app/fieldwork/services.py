"""The rules of field work: recording visits and observations, assignments, the caseload.

Functions take the district and acting user explicitly and work within the
current tenant scope; they raise `InvalidInput` with messages per field
(dotted names: `observations.0.ratings.2.rating`) and store nothing then.
They flush and never commit: the view, API resource, job or demo loader that
calls them owns the transaction and commits once its whole change is made.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload, selectinload, undefer
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.clock import state_today, stored_now
from app.districts.models import Position, School, SchoolLeader
from app.extensions import db
from app.fieldwork.models import (
    AssignmentStatus,
    LookFor,
    Observation,
    Rating,
    Rubric,
    SupportAssignment,
    SupportType,
    Visit,
    VisitObserver,
    VisitSupport,
)
from app.fieldwork.schemas import follow_up_problem
from app.forms import InvalidInput
from tenants.access import may_co_observe
from tenants.models import District
from tenants.roles import Role
from tenants.scope import current_scope

VISIT_FIELDS = ("school_id", "principal_id", "visited_on", "minutes", "kind", "purpose", "participants", "shared_notes",
                "internal_notes", "next_steps", "follow_up_on", "follow_up_done")
OBSERVATION_FIELDS = ("grade", "subject", "minutes", "feedback")
ASSIGNMENT_FIELDS = ("school_id", "support_type_id", "lead_id", "starts_on", "ends_on", "planned_hours", "status")


# --- visits -------------------------------------------------------------------------------------


def visit_by_uuid(district: District, client_uuid) -> Visit | None:
    return db.session.scalars(
        select(Visit).where(Visit.district_id == district.id, Visit.client_uuid == str(client_uuid))
    ).one_or_none()


def record_visit(district: District, lead: User, data: dict) -> tuple[Visit, bool]:
    """Store a visit with its supports and observations, once per client UUID, as the work of the team the
    current person logs visits for in the district (`Scope.team_in`: the support team's or the district's).

    Returns the visit and whether it is new: a resubmission answers with the stored visit.
    The insert runs in a savepoint, so that losing a race on the UUID undoes only it and
    leaves the caller's transaction usable for its commit.
    """
    existing = visit_by_uuid(district, data["client_uuid"])
    if existing is not None:
        return existing, False
    errors: dict[str, list[str]] = {}
    supports, co_observers = _check_visit(district, data, errors, author_id=lead.id)
    rubrics = _rubrics_of(data.get("observations", []))
    for index, observation in enumerate(data.get("observations", [])):
        _check_observation(observation, errors, f"observations.{index}.", data.get("captured_at"), rubrics)
        _check_minutes(observation.get("minutes"), data.get("minutes"), errors, f"observations.{index}.")
    if errors:
        raise InvalidInput(errors)
    try:
        with db.session.begin_nested():
            visit = Visit(district_id=district.id, lead_id=lead.id, client_uuid=str(data["client_uuid"]),
                          team=current_scope().team_in(district.id))
            _apply(visit, data, VISIT_FIELDS)
            db.session.add(visit)
            db.session.flush()
            _set_supports(visit, data.get("support_ids", []))
            observers = _add_observers(visit, co_observers)
            observations = _add_observations(visit, data.get("observations", []))
    except IntegrityError:
        # The same visit sent twice at once: the other request stored it first.
        existing = visit_by_uuid(district, data["client_uuid"])
        if existing is None:
            raise
        return existing, False
    # Its supports and observations are the rows just checked and written, in the relationships' order: reading them
    # costs no statement (a refresh here cost four, reading them back after the commit three and one for ratings).
    set_committed_value(visit, "supports", sorted(supports, key=lambda support: support.id))
    set_committed_value(visit, "observations", observations)
    set_committed_value(visit, "observers", observers)
    return visit, True


def update_visit(visit: Visit, data: dict) -> Visit:
    """Change a visit's details; fields not given stay as they are."""
    district = visit.district
    merged = {field: getattr(visit, field) for field in VISIT_FIELDS} | data
    if "support_ids" not in merged:
        merged["support_ids"] = [support.id for support in visit.supports]
    if "co_observer_ids" not in merged:
        merged["co_observer_ids"] = visit.co_observer_ids
    errors: dict[str, list[str]] = {}
    # Who observed stays so: one who no longer works with the district is not refused on every later edit.
    _, co_observers = _check_visit(district, merged, errors, author_id=visit.lead_id,
                                   observed=frozenset(visit.co_observer_ids))
    longest = max((observation.minutes for observation in visit.observations), default=0)
    if merged["minutes"] < longest:
        errors.setdefault("minutes", []).append(
            f"One of its classroom observations lasted {longest} minutes: a visit lasts at least as long.")
    if errors:
        raise InvalidInput(errors)
    _apply(visit, data, VISIT_FIELDS)
    if "support_ids" in data:
        db.session.execute(
            delete(VisitSupport).where(VisitSupport.district_id == visit.district_id, VisitSupport.visit_id == visit.id)
        )
        _set_supports(visit, data["support_ids"])
    if "co_observer_ids" in data:
        _replace_observers(visit, co_observers)
    db.session.flush()
    return _fresh(visit)


def mark_follow_up_done(visit: Visit) -> None:
    visit.follow_up_done = True
    db.session.flush()


def _check_visit(district: District, data: dict, errors: dict, author_id: int | None = None,
                 observed: frozenset[int] = frozenset()) -> tuple[list[SupportAssignment], list[User]]:
    """Check a visit's fields into `errors`; return the supports and the co-observers it names, as found."""
    # Checked again here: an update may send the follow-up without the visit's date.
    problem = follow_up_problem(data.get("visited_on"), data.get("follow_up_on"))
    if problem:
        errors["follow_up_on"] = [problem]
    school_id = data.get("school_id")
    if school_id is not None and not db.session.scalar(
        select(School.id).where(School.district_id == district.id, School.id == school_id)
    ):
        errors["school_id"] = [f"Choose a school of {district.name}, or the district office."]
    support_ids = set(data.get("support_ids") or [])
    supports: list[SupportAssignment] = []
    if support_ids:
        supports = list(db.session.scalars(
            select(SupportAssignment).where(
                SupportAssignment.district_id == district.id, SupportAssignment.id.in_(support_ids)
            )
        ))
        if {support.id for support in supports} != support_ids:
            errors["support_ids"] = [f"Choose supports assigned in {district.name}."]
        elif school_id is not None and "school_id" not in errors:
            # A support for one school cannot be served by a visit to another (a district office visit may serve any).
            elsewhere = sorted(s.school.name for s in supports if s.school_id is not None and s.school_id != school_id)
            if elsewhere:
                errors["support_ids"] = [f"Choose supports of the school visited: {', '.join(elsewhere)} "
                                         f"{'is' if len(elsewhere) == 1 else 'are'} for another school."]
    principal_id = data.get("principal_id")
    if principal_id is not None and not db.session.scalar(select(SchoolLeader.id).where(
            SchoolLeader.district_id == district.id, SchoolLeader.user_id == principal_id,
            SchoolLeader.position == Position.PRINCIPAL).limit(1)):
        errors["principal_id"] = [f"Choose the principal of one of {district.name}'s schools."]
    return supports, _check_co_observers(district, data.get("co_observer_ids") or [], author_id, errors, observed)


def _check_co_observers(district: District, ids, author_id: int | None, errors: dict,
                        observed: frozenset[int] = frozenset()) -> list[User]:
    """The people named co-observers, if each may be (`tenants.access.may_co_observe`) or already is one of the
    visit (`observed`); else a message."""
    ids = set(ids)
    if not ids:
        return []
    people = list(db.session.scalars(
        select(User).where(User.id.in_(ids)).options(selectinload(User.grants)).order_by(User.name, User.id)))
    if author_id in ids:
        errors["co_observer_ids"] = ["The visit's author is not also its co-observer: name the others who observed."]
    elif len(people) != len(ids):
        errors["co_observer_ids"] = [f"Choose co-observers among the people who work with {district.name}."]
    else:
        outside = [person.name for person in people
                   if person.id not in observed and not may_co_observe(person, district)]
        if outside:
            errors["co_observer_ids"] = [
                f"{', '.join(outside)} cannot see {district.name}: choose co-observers among the people who work "
                f"with it."]
    return people


def _add_observers(visit: Visit, people: list[User]) -> list[VisitObserver]:
    rows = [VisitObserver(district_id=visit.district_id, visit_id=visit.id, user_id=person.id) for person in people]
    if rows:
        db.session.add_all(rows)
        db.session.flush()
    # Each row holds its person, loaded with the check: reading the names costs no statement.
    for row, person in zip(rows, people):
        set_committed_value(row, "person", person)
    return sorted(rows, key=lambda row: row.id)


def _replace_observers(visit: Visit, people: list[User]) -> None:
    """Make the visit's co-observers `people`, row by row (each change is in the audit trail)."""
    wanted = {person.id for person in people}
    for row in db.session.scalars(select(VisitObserver).where(
            VisitObserver.district_id == visit.district_id, VisitObserver.visit_id == visit.id)):
        if row.user_id not in wanted:
            db.session.delete(row)
        wanted.discard(row.user_id)
    _add_observers(visit, [person for person in people if person.id in wanted])


def co_observer_choices(district: District) -> list[tuple[User, str]]:
    """The people who may be named co-observers of a visit in the district, by name, each with their roles there."""
    people = db.session.scalars(
        select(User).join(RoleGrant).where(or_(RoleGrant.district_id == district.id,
                                               RoleGrant.region_id == district.region_id))
        .options(selectinload(User.grants)).distinct().order_by(User.name, User.id))
    return [(person, roles_in(person, district)) for person in people if may_co_observe(person, district)]


def roles_in(person: User, district: District) -> str:
    """A person's roles in a district, in words, by the title the district knows them by where there is one:
    "Assistance lead", "Superintendent", "Principal, School supervisor"."""
    return ", ".join(dict.fromkeys(
        grant.title or Role(grant.role).label for grant in sorted(person.grants, key=lambda grant: grant.role)
        if grant.district_id == district.id or (grant.region_id is not None and grant.region_id == district.region_id)
    ))


def principals_of(district: District) -> list[SchoolLeader]:
    """The principals of the district's schools (one a school), by name: whom a visit may have coached."""
    leaders = db.session.scalars(select(SchoolLeader).where(
        SchoolLeader.district_id == district.id, SchoolLeader.position == Position.PRINCIPAL))
    return sorted(leaders, key=lambda leader: (leader.person.name, leader.school.name))


def conducted_or_observed_by(user_id: int) -> ColumnElement[bool]:
    """A visit this person conducted or co-observed: one row per visit, however many observed it (a joint visit
    counts once)."""
    return or_(Visit.lead_id == user_id, select(VisitObserver.id).where(
        VisitObserver.district_id == Visit.district_id, VisitObserver.visit_id == Visit.id,
        VisitObserver.user_id == user_id).exists())


def _set_supports(visit: Visit, support_ids) -> None:
    for support_id in sorted(set(support_ids)):
        db.session.add(VisitSupport(district_id=visit.district_id, visit_id=visit.id, support_assignment_id=support_id))
    db.session.flush()


def _fresh(row):
    """Reload a row's read-only relationships after writing through ids."""
    db.session.refresh(row)
    return row


# --- observations -------------------------------------------------------------------------------


def record_observation(visit: Visit, data: dict, captured_at: datetime | None = None) -> Observation:
    """Add a rated classroom observation to a visit.

    `captured_at`: when the form was filled in; a rubric version retired since then is still accepted.
    """
    errors: dict[str, list[str]] = {}
    _check_observation(data, errors, captured_at=captured_at)
    _check_minutes(data.get("minutes"), visit.minutes, errors)
    if errors:
        raise InvalidInput(errors)
    observation = _add_observation(visit, data)
    db.session.flush()
    return _fresh(observation)


def update_observation(observation: Observation, data: dict) -> Observation:
    """Change an observation's grade, subject, minutes or feedback, and its ratings if `ratings` is given.

    Ratings are checked against the observation's own rubric version, even one replaced since: an observation
    keeps the version it was rated on. Each rating is changed, added or deleted as a row, so that the audit
    trail shows which look-for's rating or evidence changed.
    """
    if "subject" in data:
        data = {**data, "subject": data["subject"].strip()}
    errors: dict[str, list[str]] = {}
    _check_minutes(data.get("minutes"), observation.visit.minutes, errors)
    if "ratings" in data:
        _check_ratings(observation.rubric, data["ratings"], errors)
    if errors:
        raise InvalidInput(errors)
    _apply(observation, data, OBSERVATION_FIELDS)
    if "ratings" in data:
        _replace_ratings(observation, data["ratings"])
    db.session.flush()
    return _fresh(observation)


def _replace_ratings(observation: Observation, ratings: list[dict]) -> None:
    wanted = {rating["look_for_id"]: rating for rating in ratings}
    stored = {row.look_for_id: row for row in db.session.scalars(
        select(Rating).where(Rating.district_id == observation.district_id, Rating.observation_id == observation.id)
    )}
    for look_for_id, row in stored.items():
        if look_for_id in wanted:
            row.rating = wanted[look_for_id]["rating"]
            row.evidence = wanted[look_for_id].get("evidence")
        else:
            db.session.delete(row)
    db.session.add_all(
        Rating(district_id=observation.district_id, observation_id=observation.id, look_for_id=look_for_id,
               rating=rating["rating"], evidence=rating.get("evidence"))
        for look_for_id, rating in wanted.items() if look_for_id not in stored
    )


def delete_observation(observation: Observation) -> None:
    """Delete an observation and its ratings, each as a row (not by the database's cascade) so that each is audited."""
    for rating in db.session.scalars(
        select(Rating).where(Rating.district_id == observation.district_id, Rating.observation_id == observation.id)
    ):
        db.session.delete(rating)
    # The ratings first: nothing tells the unit of work they hang on the observation (its `ratings` is view-only).
    db.session.flush()
    db.session.delete(observation)
    db.session.flush()


def rubric_accepts(rubric: Rubric | None, captured_at: datetime | None) -> bool:
    """Whether a capture made at `captured_at` (None: now) may be rated on this rubric version.

    The version in use, or one retired after the capture: an observation keeps the version it was rated on.
    """
    if rubric is None:
        return False
    if rubric.active:
        return True
    if captured_at is None or rubric.retired_at is None:
        return False
    return _utc(captured_at) < rubric.retired_at


def _utc(moment: datetime) -> datetime:
    """A naive UTC datetime, as stored, from an aware or naive (taken as UTC) one."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _check_minutes(observed: int | None, visit_minutes: int | None, errors: dict, prefix: str = "") -> None:
    """A classroom observation fits inside its visit: 200 minutes observed in a 90-minute visit cannot be."""
    if observed is not None and visit_minutes is not None and observed > visit_minutes:
        errors.setdefault(f"{prefix}minutes", []).append(
            f"The visit lasted {visit_minutes} minutes: an observation in it lasts at most as long.")


def _rubrics_of(observations: list[dict]) -> dict[int, Rubric]:
    """The rubrics these observations are rated on, with their look-fors, in two statements however many there are
    (`session.get` per observation read each again: nothing held the rubric between two of them)."""
    ids = {data["rubric_id"] for data in observations}
    if not ids:
        return {}
    rubrics = db.session.scalars(select(Rubric).where(Rubric.id.in_(ids)).options(selectinload(Rubric.look_fors)))
    return {rubric.id: rubric for rubric in rubrics}


def _check_observation(data: dict, errors: dict, prefix: str = "", captured_at: datetime | None = None,
                       rubrics: dict[int, Rubric] | None = None) -> None:
    rubric = rubrics.get(data["rubric_id"]) if rubrics is not None else db.session.get(Rubric, data["rubric_id"])
    if not rubric_accepts(rubric, captured_at):
        errors[f"{prefix}rubric_id"] = [
            f"{rubric} was replaced by a new version before this was captured: rate on the version in use."
            if rubric else "Choose one of the rubrics in use."
        ]
        return
    _check_ratings(rubric, data.get("ratings", []), errors, prefix)


def _check_ratings(rubric: Rubric, ratings: list[dict], errors: dict, prefix: str = "") -> None:
    look_for_ids = {look_for.id for look_for in rubric.look_fors}
    seen = set()
    for index, rating in enumerate(ratings):
        where = f"{prefix}ratings.{index}."
        if rating["look_for_id"] not in look_for_ids:
            errors[f"{where}look_for_id"] = [f"Choose a look-for of {rubric.name}."]
        elif rating["look_for_id"] in seen:
            errors[f"{where}look_for_id"] = ["Rate each look-for once."]
        seen.add(rating["look_for_id"])
        if rating["rating"] not in rubric.scale:
            errors[f"{where}rating"] = [f"Rate from {rubric.scale_min} to {rubric.scale_max}."]


def _add_observation(visit: Visit, data: dict) -> Observation:
    return _add_observations(visit, [data])[0]


def _add_observations(visit: Visit, observations: list[dict]) -> list[Observation]:
    """The observations in one flush, then every rating of them in another: each flush is one INSERT of
    many rows (and one of their audit events), so a visit with 100 observations costs two statements more
    than one with a single observation, not 200."""
    rows = [
        Observation(
            district_id=visit.district_id,
            visit_id=visit.id,
            rubric_id=data["rubric_id"],
            grade=data["grade"],
            subject=data["subject"].strip(),
            minutes=data["minutes"],
            feedback=data.get("feedback"),
        )
        for data in observations
    ]
    if not rows:
        return rows
    db.session.add_all(rows)
    db.session.flush()
    ratings = {
        observation: [
            Rating(
                district_id=visit.district_id,
                observation_id=observation.id,
                look_for_id=rating["look_for_id"],
                rating=rating["rating"],
                evidence=rating.get("evidence"),
            )
            for rating in data.get("ratings", [])
        ]
        for observation, data in zip(rows, observations)
    }
    db.session.add_all(rating for of_one in ratings.values() for rating in of_one)
    db.session.flush()
    # Each observation holds the ratings just written, in the relationship's order, so that reading them costs nothing.
    for observation, of_one in ratings.items():
        set_committed_value(observation, "ratings", sorted(of_one, key=lambda rating: rating.look_for_id))
    return sorted(rows, key=lambda observation: observation.id)


def rubrics_in_use() -> list[Rubric]:
    return list(db.session.scalars(select(Rubric).where(Rubric.active).order_by(Rubric.name, Rubric.version.desc())))


def rubric_has_ratings(rubric_id: int) -> bool:
    """Whether any rating uses this rubric (asked by platform admins, who see every district)."""
    return bool(db.session.scalar(
        select(func.count()).select_from(Rating).join(LookFor, Rating.look_for_id == LookFor.id)
        .where(LookFor.rubric_id == rubric_id)
    ))


def new_rubric_version(rubric: Rubric) -> Rubric:
    """Copy a rubric and its look-fors as the next version, which replaces it for new observations."""
    latest = db.session.scalar(select(func.max(Rubric.version)).where(Rubric.name == rubric.name))
    copy = Rubric(name=rubric.name, version=latest + 1, scale_min=rubric.scale_min, scale_max=rubric.scale_max,
                  scale_labels=rubric.scale_labels, active=True)
    copy.look_fors = [LookFor(position=lf.position, title=lf.title, description=lf.description, carried_from_id=lf.id)
                      for lf in rubric.look_fors]
    rubric.active = False
    rubric.retired_at = stored_now()
    db.session.add(copy)
    db.session.flush()
    return copy


# --- support assignments and leads --------------------------------------------------------------


def leads_of(district: District) -> list[User]:
    return list(db.session.scalars(
        select(User).join(RoleGrant).where(
            RoleGrant.role == Role.ASSISTANCE_LEAD, RoleGrant.district_id == district.id
        ).order_by(User.name)
    ))


def support_types() -> list[SupportType]:
    return list(db.session.scalars(select(SupportType).where(SupportType.active).order_by(SupportType.name)))


def save_assignment(district: District, data: dict, assignment: SupportAssignment | None = None) -> SupportAssignment:
    """Create or change a support assignment; its lead must be one of the district's leads."""
    errors: dict[str, list[str]] = {}
    merged = ({f: getattr(assignment, f) for f in ASSIGNMENT_FIELDS} if assignment else {}) | data
    _check_visit(district, {"school_id": merged.get("school_id")}, errors)  # the school only
    if merged.get("lead_id") not in {lead.id for lead in leads_of(district)}:
        errors["lead_id"] = [f"Choose one of {district.name}'s assistance leads."]
    support_type = db.session.get(SupportType, merged.get("support_type_id"))
    if support_type is None or not support_type.active:
        errors["support_type_id"] = ["Choose a support from the catalog."]
    if errors:
        raise InvalidInput(errors)
    assignment = assignment or SupportAssignment(district_id=district.id)
    _apply(assignment, data, ASSIGNMENT_FIELDS)
    db.session.add(assignment)
    db.session.flush()
    return _fresh(assignment)


def assign_lead(district: District, lead: User) -> None:
    """Grant a person the assistance lead role in a district (what gives them access to it)."""
    grant_role(lead, Role.ASSISTANCE_LEAD, district_id=district.id)
    db.session.flush()


def unassign_lead(district: District, lead: User) -> None:
    for grant in list(lead.grants):
        if grant.role == Role.ASSISTANCE_LEAD and grant.district_id == district.id:
            lead.grants.remove(grant)
    db.session.flush()


def _apply(row, data: dict, fields) -> None:
    for field in fields:
        if field in data:
            setattr(row, field, data[field])


# --- the caseload -------------------------------------------------------------------------------


def with_delivery(statement: Select) -> Select:
    """`statement` (over SupportAssignment) loading each assignment's `delivered_minutes`, in the same query."""
    return statement.options(undefer(SupportAssignment.delivered_minutes))


def assignments_with_delivery(*conditions) -> list[tuple[SupportAssignment, int]]:
    """Support assignments with the minutes delivered against each, in one query (and one for their schools)."""
    assignments = db.session.scalars(with_delivery(
        select(SupportAssignment).where(*conditions)
        .options(selectinload(SupportAssignment.school))
        .order_by(SupportAssignment.starts_on.desc(), SupportAssignment.id)
    )).unique()
    return [(assignment, assignment.delivered_minutes) for assignment in assignments]


@dataclass(frozen=True)
class UnvisitedSchool:
    school: School
    last_visit: date | None
    days_since: int | None

    @property
    def band(self) -> str:
        if self.days_since is None:
            return "never visited"
        if self.days_since >= 90:
            return "90+ days"
        if self.days_since >= 60:
            return "60–89 days"
        return "30–59 days"


@dataclass
class Caseload:
    districts: list[District]
    supports: list[tuple[SupportAssignment, int]]
    overdue: list[Visit]
    due_this_week: list[Visit]
    unvisited: list[UnvisitedSchool]
    recent: list[Visit]


def lead_district_ids(user: User) -> list[int]:
    return sorted(g.district_id for g in user.grants if g.role == Role.ASSISTANCE_LEAD)


def caseload_for(user: User, today: date | None = None) -> Caseload:
    """A lead's districts and schools, supports in progress, follow-ups, unvisited schools, recent visits."""
    today = today or state_today()
    district_ids = lead_district_ids(user)
    districts = list(db.session.scalars(select(District).where(District.id.in_(district_ids)).order_by(District.name)))
    follow_ups = open_follow_ups(user, today + timedelta(days=7))
    return Caseload(
        districts=districts,
        supports=assignments_with_delivery(
            SupportAssignment.lead_id == user.id, SupportAssignment.status == AssignmentStatus.ACTIVE
        ),
        overdue=[v for v in follow_ups if v.follow_up_on < today],
        due_this_week=[v for v in follow_ups if v.follow_up_on >= today],
        unvisited=schools_not_visited_since(district_ids, today - timedelta(days=30), today),
        recent=list(db.session.scalars(
            # A joint visit is in each co-observer's recent visits too; its follow-up stays its author's.
            select(Visit).where(conducted_or_observed_by(user.id))
            .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(10)
        )),
    )


def open_follow_ups(user: User, until: date) -> list[Visit]:
    """This person's follow-ups not done and due on or before `until`, soonest first."""
    return list(db.session.scalars(
        select(Visit).where(
            Visit.lead_id == user.id, Visit.follow_up_on.is_not(None), Visit.follow_up_on <= until,
            Visit.follow_up_done.is_(False),
        ).order_by(Visit.follow_up_on, Visit.id)
        # A follow-up shows its visit's place and next steps: loading the observations and supports of a
        # lead's hundreds of open follow-ups took most of the home page's time at state scale.
        .options(lazyload(Visit.observations), lazyload(Visit.supports))
    ))


def schools_with_last_visit() -> Select:
    """`select(School, last_visit)`: each school with the date of its last visit by anyone (either team), None
    for one never visited; the caller adds its conditions on School and on `last_visit`."""
    last = (
        select(Visit.district_id, Visit.school_id, func.max(Visit.visited_on).label("last_visit"))
        .where(Visit.school_id.is_not(None))
        .group_by(Visit.district_id, Visit.school_id)
        .subquery()
    )
    return (select(School, last.c.last_visit)
            .outerjoin(last, and_(last.c.district_id == School.district_id, last.c.school_id == School.id)))


def schools_not_visited_since(district_ids, since: date, today: date) -> list[UnvisitedSchool]:
    """Schools of these districts with no visit on or after `since`, longest unvisited first."""
    with_last = schools_with_last_visit()
    last_visit = with_last.selected_columns.last_visit
    rows = db.session.execute(
        with_last.where(School.district_id.in_(district_ids), or_(last_visit.is_(None), last_visit < since))
        .order_by(last_visit.asc().nulls_first(), School.name)
    ).all()
    return [UnvisitedSchool(school, last_visit, (today - last_visit).days if last_visit else None)
            for school, last_visit in rows]
