"""The field-work lists, their CSV and Excel exports, and walkthrough trends."""
import csv
import io
import re
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser

import openpyxl
import pytest
from sqlalchemy import event

from app.clock import state_today
from app.districts.models import School
from app.extensions import db
from app.fieldwork.listing import ASSIGNMENT_COLUMNS, FOLLOW_UP_COLUMNS, OBSERVATION_COLUMNS, PER_PAGE, VISIT_COLUMNS
from app.fieldwork.trends import walkthrough_trends
from tenants.roles import Role
from tests import factories
from tests.factories import SchoolFactory, support_type

COLUMNS = {"visits": VISIT_COLUMNS, "observations": OBSERVATION_COLUMNS, "assignments": ASSIGNMENT_COLUMNS,
           "follow-ups": FOLLOW_UP_COLUMNS}
LISTS = tuple(COLUMNS)


class _Cells(HTMLParser):
    """The text of each body row's cells in a page's first table, and of its header row."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell, self._in_body = [], None, None, False
        self.header = []

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._in_body = True
        elif tag == "thead" and not self.header:
            self._row = self.header
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "thead":
            self._row = None
        elif tag == "tr" and self._row is not None and self._in_body:
            self.rows.append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def table_rows(page: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(page)
    return parser.rows


def header_cells(page: str) -> list[str]:
    parser = _Cells()
    parser.feed(page)
    return parser.header


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def exported(client, url: str, file_format: str) -> list[list]:
    """An export's rows, header first, read back from CSV or XLSX."""
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}format={file_format}")
    return csv_rows(response) if file_format == "csv" else xlsx_rows(response)


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def second_school(world) -> School:
    return db.session.scalars(db.select(School).where(School.name == "Homeville High")).one()


@pytest.fixture
def second_lead(world):
    return factories.person(Role.ASSISTANCE_LEAD, district=world.home, name="Sam Second")


# --- visits -------------------------------------------------------------------------------------


@pytest.fixture
def visits(world, second_school, second_lead):
    """Beside the world's formal visit of 5 Oct 2026 (no follow-up): three more, each different."""
    return {
        "informal": factories.visit(world.home, world.lead, second_school, kind="informal",
                                    visited_on=date(2026, 9, 1), purpose="Informal check-in",
                                    follow_up_on=date(2026, 9, 15)),
        "second lead": factories.visit(world.home, second_lead, world.home_school, kind="virtual",
                                       visited_on=date(2026, 11, 3), purpose="Virtual data meeting"),
        "district office": factories.visit(world.home, world.lead, None, visited_on=date(2026, 10, 20),
                                           purpose="Office planning session"),
    }


def visit_purposes(client, query: str = "") -> list[str]:
    response = client.get(f"/districts/homeville/visits{query}")
    assert response.status_code == 200
    return [row[5] for row in table_rows(response.text)]


def test_visits_are_listed_newest_first_with_their_columns(client, auth, world, visits):
    auth.sign_in(world.viewer)
    response = client.get("/districts/homeville/visits")
    rows = table_rows(response.text)
    # The world's district visit (its supervisor's, 28 September) is among them.
    assert [row[5] for row in rows] == ["Virtual data meeting", "Office planning session", "Principal coaching",
                                        "Instructional rounds", "Informal check-in"]
    coaching = rows[2]
    assert coaching[:5] == ["5 Oct 2026", "Homeville Elementary", "Lou Lead", "Formal", "90"]
    assert coaching[6] == "Direct coaching (Homeville Elementary)" and coaching[7] == world.HOME_SHARED
    assert rows[1][1] == "District office"
    assert f'href="/districts/homeville/visits/{world.home_visit.id}"' in response.text


@pytest.mark.parametrize("query, expected", [
    ("?school={school}", ["Informal check-in"]),
    ("?lead={lead}", ["Virtual data meeting"]),
    ("?kind=formal", ["Office planning session", "Principal coaching"]),
    ("?from=2026-10-01&to=2026-10-31", ["Office planning session", "Principal coaching"]),
    ("?from=2026-10-06", ["Virtual data meeting", "Office planning session"]),
    ("?follow_up=yes", ["Informal check-in"]),
    ("?follow_up=no&kind=formal&school=&lead=", ["Office planning session", "Principal coaching"]),
])
def test_visit_filters_narrow_the_rows(client, auth, world, visits, second_school, second_lead, query, expected):
    auth.sign_in(world.leader)
    query = query.format(school=second_school.id, lead=second_lead.id)
    assert visit_purposes(client, query) == expected


def test_visits_are_paginated_and_page_links_keep_the_filters(client, auth, world):
    for day in range(30):
        factories.visit(world.home, world.lead, kind="virtual", visited_on=date(2026, 1, 1) + timedelta(days=day))
    auth.sign_in(world.lead)
    first = client.get("/districts/homeville/visits?kind=virtual")
    assert len(table_rows(first.text)) == PER_PAGE
    assert "1–25 of 30 visits." in first.text
    assert 'href="/districts/homeville/visits?kind=virtual&amp;page=2"' in first.text
    second = client.get("/districts/homeville/visits?kind=virtual&page=2")
    assert len(table_rows(second.text)) == 5 and "26–30 of 30 visits." in second.text
    assert 'href="/districts/homeville/visits?kind=virtual"' in second.text  # back to page 1
    # Every visit, the world's two (the support team's, the district's) too: 32 in all, over two pages.
    assert len(table_rows(client.get("/districts/homeville/visits?page=2").text)) == 7
    # Past the last page (the filters narrowed since the link was made): the last page.
    assert "26–30 of 30 visits." in client.get("/districts/homeville/visits?kind=virtual&page=9").text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_visit_export_has_every_matching_row_with_the_page_s_filters(client, auth, world, visits, file_format):
    for day in range(30):
        factories.visit(world.home, world.lead, visited_on=date(2026, 3, 1) + timedelta(days=day), purpose="Batch")
    auth.sign_in(world.leader)
    rows = exported(client, "/districts/homeville/visits?kind=formal&page=2", file_format)
    assert rows[0][:6] == ["Date", "Place", "Conducted by", "Kind", "Minutes", "Purpose"]
    assert len(rows) == 1 + 32  # a header, then all 32 formal visits, not one page of them
    assert set(column(rows, "Kind")) == {"Formal"}
    assert column(rows, "Purpose")[:2] == ["Office planning session", "Principal coaching"]
    first = rows[1]
    assert first[1:3] == ["District office", "Lou Lead"]
    assert first[4] in (90, "90")
    assert first[0] in ("2026-10-20", "2026-10-20 00:00:00") or first[0].date() == date(2026, 10, 20)


def test_an_export_is_a_named_download(client, auth, world):
    auth.sign_in(world.viewer)
    today = state_today().isoformat()
    for name in LISTS:
        for file_format in ("csv", "xlsx"):
            response = client.get(f"/districts/homeville/{name}?format={file_format}")
            assert response.status_code == 200
            assert response.headers["Content-Disposition"] == (
                f'attachment; filename="homeville-{name}-{today}.{file_format}"')
            assert "no-store" in response.headers["Cache-Control"]


def test_page_shows_links_to_its_exports_with_the_filters(client, auth, world):
    auth.sign_in(world.viewer)
    page = client.get("/districts/homeville/visits?kind=formal&page=1&unknown=x").text
    assert 'href="/districts/homeville/visits?kind=formal&amp;format=csv">Download CSV</a>' in page
    assert 'href="/districts/homeville/visits?kind=formal&amp;format=xlsx">Download Excel</a>' in page


def test_text_that_looks_like_a_formula_stays_text(client, auth, world):
    factories.visit(world.home, world.lead, purpose="=HYPERLINK(\"http://example.com\")", kind="virtual")
    auth.sign_in(world.lead)
    assert column(exported(client, "/districts/homeville/visits?kind=virtual", "csv"), "Purpose") == [
        "'=HYPERLINK(\"http://example.com\")"]
    response = client.get("/districts/homeville/visits?kind=virtual&format=xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(response.data)).active["F2"]
    assert cell.value == "=HYPERLINK(\"http://example.com\")" and cell.data_type == "s"


# --- internal notes -----------------------------------------------------------------------------


@pytest.fixture
def follow_up(world):
    """The world's visit gets a follow-up, so that it shows in the follow-ups too."""
    world.home_visit.follow_up_on = date(2026, 10, 19)
    db.session.flush()


@pytest.mark.parametrize("who, sees", [("lead", True), ("director", True), ("admin", True),
                                       ("leader", False), ("viewer", False)])
def test_internal_notes_are_for_the_support_team_only(client, auth, world, follow_up, who, sees):
    auth.sign_in(getattr(world, who))
    for name in LISTS:
        page = client.get(f"/districts/homeville/{name}").text
        assert (world.HOME_INTERNAL in page) is (sees and name in ("visits", "follow-ups")), name
        for file_format in ("csv", "xlsx"):
            rows = exported(client, f"/districts/homeville/{name}", file_format)
            cells = {str(cell) for row in rows for cell in row}
            assert (world.HOME_INTERNAL in cells) is (sees and name in ("visits", "follow-ups")), (name, file_format)
            assert ("Internal notes (support team only)" in rows[0]) is (sees and name in ("visits", "follow-ups"))
            assert world.FOREIGN_INTERNAL not in cells and world.FOREIGN_SHARED not in cells


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("who, sees", [("lead", True), ("viewer", False)])
def test_a_list_s_page_and_export_take_their_headers_from_one_spec(client, auth, world, follow_up, name, who, sees):
    # A lead sees the internal notes column tagged with the audience they see it as: the support team's.
    shown = [replace(column, seen_tag="support team only") if column.shows else column
             for column in COLUMNS[name] if sees or column.shows is None]
    auth.sign_in(getattr(world, who))
    page = header_cells(client.get(f"/districts/homeville/{name}").text)
    # On the page the book's tag is a badge beside the header; in the export it is in parentheses.
    assert page == [" ".join(filter(None, (column.header, column.tag))) for column in shown if column.page]
    for file_format in ("csv", "xlsx"):
        header = exported(client, f"/districts/homeville/{name}", file_format)[0]
        assert header == [column.title for column in shown if column.export]
        # The columns both show come in the same order.
        both = [column for column in shown if column.page and column.export]
        assert [title for title in header if title in {c.title for c in both}] == [c.title for c in both]
        notes = sees and name in ("visits", "follow-ups")
        assert ("Internal notes (support team only)" in header) is notes
        assert ("Internal notes support team only" in page) is notes


def test_a_visit_export_has_the_page_s_columns_in_its_order_and_a_few_more(client, auth, world):
    auth.sign_in(world.lead)
    assert exported(client, "/districts/homeville/visits", "csv")[0] == [
        "Date", "Place", "Conducted by", "Kind", "Minutes", "Purpose", "Participants", "Supports", "Shared notes",
        "Internal notes (support team only)", "Next steps", "Follow-up", "Team", "Follow-up done", "Co-observers"]
    assert header_cells(client.get("/districts/homeville/visits").text) == [
        "Date", "Place", "Conducted by", "Kind", "Minutes", "Purpose", "Supports", "Shared notes",
        "Internal notes support team only", "Next steps", "Follow-up", "Team"]


def test_an_excel_export_of_another_district_is_not_found(client, auth, world):
    auth.sign_in(world.leader)
    for name in LISTS:
        assert client.get(f"/districts/faraway/{name}?format=xlsx").status_code == 404


# --- observations -------------------------------------------------------------------------------


@pytest.fixture
def observations(world, second_school):
    later = factories.visit(world.home, world.lead, second_school, visited_on=date(2026, 11, 12))
    return {
        "science": factories.observation(later, ratings=(4, 4, 2), grade="10", subject="Biology and science"),
        "reading": factories.observation(later, ratings=(1,), grade="4", subject="Reading"),
    }


def test_observations_show_the_average_rating_and_look_fors_rated(client, auth, world, observations):
    auth.sign_in(world.viewer)
    rows = table_rows(client.get("/districts/homeville/observations").text)
    assert [(row[0], row[3], row[4], row[7], row[8]) for row in rows] == [
        ("12 Nov 2026", "4", "Reading", "1", "1.00"),
        ("12 Nov 2026", "10", "Biology and science", "3", "3.33"),
        ("5 Oct 2026", "4", "Mathematics", "2", "2.50"),
        ("28 Sep 2026", "2", "Reading", "0", "—"),  # the world's district visit's, nothing rated
    ]


@pytest.mark.parametrize("query, subjects", [
    ("?school={school}", ["Reading", "Biology and science"]),
    ("?grade=4", ["Reading", "Mathematics"]),
    ("?subject=SCIENCE", ["Biology and science"]),
    ("?subject=%25", []),  # a % is looked for as such, not as a wildcard
    ("?from=2026-10-01&to=2026-10-31", ["Mathematics"]),
    ("?rubric={rubric}&grade=10", ["Biology and science"]),
    ("?rubric=99999", []),
])
def test_observation_filters_narrow_the_rows(client, auth, world, observations, second_school, query, subjects):
    auth.sign_in(world.lead)
    url = "/districts/homeville/observations" + query.format(school=second_school.id,
                                                            rubric=factories.default_rubric().id)
    assert [row[4] for row in table_rows(client.get(url).text) if len(row) > 1] == subjects
    assert column(exported(client, url, "csv"), "Subject") == subjects


# --- support assignments ------------------------------------------------------------------------


def test_delivered_hours_add_up_the_minutes_of_the_visits_that_served_each_support(client, auth, world):
    # The world's visit served the home assignment for 90 minutes; 45 and 60 more here: 195 minutes, 3.25 hours.
    factories.visit(world.home, world.lead, supports=[world.home_assignment], minutes=45)
    other = factories.assignment(world.home, world.lead, None, planned_hours=10,
                                 support_type_id=support_type("Data inquiry").id, starts_on=date(2026, 8, 1))
    factories.visit(world.home, world.lead, supports=[world.home_assignment, other], minutes=60)
    factories.visit(world.home, world.lead, minutes=500)  # served no support: counts for none
    auth.sign_in(world.viewer)
    rows = table_rows(client.get("/districts/homeville/assignments").text)
    assert [(row[0], row[1], row[5], row[6], row[7]) for row in rows] == [
        ("Direct coaching", "Homeville Elementary", "40", "3.25", "8%"),
        ("Data inquiry", "District-wide", "10", "1.00", "10%"),
    ]
    for file_format in ("csv", "xlsx"):
        exported_rows = exported(client, "/districts/homeville/assignments", file_format)
        assert [str(minutes) for minutes in column(exported_rows, "Delivered minutes")] == ["195", "60"]
        assert [float(hours) for hours in column(exported_rows, "Delivered hours")] == [3.25, 1.0]


@pytest.mark.parametrize("query, supports", [
    ("?status=completed", ["Data inquiry"]),
    ("?status=active", ["Direct coaching"]),
    ("?support_type={data_inquiry}", ["Data inquiry"]),
    ("?lead={second_lead}", ["Data inquiry"]),
    ("?school={school}", ["Direct coaching"]),
])
def test_assignment_filters_narrow_the_rows(client, auth, world, second_lead, query, supports):
    data_inquiry = support_type("Data inquiry")
    factories.assignment(world.home, second_lead, None, support_type_id=data_inquiry.id, status="completed")
    auth.sign_in(world.leader)
    url = "/districts/homeville/assignments" + query.format(
        data_inquiry=data_inquiry.id, second_lead=second_lead.id, school=world.home_school.id)
    assert [row[0] for row in table_rows(client.get(url).text)] == supports
    assert column(exported(client, url, "xlsx"), "Support") == supports


# --- follow-ups ---------------------------------------------------------------------------------


def test_follow_ups_not_done_are_listed_overdue_first(client, auth, world, second_lead):
    today = state_today()
    factories.visit(world.home, world.lead, purpose="Due next week", follow_up_on=today + timedelta(days=7))
    factories.visit(world.home, second_lead, purpose="Long overdue", follow_up_on=today - timedelta(days=30))
    factories.visit(world.home, world.lead, purpose="Overdue", follow_up_on=today - timedelta(days=2))
    factories.visit(world.home, world.lead, purpose="Done already", follow_up_on=today - timedelta(days=40),
                    follow_up_done=True)
    auth.sign_in(world.viewer)
    rows = table_rows(client.get("/districts/homeville/follow-ups").text)
    assert [row[4] for row in rows] == ["Long overdue", "Overdue", "Due next week"]
    assert ["Overdue" in row[0] for row in rows] == [True, True, False]
    lead_rows = table_rows(client.get(f"/districts/homeville/follow-ups?lead={world.lead.id}").text)
    assert [row[4] for row in lead_rows] == ["Overdue", "Due next week"]
    due = f"?from={today - timedelta(days=3)}&to={today + timedelta(days=3)}"
    assert [row[4] for row in table_rows(client.get(f"/districts/homeville/follow-ups{due}").text)] == ["Overdue"]
    exported_rows = exported(client, f"/districts/homeville/follow-ups{due}", "csv")
    assert column(exported_rows, "Purpose") == ["Overdue"] and column(exported_rows, "Overdue") == ["yes"]


# --- walkthrough trends -------------------------------------------------------------------------


@pytest.fixture
def rated(world, second_school):
    """Ratings of the first two look-fors, beside the world's (3, 2) of 5 Oct 2026 at the elementary school."""
    summer = factories.visit(world.home, world.lead, world.home_school, visited_on=date(2026, 8, 10))
    factories.observation(summer, ratings=(1, 4))
    factories.observation(summer, ratings=(2, 4))
    autumn = factories.visit(world.home, world.lead, second_school, visited_on=date(2026, 11, 20))
    factories.observation(autumn, ratings=(4, 3))


def summary_of(trends) -> dict:
    return {trend.look_for.position: [(q.quarter, list(q.counts.values()), q.average) for q in trend.quarters]
            for trend in trends.look_fors}


def test_trends_count_each_look_for_s_ratings_per_quarter(world, rated, second_school):
    trends = walkthrough_trends(world.home)
    assert trends.rubric.name == "Classroom walkthrough" and trends.school is None
    assert summary_of(trends) == {
        1: [("2026 Q3", [1, 1, 0, 0], 1.5), ("2026 Q4", [0, 0, 1, 1], 3.5)],
        2: [("2026 Q3", [0, 0, 0, 2], 4.0), ("2026 Q4", [0, 1, 1, 0], 2.5)],
    }
    assert summary_of(walkthrough_trends(world.home, school_id=second_school.id)) == {
        1: [("2026 Q4", [0, 0, 0, 1], 4.0)],
        2: [("2026 Q4", [0, 0, 1, 0], 3.0)],
    }
    q3 = trends.look_fors[0].quarters[0]
    assert [(s.label, s.count, s.start, s.share) for s in q3.segments(trends.rubric)] == [
        ("Not yet", 1, 0.0, 0.5), ("Beginning", 1, 0.5, 0.5), ("Developing", 0, 1.0, 0.0), ("Established", 0, 1.0, 0.0)]


def test_trends_page_draws_a_chart_and_gives_the_numbers(client, auth, world, rated):
    auth.sign_in(world.viewer)
    page = client.get("/districts/homeville/trends").text
    assert page.count('role="img"') == 2 and "<title" in page
    assert "Lesson purpose is clear, share of each rating per quarter: 2026 Q3, Not yet 1, Beginning 1" in page
    # Two halves of the bar: from the label column (64) across half of 252 units each.
    assert '<rect x="64.00" y="4" width="126.00" height="16" class="point-1">' in page
    assert '<rect x="190.00" y="4" width="126.00" height="16" class="point-2">' in page
    assert ["Lesson purpose is clear", "2026 Q3", "1", "1", "0", "0", "2", "1.50"] in table_rows(page)
    assert ["Grade-level work", "2026 Q4", "0", "1", "1", "0", "2", "2.50"] in table_rows(page)
    # The CSP forbids inline script and style: the chart must need neither.
    assert "style=" not in page and re.search(r"<script(?![^>]*\bsrc=)", page) is None


def test_trends_for_one_school(client, auth, world, rated, second_school):
    auth.sign_in(world.lead)
    page = client.get(f"/districts/homeville/trends?school={second_school.id}").text
    assert "<h2>Homeville High: Classroom walkthrough (version 1)</h2>" in page
    assert table_rows(page) == [["Lesson purpose is clear", "2026 Q4", "0", "0", "0", "1", "1", "4.00"],
                                ["Grade-level work", "2026 Q4", "0", "0", "1", "0", "1", "3.00"]]


def test_trends_refuse_a_school_of_another_district(client, auth, world):
    auth.sign_in(world.admin)
    response = client.get(f"/districts/homeville/trends?school={world.foreign_school.id}")
    assert response.status_code == 400 and "Choose a school of Homeville." in response.text
    assert world.foreign_school.name not in response.text


# --- bad input, query counts, links ---------------------------------------------------------------


@pytest.mark.parametrize("url, message", [
    ("/districts/homeville/visits?from=2026-13-40", "Not a valid date."),
    ("/districts/homeville/visits?page=-1", "Pages are numbered from 1 to 100,000."),
    ("/districts/homeville/visits?page=two", "Give a whole number"),
    ("/districts/homeville/visits?from=2026-10-02&to=2026-10-01", "The end of the range comes on or after its start."),
    ("/districts/homeville/visits?kind=walking", "Must be one of"),
    ("/districts/homeville/visits?follow_up=perhaps", "Not a valid boolean."),
    ("/districts/homeville/visits?format=pdf", "Export as csv or xlsx."),
    ("/districts/homeville/visits?school=99999999999999999999999", "Choose one from the list."),
    ("/districts/homeville/visits?from=2026-13-40&format=csv", "Not a valid date."),
    ("/districts/homeville/observations?grade=13", "Choose a grade from PK to 12."),
    ("/districts/homeville/assignments?status=lost&format=xlsx", "Must be one of"),
    ("/districts/homeville/follow-ups?to=tomorrow", "Not a valid date."),
    ("/districts/homeville/trends?rubric=abc", "Give a whole number"),
    ("/districts/homeville/trends?rubric=987654", "Choose one of the rubrics."),
])
def test_bad_filters_are_explained_not_a_server_error(client, auth, world, url, message):
    auth.sign_in(world.lead)
    response = client.get(url)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Check the filters" in response.text and message in response.text
    assert 'aria-invalid="true"' in response.text or "page" in url or "format" in url


def statements_for(client, url: str) -> int:
    """Statements run for a page, none of them answered from rows the test already holds."""
    db.session.expire_all()
    count = 0

    def counter(*args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def add_field_work(world, schools: int) -> None:
    """New schools, each with a support, a visit serving it with a follow-up, and a rated observation."""
    for n in range(schools):
        school = SchoolFactory(district=world.home)
        support = factories.assignment(world.home, world.lead, school)
        visit = factories.visit(world.home, world.lead, school, supports=[support],
                                visited_on=date(2026, 1 + n % 12, 1), follow_up_on=date(2026, 12, 1))
        factories.observation(visit, ratings=(1, 2, 3, 4))


@pytest.mark.parametrize("name", [*LISTS, "trends"])
def test_a_list_s_query_count_does_not_grow_with_its_rows(client, auth, world, follow_up, name):
    add_field_work(world, 3)
    auth.sign_in(world.lead)
    url = f"/districts/homeville/{name}"
    few = statements_for(client, url)
    add_field_work(world, 27)
    assert statements_for(client, url) == few


def test_district_page_links_to_the_lists(client, auth, world):
    auth.sign_in(world.viewer)
    page = client.get("/districts/homeville").text
    for path, label in (("visits", "Visits"), ("observations", "Observations"), ("assignments", "Supports"),
                        ("follow-ups", "Follow-ups"), ("trends", "Walkthrough trends")):
        assert f'<a href="/districts/homeville/{path}">{label}</a>' in page
