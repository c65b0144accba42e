"""The OpenAPI document is generated from the models every route reads and answers
(chalicelib/core/edge.py `Doc`), never written by hand: every route is described, nothing is
described that is not a route, each operation has a summary, a description and an example that
its own model accepts, no schema is a bare object, and the document is valid OpenAPI 3.1
(openapi-spec-validator). Served at /v1/openapi.json and rendered at /api/."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client
from openapi_spec_validator import validate
from pydantic import BaseModel

from app import app
from chalicelib.core import edge
from chalicelib.core.openapi import document

ROUTES = {(method, path) for path, methods in app.routes.items() for method in methods}


def undescribed(routes: set[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(routes - set(edge.OPERATIONS))


def test_every_route_is_described_by_its_models_and_nothing_else() -> None:
    assert not undescribed(ROUTES), "give these routes a doc=Doc(...) with their models"
    assert not sorted(set(edge.OPERATIONS) - ROUTES), "described but not routes of the app"
    described = {
        (method.upper(), path)
        for path, operations in document(app.routes)["paths"].items()
        for method in operations
    }
    assert described == ROUTES


def test_a_route_without_its_models_is_caught() -> None:  # the check above can fail
    assert undescribed(ROUTES | {("PATCH", "/v1/unmodelled")}) == [("PATCH", "/v1/unmodelled")]


def test_no_hand_written_schema_remains() -> None:
    import inspect

    import chalicelib.core.openapi as openapi

    source = inspect.getsource(openapi)
    assert not hasattr(openapi, "Op") and openapi.OPERATIONS is edge.OPERATIONS
    assert '"type": "object"' not in source and "Op(" not in source


def test_the_document_is_valid_openapi_3_1() -> None:
    spec = document(app.routes)
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    operation_ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))
    staff = [path for path, ops in spec["paths"].items() for op in ops.values() if "security" in op]
    assert staff and all(path.startswith(("/v1/admin/", "/v1/scan/")) for path in staff)


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = document(app.routes)
    return [(m, p, op) for p, ops in spec["paths"].items() for m, op in ops.items()]


@pytest.mark.parametrize(("method", "path", "op"), _operations(), ids=lambda v: str(v)[:60])
def test_each_operation_has_a_summary_a_description_and_an_example(
    method: str, path: str, op: dict[str, Any]
) -> None:
    assert op["summary"] and op["description"], (method, path)
    success = [r for status, r in op["responses"].items() if status.startswith("2")]
    for response in success:
        for media in response.get("content", {}).values():
            assert "example" in media, f"{method} {path}: its reply model needs an example"


def _documented_models() -> list[type[BaseModel]]:
    models: list[type[BaseModel]] = []
    for operation in edge.OPERATIONS.values():
        for model in (operation.doc.body, operation.doc.response):
            if model is not None and model not in models:
                models.append(model)
    return models


@pytest.mark.parametrize("model", _documented_models(), ids=lambda model: model.__name__)
def test_every_documented_example_is_one_the_model_takes(model: type[BaseModel]) -> None:
    """The document shows these examples: each must be a body or reply the model allows."""
    shown = edge.examples(model)
    if any(model is op.doc.response for op in edge.OPERATIONS.values()):
        assert shown, f"{model.__name__}: a reply shows a realistic example in the document"
    for example in shown:
        model.model_validate(example)


def _bare_objects(node: Any, where: str) -> list[str]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object" and not (
            {"properties", "additionalProperties", "$ref", "allOf", "anyOf", "oneOf"} & set(node)
        ):
            found.append(where)
        for key, value in node.items():
            found += _bare_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _bare_objects(value, f"{where}/{index}")
    return found


def test_no_schema_is_a_bare_object() -> None:
    spec = document(app.routes)
    assert _bare_objects(spec, "#") == []
    assert _bare_objects({"type": "object"}, "#") == ["#"]  # the check can fail


def test_it_is_served_by_the_api() -> None:
    with Client(app) as client:
        response = client.http.get("/v1/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.body) == document(app.routes)
