"""The visibility rule book (`tenants/visibility.py`) and every consumer of it.

Enumerations first (every serializer, every list export and the district export, every template
that is handed a record the book guards, mail), each checked against the book itself, so that a
new rule is checked everywhere without a new test. Then internal notes in both directions, channel
by channel; then a rule added as one entry, followed by the consumers that read the book.
"""
import dataclasses
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from flask import g, template_rendered
from flask_sqlalchemy.pagination import Pagination
from jinja2 import nodes
from marshmallow import Schema

from app.extensions import db
from app.plans.models import StatusReport
from tenants import visibility
from tenants.access import scope_for_user
from tenants.base import Tenanted
from tenants.scope import entered
from tenants.visibility import EVERY_FIELD, RULES, SUPPORT_TEAM, FollowsTheBook, Rule, may_see
from tests.conftest import Auth
from tests.mailbox import Mailbox
from tests.matrix import all_routes
from tests.test_api import keys_anywhere
from tests.test_lists import exported
from workers.jobs import send_follow_up_reminder

SEES = ("lead", "director", "admin")
REFUSED = ("leader", "viewer")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def noted_world(world):
    """The world, its home visit with a follow-up due (so that it is in the follow-ups and the reminder mail)."""
    world.home_visit.follow_up_on = date(2026, 10, 19)
    db.session.flush()
    return world


def guarded_values(record) -> dict[str, str]:
    """{field: value} of the record's fields some rule covers, for values distinctive enough to search for."""
    names = set()
    for rule in RULES:
        if rule.model == type(record).__name__:
            names |= ({a.key for a in db.inspect(type(record)).column_attrs}
                      if rule.fields == EVERY_FIELD else set(rule.fields))
    return {name: value for name in names if isinstance(value := getattr(record, name, None), str) and len(value) > 5}


def records_in(value, depth: int = 0):
    """Tenant records reachable from a template's context: in lists, dicts, pages (db.paginate's) and small dataclasses."""
    if depth > 4:
        return
    if isinstance(value, Tenanted):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from records_in(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from records_in(item, depth + 1)
    elif isinstance(value, Pagination):
        yield from records_in(value.items, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from records_in(getattr(value, item.name), depth + 1)


def refused_values(records, scope) -> set[str]:
    """The values of guarded fields of these records that the book refuses to this scope."""
    return {value for record in records for name, value in guarded_values(record).items()
            if not may_see(record, name, scope)}


# --- enumerations ---------------------------------------------------------------------------------


def _all_schemas(base=Schema):
    for schema in base.__subclasses__():
        yield schema
        yield from _all_schemas(schema)


def test_every_serializer_of_a_guarded_field_follows_the_book(app, noted_world):
    """Every marshmallow schema of the app that dumps a field a rule covers drops it for those the book refuses."""
    world = noted_world
    lead, viewer = scope_for_user(world.lead), scope_for_user(world.viewer)
    checked = set()
    for schema in {s for s in _all_schemas() if s.__module__.startswith(("app.", "tenants."))}:
        for rule in RULES:
            dumped = {name: f.attribute or name for name, f in schema().dump_fields.items()}
            covered = {name for name, attribute in dumped.items() if rule.covers(rule.model, attribute)}
            if not covered:
                continue
            assert issubclass(schema, FollowsTheBook), f"{schema.__module__}.{schema.__name__} dumps {covered}"
            record = world.home_visit if rule.model == "Visit" else pytest.fail(f"no record for {rule.model}")
            with entered(viewer):
                assert not covered & set(schema().dump(record)), schema
            with entered(lead):
                assert covered <= set(schema().dump(record)), schema
            checked.add(schema.__name__)
    assert {"VisitSchema", "VisitOut"} <= checked  # the enumeration found the API's visits


def test_every_template_handed_a_guarded_record_shows_it_only_as_the_book_says(app, noted_world):
    """Each page (every GET route of the isolation matrix and the home page), as a lead and as a viewer.

    Whatever tenant record a template is handed, the values of fields the book refuses to the
    person never reach the page.
    """
    world = noted_world
    shown_with_guarded_records = set()
    routes = [r.url(world.ids("own")) for r in all_routes() if r.method == "GET"] + ["/"]
    for who in ("lead", "viewer"):
        user = getattr(world, who)
        scope = scope_for_user(user)
        client = app.test_client()
        Auth(client).sign_in(user)
        for url in routes:
            rendered = []

            def record(sender, template, context, **extra):
                rendered.append((template.name, list(records_in(context))))

            with template_rendered.connected_to(record, app):
                response = client.get(url)
            text = response.get_data().decode("utf-8", "replace")
            for name, records in rendered:
                if any(guarded_values(r) for r in records):
                    shown_with_guarded_records.add(name)
                for value in refused_values(records, scope):
                    assert value not in text, (who, url, name)
        # The requests share the test's application context: forget this person before the next one signs in.
        g.pop("_login_user", None)
    assert {"fieldwork/visit.html", "fieldwork/lists/visits.html", "fieldwork/lists/follow-ups.html",
            "home/index.html"} <= shown_with_guarded_records


def test_every_export_shows_guarded_fields_only_as_the_book_says(client, auth, noted_world):
    """Every list's CSV and XLSX (the lists of the isolation matrix) and the district export."""
    world = noted_world
    refused = refused_values([world.home_visit], scope_for_user(world.leader))
    assert refused == {world.HOME_INTERNAL}
    auth.sign_in(world.leader)
    lists = {r.url(world.ids("own")).split("?")[0] for r in all_routes() if r.endpoint.startswith("lists.") and r.method == "GET"
             and r.endpoint != "lists.trends"}
    assert len(lists) == 4
    for url in lists:
        for file_format in ("csv", "xlsx"):
            cells = {str(cell) for row in exported(client, url, file_format) for cell in row}
            assert not refused & cells, (url, file_format)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/districts/homeville/export.zip").data))
    for name in archive.namelist():
        assert not any(value in archive.read(name).decode() for value in refused), name


def _tested_fields(test) -> set[str]:
    """The fields a condition asks the book about: `x is visible("field")`."""
    tests = [test, *test.find_all(nodes.Test)]  # find_all looks below the node only
    return {t.args[0].value for t in tests
            if isinstance(t, nodes.Test) and t.name == "visible" and t.args and isinstance(t.args[0], nodes.Const)}


# Template names that describe a form's fields (app/fieldwork/visit_form.py: their input's maxlength,
# required, ...), never a record's values: `limits.internal_notes` reads no note.
FIELD_DESCRIPTIONS = {"limits"}


def _describes_fields(node) -> bool:
    return isinstance(node, nodes.Name) and node.name in FIELD_DESCRIPTIONS


def _unguarded(node, named: set[str], guarded: frozenset = frozenset()):
    """Line numbers where a template reads a named field outside an `if ... is visible("field")`."""
    if isinstance(node, (nodes.If, nodes.CondExpr)):
        inside = guarded | _tested_fields(node.test)
        yield from _unguarded(node.test, named, guarded)
        for child in (node.body if isinstance(node, nodes.If) else [node.expr1]):
            yield from _unguarded(child, named, inside)
        for child in ([*node.elif_, *node.else_] if isinstance(node, nodes.If) else [node.expr2]):
            if child is not None:
                yield from _unguarded(child, named, guarded)
        return
    if (isinstance(node, nodes.Getattr) and node.attr in named and node.attr not in guarded
            and not _describes_fields(node.node)):
        yield node.lineno
    for child in node.iter_child_nodes():
        yield from _unguarded(child, named, guarded)


def test_templates_read_a_guarded_field_only_through_the_book(app):
    """Every template (pages and mail) reads a field a rule covers only under `if record is visible("field")`."""
    named = {name for rule in RULES if rule.fields != EVERY_FIELD for name in rule.fields}
    unguarded = []
    for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.txt")]:
        tree = app.jinja_env.parse(path.read_text())
        unguarded += [f"{path.relative_to(TEMPLATES)}:{line}" for line in _unguarded(tree, named)]
    assert not unguarded


def test_mail_carries_no_guarded_field(app, noted_world, mailbox):
    """Mail leaves the platform (forwarded, read on shared phones): even its support-team reader gets no notes."""
    world = noted_world
    assert send_follow_up_reminder(world.lead.id, date(2026, 10, 20).isoformat()) is True
    (mail,) = mailbox.to(world.lead.email)
    text = Mailbox.text(mail)
    assert world.home_visit.purpose in text and world.HOME_INTERNAL not in text


# --- internal notes, both directions --------------------------------------------------------------


@pytest.mark.parametrize("who", SEES + REFUSED)
def test_internal_notes_everywhere_for_the_support_team_and_nowhere_for_district_people(client, auth, noted_world,
                                                                                         who):
    world = noted_world
    sees = who in SEES
    notes = world.HOME_INTERNAL + " (revised)"
    world.home_visit.internal_notes = notes  # and the trail has an entry of a change to the notes
    db.session.flush()
    auth.sign_in(getattr(world, who))

    page = client.get(f"/districts/homeville/visits/{world.home_visit.id}").text
    assert (notes in page) is sees
    for name in ("visits", "follow-ups"):
        assert (notes in client.get(f"/districts/homeville/{name}").text) is sees, name
        for file_format in ("csv", "xlsx"):
            rows = exported(client, f"/districts/homeville/{name}", file_format)
            assert (notes in {str(cell) for row in rows for cell in row}) is sees, (name, file_format)
            assert ("Internal notes (support team only)" in rows[0]) is sees

    one = client.get(f"/api/v1/visits/{world.home_visit.id}").json
    listed = client.get(f"/api/v1/visits?district_id={world.home.id}").json
    assert (one.get("internal_notes") == notes) is sees
    # The support team's visit; the district's own (the world has one) follows its own rule, tested with it.
    (listed_visit,) = [visit for visit in listed if visit["id"] == world.home_visit.id]
    assert ("internal_notes" in keys_anywhere(listed_visit)) is sees

    # The world's status report was frozen (by the platform, which sees everything) after the visit.
    report = db.session.scalars(db.select(StatusReport).filter_by(id=world.feature_ids["own"]["report"])).one()
    shown = client.get(f"/districts/homeville/reports/{report.id}")
    assert shown.status_code == 200 and world.HOME_INTERNAL not in shown.text + str(report.snapshot)

    export = client.get("/districts/homeville/export.zip")
    audit = client.get("/districts/homeville/audit?object_type=Visit")
    if who in ("admin", "leader"):  # those who may download the district's data and read its trail
        visits = zipfile.ZipFile(io.BytesIO(export.data)).read("visits.csv").decode("utf-8-sig")
        # A leader's copy has the column for the district's own visit's notes (the world has one), never these.
        assert (notes in visits) is sees and ("internal_notes" in visits.splitlines()[0]) is (sees or who == "leader")
        assert audit.status_code == 200 and notes not in audit.text
        assert ("(withheld: support team only)" in audit.text) is sees
    else:
        assert export.status_code == 403 and audit.status_code == 403


# --- the next rule is one entry -------------------------------------------------------------------


def test_a_new_rule_is_one_entry_that_the_schemas_district_export_and_audit_trail_follow(
        client, auth, noted_world, monkeypatch):
    world = noted_world
    secret = "Principal Pat and the union steward"
    monkeypatch.setattr(visibility, "RULES", RULES + (Rule("Visit", frozenset({"participants"}), SUPPORT_TEAM),))
    world.home_visit.participants = secret
    db.session.flush()

    auth.sign_in(world.leader)
    assert "participants" not in client.get(f"/api/v1/visits/{world.home_visit.id}").json
    visits = zipfile.ZipFile(io.BytesIO(client.get("/districts/homeville/export.zip").data)).read("visits.csv")
    assert secret not in visits.decode("utf-8-sig") and "participants" not in visits.decode("utf-8-sig")
    audit = client.get("/districts/homeville/audit?object_type=Visit").text
    assert secret not in audit and "participants" not in audit

    auth.sign_out()
    auth.sign_in(world.admin)
    assert client.get(f"/api/v1/visits/{world.home_visit.id}").json["participants"] == secret
    assert "(withheld: support team only)" in client.get("/districts/homeville/audit?object_type=Visit").text
