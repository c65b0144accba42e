"""Schemathesis against the local stack, from the API's own OpenAPI document: for every operation
a bounded number of generated requests (valid and invalid), signed in as a house admin. No
answer may be a 5xx, and every answer must match the document (status, content type, body).
The demo is seeded, so ids generated at random mostly miss: the point is that no input, however
odd, reaches past validation into a crash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app import app
from chalicelib.core.openapi import document
from tests.e2e.http import call, served_stack

pytestmark = pytest.mark.stack

CASES_PER_OPERATION = 12  # bounded: the whole module stays within ~a minute

schema = schemathesis.openapi.from_dict(document(app.routes))


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, str]]:
    with served_stack(seeded=True) as (base, _):
        _, body = call(
            base,
            "POST",
            "/_local/staff-tokens",
            {"memberships": [{"role": "house_admin", "house": "ntgent"}]},
        )
        yield base, body["access_token"]


# One test per operation, each with its own node id (schemathesis' own parametrize gives every
# operation the same id, and pytest-xdist would then run only one of them).
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_no_input_crashes_the_api_or_breaks_its_description(operation, site):
    base, token = site

    @given(case=operation.as_strategy())
    @settings(
        max_examples=CASES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,  # the same cases every run: a failure here is reproducible
        database=None,
    )
    def check(case):
        case.call_and_validate(
            base_url=base,
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
            timeout=30,
        )

    check()
