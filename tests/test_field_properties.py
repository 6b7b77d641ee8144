"""Property-based tests (hypothesis) of the numeric, date and text fields of every schema (issue 13, issue 14 case 4).

Whatever a client sends, a field either refuses it with a ValidationError (a message for the field) or
gives back exactly what was meant: a whole number is never truncated, a decimal never rounded, an amount
never read from "1e3", a date never outside the years kept, a text never carries what PostgreSQL refuses.
"""
import importlib
import inspect
import os
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields

from app.accounts.emails import EmailAddress
from app.fields import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_CENTS,
    Cents,
    Day,
    PlainDecimal,
    Text,
    WholeNumber,
    unstorable_character,
)

# JSON bodies (the API, and the forms that share their schemas) may carry any JSON value.
JSON_SCHEMAS = ("app.fieldwork.schemas", "app.api.schemas", "app.plans.schemas")
# Query strings, form fields and file cells are always text.
TEXT_SCHEMAS = ("app.onboarding.rows", "app.onboarding.forms", "app.fieldwork.filters", "app.regional.filters",
                "app.audit.views",
                "app.districts.forms", "app.accounts.forms", "app.auth.forms", "app.notifications.forms")
# Reworked by branch datatrust (issue 13 case 7: "18%", "<10", suppressed values): left as they are here.
LEFT_TO_DATATRUST = {("MeasurementSchema", "value"), ("MeasurementSchema", "comparison_value")}
# EmailAddress is the one email rule (app/accounts/emails.py): stored form, no NUL, a real address.
OURS = (WholeNumber, PlainDecimal, Cents, Day, Text, EmailAddress)


def _schemas(module_names):
    for module_name in module_names:
        module = importlib.import_module(module_name)
        for schema in vars(module).values():
            # ...Out schemas only dump what is stored (SchoolOut): they never load a client's values.
            if (inspect.isclass(schema) and issubclass(schema, Schema) and schema.__module__ == module_name
                    and not schema.__name__.endswith("Out")):
                yield schema


def _fields(module_names, kinds):
    for schema in _schemas(module_names):
        for name, field in schema().load_fields.items():
            if isinstance(field, kinds) and (schema.__name__, name) not in LEFT_TO_DATATRUST:
                yield pytest.param(schema, name, field, id=f"{schema.__name__}.{name}")


NUMBERS_AND_DATES = (fields.Number, fields.Date, Cents)
TEXT = fields.String

numberish_text = st.one_of(
    st.from_regex(r"\A[ +\-$]?[0-9,]{0,25}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\Z"),
    st.sampled_from(["NaN", "nan", "Infinity", "-Infinity", "inf", "1e3", "30.5", "2.7", "383.25", "", " ",
                     str(2**63), str(2**31), "-0", "0x1F", "１２", "9999-12-31", "0001-01-01", "2026-02-30"]),
    st.dates().map(date.isoformat),
    st.text(max_size=12),
)
any_json = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**31 - 5, max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True), numberish_text,
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
# Random on a developer's machine, to keep finding new cases; the same examples in CI (CI=true), so that a
# submission is judged on what its author ran. A case found once is kept as a test of its own below.
SETTINGS = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "25")), deadline=None, database=None,
                    derandomize=os.environ.get("CI") == "true", suppress_health_check=list(HealthCheck))


def test_every_number_date_and_text_field_of_every_schema_is_one_of_the_shared_types():
    """A new schema with a bare fields.Integer (which truncates 30.5) or fields.String (which stores NUL) fails here."""
    bare = []
    for module_names in (JSON_SCHEMAS, TEXT_SCHEMAS):
        for param in _fields(module_names, NUMBERS_AND_DATES + (TEXT,)):
            schema, name, field = param.values
            chosen = isinstance(field, OURS) or any(
                type(v).__name__ == "OneOf" for v in field.validators) or isinstance(field, fields.Email)
            if not chosen and not isinstance(field, fields.UUID):
                bare.append(f"{schema.__name__}.{name}: {type(field).__name__}")
    assert not bare, "fields that bypass app/fields.py: " + ", ".join(bare)


def _check_loaded(field, sent, loaded) -> None:
    """What a field gave back is what was sent, exactly, within its range."""
    if isinstance(field, WholeNumber):
        assert type(loaded) is int and field.minimum <= loaded <= field.maximum
        assert (Decimal(sent) if isinstance(sent, float) else Decimal(str(sent).strip())) == loaded  # 30.5 is never 30
    elif isinstance(field, PlainDecimal):
        assert loaded.is_finite() and Decimal(str(sent).strip()) == loaded  # 12.345 is never 12.35
    elif isinstance(field, Cents):
        assert type(loaded) is int and 0 <= loaded <= MAX_CENTS
        assert "e" not in str(sent).lower() and "n" not in str(sent).lower()  # no "1e3", "NaN", "Infinity"
    elif isinstance(field, Day):
        assert EARLIEST_DATE <= loaded <= LATEST_DATE
    elif isinstance(field, Text):
        assert unstorable_character(loaded) is None
        if field.required:
            assert loaded.strip()


def _fuzz(schema, name, field, strategy):
    key = field.data_key or name
    required = tuple(other for other, f in schema().load_fields.items() if f.required and other != name)

    @SETTINGS
    @given(value=strategy)
    def load_one(value):
        try:
            # The other required fields may be missing; every other field takes its default, as in real use.
            loaded = schema().load({key: value}, partial=required)
        except ValidationError:
            return
        blank = isinstance(value, str) and not value.strip()  # "not given" in a form, a query or a file: the default
        if name in loaded and loaded[name] is not None and value is not None and not blank:
            _check_loaded(field, value, loaded[name])

    load_one()


@pytest.mark.parametrize(("schema", "name", "field"), list(_fields(JSON_SCHEMAS, NUMBERS_AND_DATES)))
def test_a_json_number_or_date_is_refused_or_kept_exactly(schema, name, field):
    _fuzz(schema, name, field, any_json)


@pytest.mark.parametrize(("schema", "name", "field"), list(_fields(TEXT_SCHEMAS, NUMBERS_AND_DATES)))
def test_a_typed_number_or_date_is_refused_or_kept_exactly(schema, name, field):
    _fuzz(schema, name, field, numberish_text)


@pytest.mark.parametrize(("schema", "name", "field"), list(_fields(JSON_SCHEMAS + TEXT_SCHEMAS, (Text,))))
def test_text_is_refused_or_storable(schema, name, field):
    # Any character, NUL and lone surrogates included (hypothesis leaves surrogates out unless asked).
    hostile = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(["\x00", "\ud800", "\udfff"])), max_size=20)
    _fuzz(schema, name, field, hostile if schema.__module__ in JSON_SCHEMAS else st.text(max_size=20))


def test_a_long_whole_number_in_a_decimal_field_is_refused_not_a_crash():
    """Found by the properties above: 10**26 made Decimal.quantize raise (28 digits) instead of a field message."""
    from app.plans.schemas import EquityGoalSchema

    with pytest.raises(ValidationError) as refused:
        EquityGoalSchema().load({"baseline_value": 10**26}, partial=True)
    assert "baseline_value" in refused.value.messages
