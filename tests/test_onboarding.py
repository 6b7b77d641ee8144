"""The importer (per-row errors, all-or-nothing, idempotent, the state directory), the wizard, archive,
the audit log pages, the whole-data export and the failed jobs page."""
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from rq import Queue, SimpleWorker
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.districts.models import School
from app.extensions import db
from app.onboarding.jobs import apply_import
from app.onboarding.models import ImportBatch, ImportStatus
from app.onboarding.services import preview_directory_import, preview_district_import
from tenants.models import District, Lifecycle
from tests.factories_field_teams import DISTRICT_INTERNAL
from tests.matrix import ROLES

SCHOOLS = b"name,code,grade_span,enrollment\nO'Brien Elementary,OB-1,K-5,320\nSaint-Jean Middle (East),SJ-2,6-8,\n"
PEOPLE = b"email,name,role,title\nnew.leader@example.org,Nia Newlead,District leader,Superintendent\n"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def preview(world, schools=SCHOOLS, people=PEOPLE, schools_name="schools.csv"):
    uploads = {"schools": (schools_name, schools), "people": ("people.csv", people)}
    result = preview_district_import(world.home, uploads, world.admin)
    db.session.commit()  # as the wizard's page does
    return result


@pytest.mark.parametrize("schools, people, column, message", [
    (b"name,code,grade_span\n,X1,K-5\n", PEOPLE, "name", "Missing data"),
    (b"name,code,grade_span\nA,X1,K-5\nB,x1,6-8\n", PEOPLE, "code", "Duplicate code X1: also on line 2"),
    (b"name,code,grade_span\nA,X1,K-15\n", PEOPLE, "grade_span", "Use a span of grades"),
    (b"name,code,grade_span\nA,X1,K-5\n", b"email,name,role\nnot-an-email,Ann,District leader\n", "email", "Not a valid email"),
    (b"name,code,grade_span\nA,X1,K-5\n", b"email,name,role\nann@example.org,Ann,Janitor\n", "role", "Unknown role"),
    (b"name,grade_span\nA,K-5\n", PEOPLE, "file", "the file has no code column"),
])
def test_each_bad_row_is_reported_and_nothing_is_stored(world, schools, people, column, message):
    result = preview(world, schools, people)
    assert result.batch is None
    assert [(e.column, message in e.message) for e in result.errors] == [(column, True)]
    assert count(ImportBatch) == 0 and count(School, School.name == "A") == 0


def test_an_error_names_its_line(world):
    result = preview(world, b"name,code,grade_span\nGood,G1,K-5\nBad,G2,5-K\n")
    assert [(e.file, e.line) for e in result.errors] == [("schools.csv", 3)]


def test_xlsx_is_read_like_csv(world):
    book = Workbook()
    book.active.append(["Name", "Code", "Grade span", "Enrollment"])
    book.active.append(["Excel School", "XL-1", "9-12", 512])
    data = io.BytesIO()
    book.save(data)
    result = preview(world, data.getvalue(), PEOPLE, schools_name="schools.xlsx")
    assert result.errors == []
    assert result.batch.rows["schools"][0] == {"name": "Excel School", "code": "XL-1", "grade_span": "9-12",
                                               "enrollment": 512, "accountability_category": "insufficient_data"}


def test_a_confirmed_batch_imports_schools_and_people_and_a_rerun_changes_nothing(world):
    first = preview(world).batch
    assert apply_import(first.id, world.admin.id) == {"schools_created": 2, "schools_updated": 0,
                                                       "people_created": 1, "grants_created": 1, "school_leaders_created": 0,
                                                       "people_invited": 1}
    assert db.session.scalars(select(School.name).where(School.code == "OB-1")).one() == "O'Brien Elementary"
    person = db.session.scalars(select(User).where(User.email == "new.leader@example.org")).one()
    assert [(g.role, g.district_id, g.title) for g in person.grants] == [("district_leader", world.home.id, "Superintendent")]
    assert person.password_hash is None
    events = count(AuditEvent)
    # The same batch again (a job delivered twice), then the same files again.
    assert apply_import(first.id, world.admin.id)["schools_created"] == 2
    second = preview(world).batch
    assert apply_import(second.id, world.admin.id) == dict.fromkeys(
        ("schools_created", "schools_updated", "people_created", "grants_created", "school_leaders_created",
         "people_invited"), 0)
    assert count(School, School.district_id == world.home.id) == 4 and count(AuditEvent) == events


def test_a_failing_import_leaves_nothing_and_says_why(world):
    batch = preview(world).batch

    def break_midway(done, total):
        if done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        apply_import(batch.id, world.admin.id, progress=break_midway)
    assert count(School, School.code == "OB-1") == 0
    assert count(User, User.email == "new.leader@example.org") == 0
    db.session.refresh(batch)
    assert batch.status == ImportStatus.FAILED and "disk full" in batch.error


def test_only_a_platform_admin_s_batch_runs(world):
    batch = preview(world).batch
    with pytest.raises(PermissionError):
        apply_import(batch.id, world.leader.id)


def directory_files(folder: Path):
    return [(name, (folder / name).read_bytes()) for name in ("districts.csv", "schools.csv")]


def test_the_state_directory_imports_every_district_and_school_once(app, world):
    folder = Path(app.config["DIRECTORY_PATH"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "directory", str(folder)])
    assert result.exit_code == 0, result.output
    assert "districts created: 520" in result.output and "schools created: 1837" in result.output
    imported = District.directory_id.is_not(None)
    assert count(District, imported) == 520 and count(School, School.directory_id.is_not(None)) == 1837
    names = set(db.session.scalars(select(District.name)))
    assert {"Abby Kelley Foster Charter Public (District)", "Martha's Vineyard", "Dennis-Yarmouth"} <= names
    assert db.session.scalar(select(func.sum(District.school_count)).where(imported)) == 1837
    assert count(AuditEvent, AuditEvent.object_type == "School", AuditEvent.user_id == world.admin.id) == 1837
    again = preview_directory_import(*directory_files(folder), world.admin)
    assert apply_import(again.batch.id, world.admin.id) == {
        "districts_created": 0, "districts_updated": 0, "schools_created": 0, "schools_updated": 0}
    assert count(District, imported) == 520


def test_a_directory_school_of_an_unknown_district_is_an_error(world):
    result = preview_directory_import(("districts.csv", b"source_id,name,type,city\n9001,Test,Public School District,X\n"),
                                      ("schools.csv", b"source_id,district_source_id,name,type,city\n1,9002,A,Public School,X\n"),
                                      world.admin)
    assert [(e.line, e.column) for e in result.errors] == [(2, "district_source_id")]


def test_the_wizard_creates_a_district_then_a_bad_file_then_a_good_one_runs_as_a_job(client, auth, world, redis):
    auth.sign_in(world.admin)
    response = client.post("/onboarding/", data={"name": "", "region_id": "", "accountability_status": ""})
    assert response.status_code == 422 and "Enter the district" in response.text
    response = client.post("/onboarding/", data={"name": "Newtown-on-Sea", "region_id": world.home_region.id,
                                                 "accountability_status": "focused_targeted_support"})
    assert response.headers["Location"].endswith("/onboarding/districts/newtown-on-sea/import")
    district = db.session.scalars(select(District).where(District.slug == "newtown-on-sea")).one()
    assert district.lifecycle == Lifecycle.ONBOARDING
    url = "/onboarding/districts/newtown-on-sea/import"
    bad = client.post(url, data={"schools": (io.BytesIO(b"name,code,grade_span\n,A1,K-5\n"), "schools.csv")})
    assert bad.status_code == 422 and "Missing data" in bad.text and count(ImportBatch) == 0
    good = client.post(url, data={"schools": (io.BytesIO(SCHOOLS), "schools.csv"), "people": (io.BytesIO(PEOPLE), "p.csv")})
    batch_url = good.headers["Location"]
    assert "Confirm the import" in client.get(batch_url).text
    client.post(batch_url + "/confirm")
    client.post(batch_url + "/confirm")  # a double click queues it once
    assert Queue("imports", connection=redis).count == 1
    assert "<progress" in client.get(batch_url).text
    assert 'http-equiv="refresh"' in client.get(batch_url + "?watch=1").text
    SimpleWorker([Queue("imports", connection=redis)], connection=redis).work(burst=True)
    page = client.get(batch_url + "?watch=1").text
    assert "Imported" in page and 'http-equiv="refresh"' not in page
    assert count(School, School.district_id == district.id) == 2


def test_a_refused_upload_is_explained(client, auth, world):
    auth.sign_in(world.admin)
    response = client.post("/onboarding/districts/homeville/import",
                           data={"schools": (io.BytesIO(b"x"), "schools.pdf")})
    assert response.status_code == 422 and "upload a .csv or .xlsx file" in response.text


PLATFORM_PAGES = [("GET", "/onboarding/"), ("GET", "/onboarding/directory"), ("GET", "/onboarding/imports/{batch}"),
                  ("POST", "/onboarding/imports/{batch}/confirm"), ("GET", "/jobs/failed"),
                  ("POST", "/jobs/failed/nope/retry"), ("GET", "/audit")]


@pytest.mark.parametrize("role", ROLES)
def test_platform_pages_are_for_platform_admins_only(client, auth, world, role):
    batch = preview(world).batch
    auth.sign_in(world.people()[role])
    for method, path in PLATFORM_PAGES:
        status = client.open(path.format(batch=batch.id), method=method).status_code
        assert status == ((302 if method == "POST" else 200) if role == "platform_admin" else 403), (method, path)
    assert db.session.get(ImportBatch, batch.id).status == (
        ImportStatus.QUEUED if role == "platform_admin" else ImportStatus.PREVIEWED)


def test_an_archived_district_leaves_its_people_s_reach_and_can_be_restored(client, auth, world):
    auth.sign_in(world.admin)
    client.post("/onboarding/districts/homeville/lifecycle", data={"lifecycle": "archived"})
    assert world.home.lifecycle == Lifecycle.ARCHIVED
    assert client.get("/districts/homeville").status_code == 200  # still readable to admins
    assert "Homeville" in client.get("/onboarding/").text
    auth.sign_out()
    auth.sign_in(world.leader)
    assert client.get("/districts/homeville").status_code == 404
    auth.sign_out()
    auth.sign_in(world.admin)
    client.post("/onboarding/districts/homeville/lifecycle", data={"lifecycle": "active"})
    auth.sign_out()
    auth.sign_in(world.leader)
    assert client.get("/districts/homeville").status_code == 200


def test_audit_rows_for_create_update_and_delete(world):
    school = School(district_id=world.home.id, name="Audit School", code="AU-1", grade_span="K-5")
    db.session.add(school)
    db.session.flush()
    school.name = "Audit School Renamed"
    db.session.flush()
    db.session.delete(school)
    db.session.flush()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "School",
                                                         AuditEvent.object_id == str(school.id))
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert events[1].changes == {"name": ["Audit School", "Audit School Renamed"]}


def test_a_leader_reads_their_district_s_audit_log_filtered(client, auth, world):
    auth.sign_in(world.leader)
    client.post(f"/districts/homeville/schools/{world.home_school.id}/edit",
                data={"name": "Homeville Elementary Renamed", "code": "HE-1", "grade_span": "K-5",
                      "accountability_category": "meeting_targets"})
    page = client.get(f"/districts/homeville/audit?person={world.leader.id}&object_type=School").text
    assert "Homeville Elementary Renamed" in page and "Lia Leader" in page
    assert "Faraway" not in page
    assert world.HOME_INTERNAL not in client.get("/districts/homeville/audit").text  # support team only
    assert "Homeville Elementary Renamed" not in client.get("/districts/homeville/audit?person=999999").text
    assert client.get("/districts/homeville/audit?from=not-a-date").status_code == 422
    assert client.get("/districts/faraway/audit").status_code == 404


def test_an_admin_reads_every_district_s_audit_log(client, auth, world):
    auth.sign_in(world.admin)
    page = client.get("/audit").text
    assert "Faraway" in page and "Homeville" in page


def test_the_district_export_is_a_zip_of_csvs_with_a_readme_and_no_internal_notes(client, auth, world):
    auth.sign_in(world.leader)
    response = client.get("/districts/homeville/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"README.md", "districts.csv", "schools.csv", "visits.csv", "observations.csv", "ratings.csv"} <= names
    visits = archive.read("visits.csv").decode("utf-8-sig")
    # The support team's internal notes stay out; the district's own (its supervisor's visit) are its leader's.
    assert world.HOME_SHARED in visits and world.HOME_INTERNAL not in visits and DISTRICT_INTERNAL in visits
    assert "Faraway" not in "".join(archive.read(n).decode("utf-8-sig") for n in names)
    assert "## visits.csv (2 rows)" in archive.read("README.md").decode()


def test_a_failed_job_is_listed_with_its_error_and_retried(app, client, auth, world, redis):
    from workers.queues import enqueue

    auth.sign_in(world.admin)  # commits the world: the failing job's rollback must not take it away
    app.config["JOB_RETRIES"] = 0
    try:
        job = enqueue("workers.jobs.refresh_school_count", world.home.id, world.foreign_leader.id)
    finally:
        app.config["JOB_RETRIES"] = 3
    SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)
    page = client.get("/jobs/failed").text
    assert "refresh_school_count" in page and "is not in reach" in page
    client.post(f"/jobs/failed/{job.id}/retry")
    assert Queue("default", connection=redis).job_ids == [job.id]
    assert "No failed jobs." in client.get("/jobs/failed").text
