"""Onboarding: create a district, check its files into a previewed batch, apply a confirmed batch, archive.

Nothing here commits: the view, the job or the command that calls it owns the transaction.
Applying is all-or-nothing (one transaction, committed by its caller at the very end,
`app.onboarding.jobs.apply_import`, so a failed or killed job leaves nothing) and idempotent
(schools match by code, people by email, directory rows by the directory's ids: a second run of
the same batch or file changes nothing).
"""
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from app.accounts.grants import grant_role
from app.accounts.models import RoleGrant, User
from app.audit.models import AuditEvent
from app.audit.recording import audit_event
from app.auth.invitations import Invitations, invite_people
from app.auth.services import person_with_email
from app.clock import stored_now
from app.directory import DirectorySchool
from app.districts.forms import SchoolSchema
from app.districts.models import Position, School, SchoolLeader
from app.extensions import db
from app.onboarding.files import FileRefused, read_table
from app.onboarding.models import ImportBatch, ImportKind, ImportStatus
from app.onboarding.rows import (
    DirectoryDistrictRow,
    DirectorySchoolRow,
    PersonRow,
    RowError,
    check_rows,
    required_columns,
    school_key,
)
from app.text import slugify
from tenants.access import is_platform_admin, may_lead_school, scope_for_job
from tenants.models import AccountabilityStatus, District, Lifecycle, Region
from tenants.scope import entered
from tenants.scopes import system_task_scope
from workers.failures import job_state, retry_failed_job
from workers.queues import enqueue

# Districts from the state directory wait here until an admin places them in a region.
DIRECTORY_REGION = "Not yet assigned"
# Rows per bulk statement and per progress step.
STEP = 200
# What each import fills, analyzed after it (`refresh_statistics`).
DIRECTORY_TABLES = ("districts", "schools", "audit_events")
DISTRICT_TABLES = ("schools", "users", "role_grants", "school_leaders", "audit_events")

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    """Report nowhere."""


class ImportRefused(PermissionError):
    """Only a platform admin imports."""


@dataclass
class Preview:
    """What an upload would do: the batch to confirm, or the errors to fix first."""

    errors: list[RowError] = field(default_factory=list)
    batch: ImportBatch | None = None
    counts: dict[str, int] = field(default_factory=dict)


def create_district(name: str, region_id: int, accountability_status: str) -> District:
    """Create a district in onboarding, with a slug no other district has."""
    slug = base = slugify(name) or "district"
    number = 1
    while db.session.scalar(select(District.id).where(District.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    district = District(name=name.strip(), slug=slug, region_id=region_id, accountability_status=accountability_status,
                        lifecycle=Lifecycle.ONBOARDING)
    db.session.add(district)
    return district


def preview_district_import(district: District, uploads: dict[str, tuple[str, bytes]], user: User) -> Preview:
    """Check a district's schools and people files; store a batch to confirm only when every row is good."""
    checked = {"schools": [], "people": []}
    errors: list[RowError] = []
    sources = []
    for key, schema, unique in (("schools", SchoolSchema(), "code"), ("people", PersonRow(), "email")):
        if key not in uploads:
            continue
        filename, data = uploads[key]
        sources.append(filename)
        checked[key], problems = _checked_file(filename, data, schema, unique,
                                               school_key if key == "schools" else _same)
        errors += problems
    if not sources:
        errors.append(RowError("", 0, "file", "Choose a schools file, a people file, or both."))
    if "people" in uploads and not any(error.file == uploads["people"][0] for error in errors):
        errors += school_leader_problems(district, checked["schools"], checked["people"], uploads["people"][0])
    return _batch_or_errors(ImportKind.DISTRICT, district.id, checked, errors, sources, user)


def preview_directory_import(districts: tuple[str, bytes], schools: tuple[str, bytes], user: User) -> Preview:
    """Check the state directory's districts.csv and schools.csv; every school's district must be known."""
    errors: list[RowError] = []
    checked = {}
    for key, (filename, data), schema in (("districts", districts, DirectoryDistrictRow()),
                                         ("schools", schools, DirectorySchoolRow())):
        checked[key], problems = _checked_file(filename, data, schema, "source_id")
        errors += problems
    known = {row["source_id"] for row in checked["districts"]} | set(
        db.session.scalars(select(District.directory_id).where(District.directory_id.is_not(None))))
    for line, row in enumerate(checked["schools"], start=2):
        if row["district_source_id"] not in known:
            errors.append(RowError(schools[0], line, "district_source_id",
                                   f"No district with source_id {row['district_source_id']}."))
    return _batch_or_errors(ImportKind.DIRECTORY, None, checked, errors, [districts[0], schools[0]], user)


def school_leader_problems(district: District, schools: list[dict], people: list[dict], file: str) -> list[RowError]:
    """The people file's principals and assistant principals: a school of the district (or of the schools file),
    one principal per school, and nobody of another district (`tenants.access.may_lead_school`)."""
    errors: list[RowError] = []
    existing = {school_key(s.code): s for s in db.session.scalars(select(School).where(School.district_id == district.id))}
    known = set(existing) | {school_key(row["code"]) for row in schools}
    principals: dict[str, int] = {}
    for line, row in enumerate(people, start=2):
        if not row.get("school_code"):
            continue
        key = school_key(row["school_code"])
        if key not in known:
            errors.append(RowError(file, line, "school_code", f"No school of {district.name} has the code "
                                                              f"{row['school_code']}."))
            continue
        person = person_with_email(row["email"])
        if person is not None and not may_lead_school(person, district.id):
            errors.append(RowError(file, line, "email", f"{person.name} is one of another district's people: a "
                                                        f"school leader of {district.name} is one of its own."))
        if row["position"] != Position.PRINCIPAL:
            continue
        if key in principals:
            errors.append(RowError(file, line, "position", f"School {row['school_code']} has its principal on line "
                                                           f"{principals[key]}: a school has one principal."))
            continue
        principals[key] = line
        school = existing.get(key)
        current = school.principal if school is not None else None
        if current is not None and current.email.lower() != row["email"].lower():
            errors.append(RowError(file, line, "position", f"{school.name} already has principal {current.name}: "
                                                           f"remove them on the school's page first."))
    return errors


def _same(value):
    return value


def _checked_file(filename: str, data: bytes, schema, unique: str, key=_same) -> tuple[list[dict], list[RowError]]:
    """The file's rows loaded by `schema`, or the errors: one for the file as a whole (its layout), else per cell."""
    try:
        rows = read_table(data, filename, required_columns(schema))
    except FileRefused as refused:
        return [], [RowError(filename, 0, "file", str(refused))]
    return check_rows(rows, schema, filename, unique, key)


def _batch_or_errors(kind, district_id, checked: dict, errors, sources, user) -> Preview:
    counts = {key: len(rows) for key, rows in checked.items()}
    if errors:
        return Preview(errors=errors, counts=counts)
    batch = ImportBatch(kind=kind, district_id=district_id, created_by_id=user.id, source=", ".join(sources)[:300],
                        rows=checked, row_count=sum(counts.values()))
    db.session.add(batch)
    db.session.flush()  # its id, for the page to confirm it
    return Preview(batch=batch, counts=counts)


def import_job_id(batch_id: int) -> str:
    """The RQ id of a batch's job: one per batch, whatever the attempts."""
    return f"import-batch-{batch_id}"


def confirm_import(batch: ImportBatch, user: User) -> Callable[[], None] | None:
    """Mark a batch queued and answer the start of its job, to call once the caller has committed; None if
    nothing is to be queued.

    Confirming again (a double click) queues nothing more while its job is waiting, running or retrying;
    once the job is out of retries or lost by Redis, confirming again starts it again. With Redis down
    the batch is queued in the database and its job enqueued by the reconcile once Redis is back.
    The job starts after the commit: a worker that finished first would see its batch's "done" overwritten.
    """
    if batch.status == ImportStatus.DONE:
        return None
    failed = False
    if batch.status != ImportStatus.PREVIEWED:
        state = job_state(import_job_id(batch.id))
        if not state.can_start_again:
            return None
        failed = state.status == "failed"
    batch.status = ImportStatus.QUEUED
    batch_id, user_id = batch.id, user.id

    def start() -> None:
        # RQ keeps a failed job: put it back on its queue, unless it has gone meanwhile.
        if not (failed and retry_failed_job(import_job_id(batch_id))):
            enqueue("app.onboarding.jobs.run_import", batch_id, user_id, queue_name="imports",
                    job_id=import_job_id(batch_id))

    return start


def batch_to_apply(batch_id: int, user_id: int) -> ImportBatch:
    """The batch `user_id` may apply: raises ImportRefused for anyone but a platform admin, LookupError if none."""
    user = db.session.get(User, user_id)
    if user is None or not is_platform_admin(user):
        raise ImportRefused(f"user {user_id} is not a platform admin: imports are theirs")
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        raise LookupError(f"import batch {batch_id} does not exist")
    return batch


def import_batch(batch: ImportBatch, user_id: int, progress: Progress = no_progress) -> tuple[dict, list[int]]:
    """Apply a batch not yet done, flushed and marked done but not committed: (its result, the people to invite)."""
    directory = batch.kind == ImportKind.DIRECTORY
    scope = system_task_scope("directory import") if directory else scope_for_job(user_id, batch.district_id)
    with entered(scope):
        if directory:
            result, newcomers = import_directory(batch.rows["districts"], batch.rows["schools"], user_id, progress), []
        else:
            result, newcomers = import_district_rows(batch.district_id, batch.rows, progress)
        batch.status, batch.result, batch.error, batch.finished_at = ImportStatus.DONE, result, None, stored_now()
        # The last changes are written in the import's scope, not in the caller's when it commits.
        db.session.flush()
    return result, newcomers


def mark_failed(batch_id: int, error: Exception) -> None:
    """Record the error on the batch, after the import was rolled back; the caller commits."""
    batch = db.session.get(ImportBatch, batch_id)
    batch.status, batch.error, batch.finished_at = ImportStatus.FAILED, f"{type(error).__name__}: {error}"[:2000], stored_now()


def import_district_rows(district_id: int, rows: dict, progress: Progress = no_progress) -> tuple[dict, list[int]]:
    """Create or update the district's schools (by code) and people (by email) through the ORM, so each change is audited.

    Also answers who to invite: people created or given a role here who have no password yet.
    """
    schools, people = rows.get("schools", []), rows.get("people", [])
    total, done = len(schools) + len(people), 0
    counts = dict.fromkeys(("schools_created", "schools_updated", "people_created", "grants_created"), 0)
    changed_people: list[User] = []
    # By the code's key, not its text: a file re-saved by a spreadsheet ("421" for "00421") finds its school.
    existing = {school_key(s.code): s for s in db.session.scalars(select(School).where(School.district_id == district_id))}
    for start in range(0, len(schools), STEP):
        for row in schools[start:start + STEP]:
            school = existing.get(school_key(row["code"]))
            if school is None:
                school = existing[school_key(row["code"])] = School(district_id=district_id, code=row["code"])
                db.session.add(school)
                counts["schools_created"] += 1
            # A school found keeps its code as first written: the spreadsheet's "421" does not replace "00421".
            for key in ("name", "grade_span", "enrollment", "accountability_category"):
                setattr(school, key, row[key])
            if school.id is not None and db.session.is_modified(school):
                counts["schools_updated"] += 1
        db.session.flush()
        done += len(schools[start:start + STEP])
        _step(progress, done, total)
    leading: list[tuple[User, dict]] = []
    for start in range(0, len(people), STEP):
        for row in people[start:start + STEP]:
            user, changed = _person(district_id, row, counts)
            if changed:
                changed_people.append(user)
            if row.get("school_code"):
                leading.append((user, row))
        db.session.flush()
        done += len(people[start:start + STEP])
        _step(progress, done, total)
    counts["school_leaders_created"] = _school_leaders(district_id, existing, leading)
    district = db.session.get(District, district_id)
    district.school_count = len(existing)
    newcomers = [user.id for user in changed_people if user.active and user.password_hash is None]
    counts["people_invited"] = len(newcomers)
    return counts, newcomers


def _school_leaders(district_id: int, schools: dict[str, School], leading: list[tuple[User, dict]]) -> int:
    """Make each person the leader the row says of the school with its code; one who leads it already stays."""
    created = 0
    for user, row in leading:
        school = schools[school_key(row["school_code"])]
        if any(leader.user_id == user.id for leader in school.leaders):
            continue
        db.session.add(SchoolLeader(district_id=district_id, school_id=school.id, user_id=user.id,
                                    position=row["position"]))
        created += 1
    db.session.flush()
    return created


def _person(district_id: int, row: dict, counts: dict) -> tuple[User, bool]:
    """The person with this row's email, given the row's role; and whether either was new."""
    user = person_with_email(row["email"])
    changed = user is None
    if user is None:
        # No password: the person sets one through their invitation.
        user = User(email=row["email"], name=row["name"], password_hash=None)
        db.session.add(user)
        counts["people_created"] += 1
    if grant_role(user, row["role"], district_id=district_id, title=row["title"]):
        counts["grants_created"] += 1
        changed = True
    return user, changed


def import_directory(districts: list[dict], schools: list[dict], user_id: int | None,
                     progress: Progress = no_progress) -> dict:
    """Bring the state directory in with bulk statements, matching by the directory's ids; audited in bulk."""
    total, done = len(districts) + len(schools), 0
    region_id = _directory_region_id()
    known = {d.directory_id: d for d in db.session.execute(
        select(District.id, District.directory_id, District.name, District.kind, District.city, District.enrollment)
        .where(District.directory_id.is_not(None)))}
    slugs = set(db.session.scalars(select(District.slug)))
    new_districts, changed_districts = [], []
    for row in districts:
        values = {"name": row["name"], "kind": row["type"], "city": row["city"], "enrollment": row["pupils"]}
        current = known.get(row["source_id"])
        if current is None:
            slug = slugify(row["name"])
            slug = slug if slug not in slugs else f"{slug}-{row['source_id']}"
            slugs.add(slug)
            new_districts.append({**values, "directory_id": row["source_id"], "slug": slug, "region_id": region_id,
                                  "lifecycle": Lifecycle.ONBOARDING.value, "school_count": 0,
                                  "accountability_status": AccountabilityStatus.INSUFFICIENT_DATA.value})
        elif any(getattr(current, key) != value for key, value in values.items()):
            changed_districts.append({"id": current.id, **values})
    for start in range(0, len(districts), STEP):
        _bulk(District, new_districts[start:start + STEP], changed_districts[start:start + STEP])
        done += len(districts[start:start + STEP])
        _step(progress, done, total)

    district_ids = dict(db.session.execute(
        select(District.directory_id, District.id).where(District.directory_id.in_([r["source_id"] for r in districts]
                                                                                      + [r["district_source_id"] for r in schools]))).all())
    known_schools = {(s.district_id, s.directory_id): s for s in db.session.execute(
        select(School.district_id, School.id, School.directory_id, School.name, School.city)
        .where(School.directory_id.is_not(None), School.district_id.in_(district_ids.values())))}
    new_schools, changed_schools = [], []
    for row in schools:
        district_id = district_ids[row["district_source_id"]]
        source = DirectorySchool(row["source_id"], row["district_source_id"], row["name"], row["type"], row["city"] or "")
        current = known_schools.get((district_id, row["source_id"]))
        if current is None:
            new_schools.append({"district_id": district_id, "directory_id": row["source_id"], "name": row["name"],
                                "code": source.code, "grade_span": source.grade_span, "city": row["city"],
                                "accountability_category": AccountabilityStatus.INSUFFICIENT_DATA.value})
        elif (current.name, current.city) != (row["name"], row["city"]):
            changed_schools.append({"district_id": district_id, "id": current.id, "name": row["name"], "city": row["city"]})
    for start in range(0, len(schools), STEP):
        _bulk(School, new_schools[start:start + STEP], changed_schools[start:start + STEP])
        done += len(schools[start:start + STEP])
        _step(progress, done, total)

    touched = sorted(set(district_ids.values()))
    db.session.execute(update(District).where(District.id.in_(touched)).values(
        school_count=select(func.count(School.id)).where(School.district_id == District.id).scalar_subquery()),
        execution_options={"synchronize_session": False})
    _record_bulk(District, new_districts, changed_districts, user_id)
    _record_bulk(School, new_schools, changed_schools, user_id)
    return {"districts_created": len(new_districts), "districts_updated": len(changed_districts),
            "schools_created": len(new_schools), "schools_updated": len(changed_schools)}


def _directory_region_id() -> int:
    region = db.session.scalars(select(Region).where(Region.name == DIRECTORY_REGION)).first()
    if region is None:
        region = Region(name=DIRECTORY_REGION)
        db.session.add(region)
        db.session.flush()
    return region.id


def _bulk(model, new_rows: list[dict], changed_rows: list[dict]) -> None:
    if new_rows:
        db.session.execute(insert(model), new_rows)
    if changed_rows:
        db.session.execute(update(model), changed_rows)


def _record_bulk(model, new_rows: list[dict], changed_rows: list[dict], user_id: int | None) -> None:
    """Bulk statements skip the flush that records changes: record them here, one event per row, in bulk."""
    kind = model.__name__
    events = []
    for row_id, row in zip(_new_ids(model, new_rows), new_rows):
        events.append(audit_event(kind, row_id, row.get("district_id", row_id), "create", user_id, _changes(row),
                                  row["name"]))
    for row in changed_rows:
        events.append(audit_event(kind, row["id"], row.get("district_id", row["id"]), "update", user_id, _changes(row),
                                  row["name"]))
    for start in range(0, len(events), 1000):
        db.session.execute(insert(AuditEvent), events[start:start + 1000])


def _new_ids(model, rows: list[dict]) -> list[int]:
    """The ids the database gave to bulk-inserted rows (a bulk insert returns none), in the rows' order."""
    if not rows:
        return []
    wanted = [row["directory_id"] for row in rows]
    if model is District:
        found = dict(db.session.execute(
            select(District.directory_id, District.id).where(District.directory_id.in_(wanted))).all())
        return [found[row["directory_id"]] for row in rows]
    found = {(d, s): i for d, s, i in db.session.execute(
        select(School.district_id, School.directory_id, School.id).where(School.directory_id.in_(wanted)))}
    return [found[(row["district_id"], row["directory_id"])] for row in rows]


def _changes(values: dict) -> dict:
    return {key: [None, value] for key, value in values.items() if key not in ("id", "district_id")}


def _step(progress: Progress, done: int, total: int) -> None:
    progress(done, total)
    # A test-only pause per step, so that a test can stop a worker in the middle of an import.
    delay = current_app.config.get("IMPORT_STEP_DELAY_SECONDS", 0)
    if delay:
        time.sleep(delay)


def people_of_district(district_id: int) -> list[User]:
    """Everyone with a role in the district, by name, with their grants."""
    return list(db.session.scalars(
        select(User).where(User.grants.any(RoleGrant.district_id == district_id))
        .options(selectinload(User.grants)).order_by(User.name, User.id)))


def reinvite(district_id: int, user_id: int, invited_by_id: int) -> Invitations | None:
    """Invite again a person with a role in the district; None for anyone else."""
    in_district = db.session.scalar(
        select(RoleGrant.id).where(RoleGrant.district_id == district_id, RoleGrant.user_id == user_id).limit(1))
    return invite_people([user_id], invited_by_id) if in_district else None


def set_lifecycle(district: District, lifecycle: Lifecycle) -> District:
    """Move a district through onboarding -> active -> archived, and back from archived to active."""
    district.lifecycle = lifecycle
    return district
