"""Imports that say what is wrong with a file once, re-imports that never copy a school or a person,
and uploads read as a stream that stops at the row limit."""
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.accounts.models import User
from app.districts.models import School
from app.extensions import db
from app.onboarding.files import MAX_ROWS, FileRefused, read_table
from app.onboarding.jobs import apply_import
from app.onboarding.services import preview_district_import

SCHOOLS = ("name,code,grade_span,enrollment\r\n"
           "Belmont Street Community,00421,K-5,512\r\n"
           "Burncoat High,HV-09,9-12,1100\r\n")
PEOPLE = "email,name,role,title\r\nNia.Newlead@example.org,Nia Newlead,District leader,Superintendent\r\n"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def preview(world, schools: bytes | None = None, people: bytes | None = None, schools_name="schools.csv"):
    uploads = {}
    if schools is not None:
        uploads["schools"] = (schools_name, schools)
    if people is not None:
        uploads["people"] = ("people.csv", people)
    result = preview_district_import(world.home, uploads, world.admin)
    db.session.commit()  # as the wizard's page does
    return result


def imported(world, schools: bytes, people: bytes, schools_name="schools.csv") -> dict:
    result = preview(world, schools, people, schools_name)
    assert result.errors == []
    return apply_import(result.batch.id, world.admin.id)


# --- what is wrong with the file, once --------------------------------------------------------------


def test_a_semicolon_separated_file_is_refused_once_naming_the_separator(world):
    result = preview(world, SCHOOLS.replace(",", ";").encode())
    assert [(e.line, e.column) for e in result.errors] == [(0, "file")]
    assert "separated by semicolons (;), not commas" in result.errors[0].message


def test_a_title_row_above_the_header_is_named_once(world):
    titled = "Worcester Public Schools - schools 2026\r\n,,,\r\n" + SCHOOLS
    result = preview(world, titled.encode())
    assert [(e.line, e.column) for e in result.errors] == [(0, "file")]
    assert "header row (the column names) is line 3, not line 1: delete the 2 lines above it" in result.errors[0].message


def test_a_title_row_in_a_workbook_is_named_too(world):
    book = Workbook()
    book.active.append(["Schools of Homeville"])
    book.active.append(["Name", "Code", "Grade span"])
    book.active.append(["Excel School", "XL-1", "9-12"])
    data = io.BytesIO()
    book.save(data)
    result = preview(world, data.getvalue(), schools_name="schools.xlsx")
    assert len(result.errors) == 1 and "is line 2, not line 1: delete the 1 line above it" in result.errors[0].message


def test_missing_columns_are_listed_in_one_message(world):
    result = preview(world, b"school,building\nA,B\n")
    assert len(result.errors) == 1
    assert "the file has no name, code and grade_span columns" in result.errors[0].message
    assert "it names school and building" in result.errors[0].message


def test_the_upload_page_says_it_once(client, auth, world):
    auth.sign_in(world.admin)
    response = client.post("/onboarding/districts/homeville/import",
                           data={"schools": (io.BytesIO(SCHOOLS.replace(",", ";").encode()), "schools.csv")})
    assert response.status_code == 422
    assert response.text.count("separated by semicolons") == 1 and "has no name column" not in response.text


# --- a re-imported file never makes a second copy ---------------------------------------------------


def test_a_file_resaved_by_a_spreadsheet_imports_onto_the_same_schools_and_people(world):
    first = imported(world, SCHOOLS.encode(), PEOPLE.encode())
    assert (first["schools_created"], first["people_created"]) == (2, 1)
    schools, people = count(School), count(User)
    # What a spreadsheet program does: a BOM, reordered columns, codes that lost their leading zeros or
    # changed case, extra spaces, capitalised emails and headers, LF instead of CRLF.
    mangled = ("\ufeffGrade Span , CODE,Name ,Enrollment\n"
               "K-5, 421 ,Belmont  Street   Community,512\n"
               "9-12,hv-09,Burncoat High ,1100\n")
    again = imported(world, mangled.encode("utf-8"), b"\xef\xbb\xbfTitle,Role,Name,Email\n"
                     b"Superintendent,district leader, Nia Newlead , NIA.NEWLEAD@EXAMPLE.ORG \n")
    assert (again["schools_created"], again["people_created"], again["grants_created"]) == (0, 0, 0)
    assert (count(School), count(User)) == (schools, people)
    # The codes stay as first written.
    assert set(db.session.scalars(select(School.code).where(School.district_id == world.home.id,
                                                            School.name.like("B%")))) == {"00421", "HV-09"}


def test_a_workbook_that_turned_a_code_into_a_number_finds_the_school(world):
    imported(world, SCHOOLS.encode(), PEOPLE.encode())
    schools = count(School)
    book = Workbook()
    book.active.append(["Name", "Code", "Grade span", "Enrollment"])
    book.active.append(["Belmont Street Community", 421, "K-5", 512.0])
    data = io.BytesIO()
    book.save(data)
    assert imported(world, data.getvalue(), PEOPLE.encode(), "schools.xlsx")["schools_created"] == 0
    assert count(School) == schools


def test_two_rows_of_one_school_in_a_file_are_a_duplicate(world):
    result = preview(world, b"name,code,grade_span\nA,0421,K-5\nB,421,K-5\n")
    assert [(e.line, e.message) for e in result.errors] == [(3, "Duplicate code 421: also on line 2.")]


# --- read as a stream, stopped at the limit --------------------------------------------------------


def _workbook_of(rows: int) -> bytes:
    book = Workbook(write_only=True)  # as generated files are: no <dimension> element
    sheet = book.create_sheet()
    sheet.append(["name", "code", "grade_span"])
    for number in range(rows):
        sheet.append(["School", f"C{number}", "K-5"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _cut_after_row(workbook: bytes, row: int) -> bytes:
    """The workbook with its sheet's XML cut off after `row`: reading past it fails."""
    source, target = zipfile.ZipFile(io.BytesIO(workbook)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            body = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                end = re.search(rb'<row r="%d"[^>]*>.*?</row>' % row, body).end()
                body = body[:end] + b"<row><c><v>broken"
            out.writestr(item, body)
    return target.getvalue()


def test_a_workbook_past_the_limit_is_refused_without_reading_the_rest(world):
    data = _cut_after_row(_workbook_of(MAX_ROWS + 5), MAX_ROWS + 3)
    with pytest.raises(FileRefused, match="has more than 20,000 rows"):
        read_table(data, "big.xlsx", ["name", "code", "grade_span"])


def test_a_csv_past_the_limit_is_refused(world):
    data = ("name,code,grade_span\n" + "".join(f"S,C{n},K-5\n" for n in range(MAX_ROWS + 1))).encode()
    result = preview(world, data)
    assert [e.message for e in result.errors] == ["schools.csv has more than 20,000 rows: split it, or import "
                                                  "the rest in a second file."]


def test_a_workbook_at_the_limit_is_read_whole(world):
    rows = read_table(_workbook_of(3), "small.xlsx", ["name", "code", "grade_span"])
    assert rows[-1] == {"name": "School", "code": "C2", "grade_span": "K-5"}
