"""The audit trail reads as people speak: labels, dollars, statuses by name, people by name, the state's clock."""
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, event, inspect, select

from app.accounts.models import RoleGrant
from app.audit.models import AuditEvent
from app.audit.words import _enum_of, events_in_words
from app.extensions import db
from app.plans.models import Action
from tenants.base import Tenanted
from tenants.roles import Role
from tests import factories

RAW_CENTS = 8_500_050


class VisibleText(HTMLParser):
    """What a reader sees of a page's main part: its text, no attributes."""

    def __init__(self, main: bool):
        super().__init__()
        self.parts: list[str] = []
        self._main = main

    def handle_starttag(self, tag, attrs):
        self._main = self._main or tag == "main"

    def handle_data(self, data):
        if self._main:
            self.parts.append(data)


def visible(html: str, fragment: bool = False) -> str:
    parser = VisibleText(main=fragment)
    parser.feed(html)
    return " ".join(parser.parts)


def audited_models() -> list[type]:
    return sorted((m.class_ for m in db.Model.registry.mappers
                   if issubclass(m.class_, (Tenanted, RoleGrant)) and m.class_ is not AuditEvent),
                  key=lambda model: model.__name__)


def enum_values_with_underscores() -> set[str]:
    return {member.value for model in audited_models() for name in inspect(model).columns.keys()
            if (enum := _enum_of(model, name)) is not None for member in enum if "_" in member.value}


def a_recorded_value(model, name, column, world):
    """What the recorder writes for this column: ids, enum values, cents, ISO dates, strings."""
    if name.endswith("_cents"):
        return RAW_CENTS
    if name == "district_id":
        return world.home.id
    if column.foreign_keys:
        return 10**12  # a row that is gone
    enum = _enum_of(model, name)
    if enum is not None:
        return next((m.value for m in enum if "_" in m.value), next(iter(enum)).value)
    if isinstance(column.type, DateTime):
        return "2026-11-04T20:05:00"
    if isinstance(column.type, Date):
        return "2026-11-04"
    if isinstance(column.type, Boolean):
        return True
    if isinstance(column.type, Numeric):
        return "42.50"
    if isinstance(column.type, Integer):
        return 7
    if name == "snapshot":
        return {"plan": {"title": "frozen"}}
    return "some text"


@pytest.fixture
def every_kind(world):
    """An update of every column of every kind of record the app audits, as the recorder would write it."""
    for model in audited_models():
        changes = {name: [a_recorded_value(model, name, column, world), None]
                   for name, column in inspect(model).columns.items()}
        db.session.add(AuditEvent(district_id=world.home.id, user_id=world.leader.id, action="update",
                                  object_type=model.__name__, object_id="1", summary=f"{model.__name__} 1",
                                  changes=changes))
    db.session.flush()
    return audited_models()


def assert_in_words(text: str) -> None:
    assert not re.search(r"\w_(id|cents)\b", text), re.search(r".{40}\w_(id|cents)\b.{40}", text)
    assert str(RAW_CENTS) not in text and f"{RAW_CENTS:,}" not in text
    assert not [value for value in enum_values_with_underscores() if value in text]
    assert not re.search(r"\b[A-Z][a-z]+[A-Z][a-z]+\b", text), re.search(r"\b[A-Z][a-z]+[A-Z]\w+", text)


@pytest.mark.parametrize("reader, log", [("admin", "/audit"), ("leader", "/districts/homeville/audit")])
def test_every_kind_of_record_reads_in_words_in_the_audit_logs(client, auth, world, every_kind, reader, log):
    auth.sign_in(getattr(world, reader))
    page = client.get(log)
    assert page.status_code == 200
    text = visible(page.text)
    assert_in_words(text)
    assert "Improvement plan" in text and "Support served by a visit" in text  # the kind filter, in words
    for model in every_kind:
        page = client.get(log, query_string={"object_type": model.__name__})
        assert page.status_code == 200 and "Lia Leader" in page.text, model.__name__
        text = visible(page.text)
        assert_in_words(text)
        columns = inspect(model).columns
        if any(name.endswith("_cents") for name in columns.keys()):
            assert "$85,000.50" in text, model.__name__
        if any(column.foreign_keys and name != "district_id" for name, column in columns.items()):
            assert "a deleted record" in text, model.__name__
        assert re.search(r"\d{1,2} \w{3} \d{4} \d\d:\d\d E[SD]T", text), model.__name__


def test_an_action_s_history_says_budget_status_and_owner_in_words(client, auth, world):
    action = db.session.get(Action, (world.home.id, world.feature_ids["own"]["action"]))
    action.allocated_cents, action.status = 8_500_050, "not_started"
    db.session.flush()
    action.allocated_cents, action.status, action.owner_id = 9_000_000, "on_track", world.lead.id
    db.session.flush()
    auth.sign_in(world.leader)
    page = client.get(f"/districts/homeville/actions/{action.id}")
    history = visible(page.text.split('id="history-heading"')[1], fragment=True)
    assert "Budget allocated $85,000.50 → $90,000.00" in history
    assert "Status Not started → On track" in history
    assert "Owner Lia Leader → Lou Lead" in history
    assert re.search(r"\d{1,2} \w{3} \d{4} \d\d:\d\d E[SD]T", history)
    assert_in_words(history)


def test_the_district_log_reads_names_and_the_state_s_clock(client, auth, world):
    factories.grant(world.viewer, Role.DISTRICT_VIEWER, district=world.home, title="Principal")
    db.session.execute(db.update(AuditEvent).values(at=datetime(2026, 1, 15, 3, 30)))  # 10:30 p.m. the 14th there
    auth.sign_in(world.admin)
    text = visible(client.get("/audit", query_string={"object_type": "RoleGrant"}).text)
    assert "14 Jan 2026 22:30 EST" in text and "Created · Role grant" in text
    assert "Person — → Val Viewer" in text and "Role — → District viewer" in text and "District — → Homeville" in text
    # The day filter is the state's day too: the grant was made on the 14th there, the 15th in UTC.
    def grant_made_on(day: str) -> bool:
        page = client.get("/audit", query_string={"object_type": "RoleGrant", "from": day, "to": day})
        return "Created · Role grant" in visible(page.text)
    assert grant_made_on("2026-01-14") and not grant_made_on("2026-01-15")


def test_names_are_read_in_one_query_per_kind_of_row(world):
    events = list(db.session.scalars(select(AuditEvent)))
    kinds = {name for e in events for name in e.changes if name.endswith("_id")}
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        described = events_in_words(events)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(described) == len(events) > 30
    assert len(statements) <= len(kinds)
