"""Hostile input (issue 14 case 4, issue 13 case 6): refused with a 4xx and a message per field, nothing stored."""
import time

import pytest
from sqlalchemy import func, select

from app.districts.forms import SchoolSchema
from app.extensions import db
from app.fields import LARGEST_ID
from app.fieldwork.models import Visit
from app.onboarding.rows import check_rows
from app.plans.models import Provider
from tests.test_api import bearer, new_observation, new_visit, visit_count


def _rating(value) -> dict:
    observation = new_observation()
    observation["ratings"][0]["rating"] = value
    return {"observations": [observation]}


HOSTILE_VISITS = {
    "NUL in a text field": ({"purpose": "Walk\x00through"}, "purpose", "NUL"),
    "lone surrogate": ({"shared_notes": "caf\ud800"}, "shared_notes", "lone surrogate"),
    "id of 2^63": ({"school_id": 2**63}, "school_id", "Choose one from the list."),
    "id far beyond": ({"support_ids": [10**30]}, "support_ids.0", "Choose one from the list."),
    "fractional district id": ({"district_id": 383.25}, "district_id", "no fractions"),
    "fractional minutes": ({"minutes": 30.5}, "minutes", "no fractions"),
    "minutes as exponent": ({"minutes": "1e3"}, "minutes", "no fractions"),
    "minutes as a boolean": ({"minutes": True}, "minutes", "whole number"),
    "fractional rating": (lambda: _rating(2.7), "observations.0.ratings.0.rating", "no fractions"),
    "whitespace-only purpose": ({"purpose": "   "}, "purpose", "Write the purpose."),
    "whitespace-only subject": (lambda: {"observations": [new_observation(subject=" \t ")]}, "observations.0.subject",
                                "Write the subject."),
    "a date beyond 2100": ({"follow_up_on": "9999-12-31"}, "follow_up_on", "from 2000 to 2100"),
}


@pytest.mark.parametrize("case", HOSTILE_VISITS, ids=list(HOSTILE_VISITS))
def test_the_api_refuses_hostile_visit_fields_by_name_and_stores_nothing(client, world, case):
    changes, field, message = HOSTILE_VISITS[case]
    changes = changes() if callable(changes) else changes  # observations need the rubric: made inside the test
    before = visit_count()
    response = client.post("/api/v1/visits", json=new_visit(world, **changes), headers=bearer(world.lead))
    assert response.status_code == 422, response.json
    assert message in " ".join(response.json["error"]["errors"][field])
    assert visit_count() == before


def test_two_thousand_observations_are_refused_at_once_by_the_documented_limit(client, world):
    body = new_visit(world, observations=[new_observation() for _ in range(2000)])
    headers = bearer(world.lead)
    started = time.monotonic()
    response = client.post("/api/v1/visits", json=body, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["errors"]["observations"] == ["At most 50 observations."]
    assert time.monotonic() - started < 5
    assert visit_count(client_uuid=body["client_uuid"]) == 0


def test_json_nested_three_thousand_deep_is_a_400_not_a_crash(client, world):
    body = '{"district_id": 1, "purpose": ' + "[" * 3000 + "]" * 3000 + "}"
    response = client.post("/api/v1/visits", data=body, content_type="application/json", headers=bearer(world.lead))
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json["error"]["message"]


def test_an_id_beyond_bigint_in_a_url_or_a_filter_is_not_found_or_refused(client, world):
    headers = bearer(world.lead)
    assert client.get(f"/api/v1/visits/{LARGEST_ID + 1}", headers=headers).status_code == 404
    assert client.get(f"/districts/homeville/schools/{2**64}").status_code == 404
    response = client.get(f"/api/v1/visits?district_id={2**63}", headers=headers)
    assert response.status_code == 422 and "district_id" in response.json["error"]["errors"]
    response = client.get("/api/v1/visits?page=99999999999999999999", headers=headers)
    assert response.status_code == 422


def test_a_nul_in_a_query_string_or_a_form_names_the_field(client, auth, world):
    auth.sign_in(world.lead)
    response = client.get("/districts/homeville/visits?subject=Ma%00th")
    assert response.status_code == 400 and "subject" in response.text and "NUL" in response.text
    response = client.post("/districts/homeville/visits/new", data={"purpose": "a\x00b"})
    assert response.status_code == 400 and "purpose" in response.text


def test_the_visit_form_refuses_fractions_and_keeps_what_was_typed(client, auth, world):
    from tests.test_fieldwork import visit_form

    auth.sign_in(world.lead)
    before = visit_count()
    response = client.post("/districts/homeville/visits/new", data=visit_form(world, minutes="30.5"))
    assert response.status_code == 422
    assert "no fractions" in response.text and 'value="30.5"' in response.text
    assert visit_count() == before


NOT_AMOUNTS = {"NaN": "such as 12500", "Infinity": "such as 12500", "-Infinity": "such as 12500",
               "1e3": "such as 12500", "1,2": "such as 12500", "12.345": "positive amount in dollars and cents",
               "-5": "positive amount in dollars and cents"}


@pytest.mark.parametrize("typed", NOT_AMOUNTS)
def test_money_that_is_not_an_amount_is_refused_on_the_form(client, auth, world, typed):
    auth.sign_in(world.leader)
    before = db.session.scalar(select(func.count()).select_from(Provider))
    response = client.post("/districts/homeville/providers", data={
        "name": "Reading Partners", "kind": "provider", "contract_cents": typed})
    assert response.status_code == 422
    assert NOT_AMOUNTS[typed] in response.text
    assert f'value="{typed}"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Provider)) == before


@pytest.mark.parametrize(("typed", "cents"), [("12500", 1_250_000), ("12,500.00", 1_250_000), ("$0.5", 50)])
def test_money_as_a_person_types_it_is_kept_to_the_cent(client, auth, world, typed, cents):
    auth.sign_in(world.leader)
    response = client.post("/districts/homeville/providers", data={
        "name": f"Provider {typed}", "kind": "provider", "contract_cents": typed})
    assert response.status_code == 302
    stored = db.session.scalars(select(Provider).where(Provider.name == f"Provider {typed}")).one()
    assert stored.contract_cents == cents


def test_an_import_row_with_nul_or_a_fraction_is_an_error_on_its_line():
    rows = [{"name": "Good School", "code": "A1", "grade_span": "K-5", "enrollment": "300"},
            {"name": "Bad\x00School", "code": "A2", "grade_span": "K-5"},
            {"name": "Half School", "code": "A3", "grade_span": "K-5", "enrollment": "30.5"},
            {"name": "   ", "code": "A4", "grade_span": "K-5"}]
    loaded, errors = check_rows(rows, SchoolSchema(), "schools.csv", "code")
    assert [row["code"] for row in loaded] == ["A1"]
    assert [(e.line, e.column) for e in errors] == [(3, "name"), (4, "enrollment"), (5, "name")]
    assert "NUL" in errors[0].message and "no fractions" in errors[1].message


def test_a_good_visit_still_lands(client, world):
    response = client.post("/api/v1/visits", json=new_visit(world, minutes=30.0), headers=bearer(world.lead))
    assert response.status_code == 201 and response.json["minutes"] == 30
    assert db.session.scalars(select(Visit.minutes).where(Visit.id == response.json["id"])).one() == 30
