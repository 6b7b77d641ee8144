"""A refused entry answers on its own page (422): what was typed stays in its field, the message sits beside it,
in plain words naming the form's own label; marshmallow's default messages never reach a person."""
import importlib
import re

import pytest
from markupsafe import escape
from marshmallow import fields
from sqlalchemy import func, select

from app.extensions import db
from app.fields import MARSHMALLOW_DEFAULTS, PlainSchema
from app.forms import InvalidInput, load
from app.plans.models import ImprovementPlan, Milestone, PlanStatus, Priority, ProgressUpdate, Risk, Strategy

DEFAULT_WORDS = ("Missing data for required field", "Length must be between", "Not a valid", "Longer than maximum",
                 "Must be one of", "Field may not be null", "Unknown field", "Invalid value", "Invalid input type")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def shows(page: str, field_id: str, message: str, value: str | None = None) -> None:
    """The field `field_id` carries `message` beside it and, if given, `value` as typed."""
    assert f'id="{field_id}-error">{escape(message)}</p>' in page, message
    if value is not None:
        typed = re.escape(str(escape(value)))
        assert re.search(rf'id="{field_id}"[^>]*(value="{typed}"|>{typed}</textarea>)', page), value
    for words in DEFAULT_WORDS:
        assert words not in page


@pytest.fixture
def leader(client, auth, world):
    auth.sign_in(world.leader)
    return world.ids("own")


def test_an_update_of_only_spaces_asks_what_happened_and_keeps_the_rest(client, leader):
    response = client.post(f"/districts/homeville/actions/{leader['action']}/updates",
                           data={"reported_on": "2026-10-01", "status": "at_risk", "narrative": "   "})
    assert response.status_code == 422
    page = response.text
    shows(page, "update-narrative", "Write what happened.", "   ")
    assert re.search(r'id="update-reported_on"[^>]*value="2026-10-01"', page)
    assert '<option value="at_risk" selected>' in page
    assert "Post a progress update" in page
    assert db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.narrative == "   ")).all() == []


def test_a_milestone_title_too_long_is_kept_and_measured_in_characters(client, leader):
    title, before = "x" * 10_000, count(Milestone)
    response = client.post(f"/districts/homeville/actions/{leader['action']}/milestones",
                           data={"title": title, "target_on": "2027-01-15"})
    assert response.status_code == 422
    shows(response.text, "milestone-title", "Use at most 300 characters.", title)
    assert re.search(r'id="milestone-target_on"[^>]*value="2027-01-15"', response.text)
    # The other forms of the page show their defaults, not what the milestone form was given.
    assert 'id="risk-title" name="title" value=""' in response.text
    assert count(Milestone) == before


def test_a_risk_without_a_title_keeps_its_mitigation(client, leader):
    before = count(Risk)
    response = client.post(f"/districts/homeville/actions/{leader['action']}/risks",
                           data={"title": " ", "severity": "high", "mitigation": "Hire a second tutor"})
    assert response.status_code == 422
    shows(response.text, "risk-title", "Write the risk or blocking issue.")
    assert re.search(r'id="risk-mitigation"[^>]*>Hire a second tutor</textarea>', response.text)
    assert count(Risk) == before


def test_a_review_comment_too_long_is_kept(client, leader):
    comment = "y" * 10_001
    response = client.post(f"/districts/homeville/actions/{leader['action']}/review",
                           data={"review_comment": comment})
    assert response.status_code == 422
    shows(response.text, "review_comment", "Use at most 10,000 characters.", comment)


def test_evidence_from_another_district_is_refused_beside_its_field(client, leader, world):
    response = client.post(f"/districts/homeville/actions/{leader['action']}/evidence",
                           data={"visit_id": world.foreign_visit.id})
    assert response.status_code == 422
    shows(response.text, "visit_id", "Choose a visit of Homeville.")


def test_a_measurement_outside_the_goal_s_years_keeps_what_was_typed(client, leader):
    response = client.post(f"/districts/homeville/goals/{leader['goal']}/measurements",
                           data={"year": "2035", "value": "31", "comparison_value": "50"})
    assert response.status_code == 422
    shows(response.text, "year", "Give a year from 2025 to 2029.", "2035")
    assert 'id="value" name="value" value="31"' in response.text


def test_the_plan_page_answers_a_refused_priority_or_strategy_on_itself(client, leader):
    priorities = count(Priority)
    response = client.post(f"/districts/homeville/plans/{leader['plan']}/priorities", data={"title": "  "})
    assert response.status_code == 422 and count(Priority) == priorities
    shows(response.text, "priority-title", "Write the priority.")
    title = "z" * 301
    response = client.post(f"/districts/homeville/plans/{leader['plan']}/strategies",
                           data={"priority_id": leader["priority"], "title": title})
    assert response.status_code == 422
    shows(response.text, f"strategy-{leader['priority']}-title", "Use at most 300 characters.", title)
    assert "Improvement plan" in response.text  # the plan's page, not a bare one
    assert db.session.scalars(select(Strategy).where(Strategy.title == title)).all() == []


# --- no default messages, whatever a schema is sent -----------------------------------------------

SCHEMA_MODULES = ("app.plans.schemas", "app.fieldwork.schemas", "app.api.schemas")


def plain_schemas():
    found = []
    for name in SCHEMA_MODULES:
        module = importlib.import_module(name)
        found += [value for value in vars(module).values()
                  if isinstance(value, type) and issubclass(value, PlainSchema) and value is not PlainSchema]
    return sorted(set(found), key=lambda schema: schema.__name__)


def _messages_of(schema) -> list[str]:
    """Every message a schema's fields may give, nested schemas' too."""
    messages = list(schema.error_messages.values())
    for schema_field in schema.fields.values():
        messages += schema_field.error_messages.values()
        messages += [getattr(v, "error", None) or "" for v in schema_field.validators]
        inner = schema_field.inner if isinstance(schema_field, fields.List) else schema_field
        if isinstance(inner, fields.Nested):
            messages += _messages_of(inner.schema)
    return messages


@pytest.mark.parametrize("schema", plain_schemas(), ids=lambda schema: schema.__name__)
def test_no_schema_of_the_forms_has_a_marshmallow_default_message(schema):
    messages = _messages_of(schema())
    assert not [m for m in messages if m in MARSHMALLOW_DEFAULTS or any(w in m for w in DEFAULT_WORDS)]


@pytest.mark.parametrize("schema", plain_schemas(), ids=lambda schema: schema.__name__)
@pytest.mark.parametrize("wrong", [{}, "everything wrong"], ids=["nothing", "wrong types"])
def test_what_a_schema_refuses_is_said_in_plain_words(app, schema, wrong):
    instance = schema()
    if wrong == {}:
        raw = {}
    else:
        raw = {name: ({"a": 1} if i % 2 else "x" * 20_000) for i, name in enumerate(instance.load_fields)}
        raw["no_such_field"] = "?"
    with app.test_request_context():
        try:
            load(instance, raw)
        except InvalidInput as refused:
            said = " ".join(m for messages in refused.messages.values() for m in messages)
        else:
            said = ""
    assert not [w for w in DEFAULT_WORDS if w in said], said


def test_required_messages_use_the_form_s_labels():
    from app.plans.schemas import ProgressUpdateSchema, RiskSchema

    with pytest.raises(InvalidInput) as refused:
        load(ProgressUpdateSchema(), {})
    assert refused.value.messages == {"reported_on": ["Give the date."], "status": ["Choose the status now."],
                                      "narrative": ["Write what happened."]}
    with pytest.raises(InvalidInput) as refused:
        load(RiskSchema(), {"title": "x" * 301})
    assert refused.value.messages == {"title": ["Use at most 300 characters."], "severity": ["Choose the severity."]}


def test_a_report_without_a_plan_is_refused_on_the_reports_page(client, leader):
    for plan in db.session.scalars(select(ImprovementPlan)):
        plan.status = PlanStatus.CLOSED
    db.session.flush()
    response = client.post("/districts/homeville/reports")
    assert response.status_code == 409
    assert "Start a plan before reporting on it." in response.text and "Status reports of Homeville" in response.text
