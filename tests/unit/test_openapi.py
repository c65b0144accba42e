"""The OpenAPI document is the app's: every route described, nothing described that is not a
route, and a valid OpenAPI 3.1 document (openapi-spec-validator). Served at /v1/openapi.json."""

from __future__ import annotations

import json

import pytest
from chalice.test import Client
from openapi_spec_validator import validate
from pydantic import BaseModel

from app import app
from chalicelib.core.edge import OPERATIONS as DESCRIBED
from chalicelib.core.openapi import OPERATIONS, document


def test_every_route_is_described_and_nothing_else():
    routes = {(method, path) for path, methods in app.routes.items() for method in methods}
    # A route registers its models with `doc=` (chalicelib/core/edge.py) or, until it is
    # converted, has an Op entry in chalicelib/core/openapi.py.
    known = set(OPERATIONS) | set(DESCRIBED)
    undescribed = sorted(routes - known)
    assert not undescribed, f"describe these routes (doc= on the route): {undescribed}"
    stale = sorted(known - routes)
    assert not stale, f"described but not routes of the app: {stale}"
    described = {
        (method.upper(), path)
        for path, operations in document(app.routes)["paths"].items()
        for method in operations
    }
    assert described == routes


def test_the_document_is_valid_openapi_3_1():
    spec = document(app.routes)
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    operation_ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    staff = [path for path, ops in spec["paths"].items() for op in ops.values() if "security" in op]
    assert staff and all(path.startswith(("/v1/admin/", "/v1/scan/")) for path in staff)


def test_it_is_served_by_the_api():
    with Client(app) as client:
        response = client.http.get("/v1/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.body) == document(app.routes)


def _documented_models() -> list[type[BaseModel]]:
    models: list[type[BaseModel]] = []
    for operation in DESCRIBED.values():
        for model in (operation.doc.body, operation.doc.response):
            if model is not None and model not in models:
                models.append(model)
    return models


@pytest.mark.parametrize("model", _documented_models(), ids=lambda model: model.__name__)
def test_every_documented_example_is_one_the_model_takes(model):
    """The document shows these examples: each must be a body or reply the model allows."""
    examples = (model.model_config.get("json_schema_extra") or {}).get("examples", [])
    if any(model is op.doc.response for op in DESCRIBED.values()):
        assert examples, f"{model.__name__}: a reply shows a realistic example in the document"
    for example in examples:
        model.model_validate(example)
