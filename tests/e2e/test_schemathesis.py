"""Schemathesis against the local stack, from the API's own OpenAPI document: for every operation
a bounded number of generated requests (valid and invalid), signed in as a house admin. No
answer may be a 5xx, and every answer must match the document (status, content type, body).
The demo is seeded, so ids generated at random mostly miss: the point is that no input, however
odd, reaches past validation into a crash."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from app import app
from chalicelib.core.openapi import document
from local.stack import LocalStack, free_port
from tests.e2e.http import call

pytestmark = pytest.mark.stack

CASES_PER_OPERATION = 12  # bounded: the whole module stays within ~a minute

schema = schemathesis.openapi.from_dict(document(app.routes))


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[str, str]]:
    saved = dict(os.environ)
    port = free_port()
    stack = LocalStack(public_url=f"http://127.0.0.1:{port}")
    stack.start()
    from local.seed import seed
    from local.server import make_server
    from local.stack import forget_app_clients

    forget_app_clients()
    seed()
    server = make_server(app, "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    _, body = call(
        base,
        "POST",
        "/_local/staff-tokens",
        {"memberships": [{"role": "house_admin", "house": "ntgent"}]},
    )
    try:
        yield base, body["access_token"]
    finally:
        server.shutdown()
        server.server_close()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        forget_app_clients()


@schema.parametrize()
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: a failure here is reproducible
)
def test_no_input_crashes_the_api_or_breaks_its_description(case, site):
    base, token = site
    case.call_and_validate(
        base_url=base,
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
        timeout=30,
    )
