"""The API fuzzed from its own OpenAPI spec (schemathesis), once per role, each with an API token: 0 5xx.

Examples per operation are bounded (FUZZ_EXAMPLES) so that the five roles take a minute or two; the
hostile values that matter most (NUL, surrogates, 2^63, nesting, 2,000 observations) have their own
tests in tests/test_hostile_input.py.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.test_api import bearer

ROLES = ("lead", "leader", "viewer", "director", "admin")
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_5xx_to_any_role(api_schema, world, role):
    headers = bearer(getattr(world, role))
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8  # visits and observations: list, create, read, change; schools; assignments
    server_errors = []

    for operation in operations:
        @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}"
                                     f" -> {response.status_code}")
            assert response.status_code < 500, server_errors[-1]

        call()
    assert not server_errors
