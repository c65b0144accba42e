"""The OpenAPI 3.1 description of the whole API, served at /v1/openapi.json and rendered for
people at /api/ (Swagger UI, webshop/api/).

Generated, never written: each route registers the models it reads and answers
(`doc=Doc(...)`, chalicelib/core/edge.py) and its docstring (summary, description); the JSON
schemas come from those pydantic models, the same ones that parse every request. So the
document cannot say one thing while the code checks another. tests/unit/test_openapi.py keeps
it whole (every route described, an example for each, no bare object, valid OpenAPI 3.1);
schemathesis runs it against the local stack (tests/e2e/test_schemathesis.py), checking every
answer's shape. Errors are problem+json everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chalicelib.core.edge import ID_REGEX, OPERATIONS, Operation, ProblemReply, examples
from chalicelib.core.health import VERSION

JSON = dict[str, Any]


def document(routes: dict[str, dict[str, Any]]) -> JSON:
    """The document for these routes (the app's `routes`): every route registered with its
    models (chalicelib/core/edge.py `Doc`); the test makes sure every route of the app is."""
    described = [
        OPERATIONS[(method, path)]
        for path, methods in sorted(routes.items())
        for method in sorted(methods)
        if (method, path) in OPERATIONS
    ]
    schemas = _schemas(described)
    paths: dict[str, JSON] = {}
    for op in described:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Podium",
            "version": VERSION,
            "summary": "Ticketing for groups of performing-arts houses",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {**schemas.components},
            "securitySchemes": {
                "staff": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A Cognito access token of the staff user pool",
                }
            },
        },
    }


@dataclass
class _Schemas:
    """Every model's JSON schema, each once under components/schemas, referred to by $ref."""

    refs: dict[tuple[type, str], JSON]
    components: JSON


def _schemas(operations: list[Operation]) -> _Schemas:
    from pydantic.json_schema import models_json_schema

    wanted: list[tuple[Any, Any]] = [(ProblemReply, "serialization")]
    for op in operations:
        for model, mode in (
            (op.doc.query, "validation"),
            (op.doc.body, "validation"),
            (op.doc.response, "serialization"),
        ):
            if model is not None and (model, mode) not in wanted:
                wanted.append((model, mode))
    refs, definitions = models_json_schema(wanted, ref_template="#/components/schemas/{model}")
    return _Schemas(
        {(model, mode): ref for (model, mode), ref in refs.items()}, definitions.get("$defs", {})
    )


def _component(schemas: _Schemas, ref: JSON) -> JSON:
    name = ref["$ref"].rsplit("/", 1)[-1]
    component: JSON = schemas.components[name]
    return component


def _operation(op: Operation, schemas: _Schemas) -> JSON:
    doc = op.doc
    parameters: list[JSON] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": ID_REGEX},
        }
        for name in re.findall(r"\{(\w+)\}", op.path)
    ]
    if doc.query is not None:
        query = _component(schemas, schemas.refs[(doc.query, "validation")])
        required = set(query.get("required", ()))
        for name, schema in query.get("properties", {}).items():
            parameter: JSON = {
                "name": name,
                "in": "query",
                "required": name in required,
                "schema": {k: v for k, v in schema.items() if k not in ("description", "title")},
            }
            if schema.get("description"):
                parameter["description"] = schema["description"]
            parameters.append(parameter)
    parameters += [
        {
            "name": name,
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": text,
        }
        for name, text in doc.headers
    ]
    problem = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemReply"}}
    }
    success: JSON = {"description": op.summary}
    if doc.response is not None:
        media: JSON = {"schema": schemas.refs[(doc.response, "serialization")]}
        shown = examples(doc.response)
        if shown:
            media["example"] = shown[0]
        success["content"] = {doc.content_type: media}
    for media_type, example in doc.also:
        text = {"schema": {"type": "string"}, "example": example}
        success.setdefault("content", {})[media_type] = text
    operation: JSON = {
        "operationId": f"{op.method.lower()}_"
        f"{re.sub(r'[^a-z0-9]+', '_', op.path.lower()).strip('_')}",
        "summary": op.summary,
        "description": op.description,
        "tags": [doc.tag],
        "parameters": parameters,
        "responses": {
            str(doc.status): success,
            "4XX": {"description": "a problem with the request", "content": problem},
            "5XX": {"description": "a problem on our side", "content": problem},
        },
    }
    if op.method == "PUT":  # a PUT that created answers 201, one that replaced 200
        operation["responses"]["201"] = {**success, "description": "created"}
    if doc.body is not None:
        body: JSON = {"schema": schemas.refs[(doc.body, "validation")]}
        shown = examples(doc.body)
        if shown:
            body["example"] = shown[0]
        operation["requestBody"] = {
            "required": doc.body_required,
            "content": {"application/json": body},
        }
    if doc.staff:
        operation["security"] = [{"staff": []}]
    return operation
