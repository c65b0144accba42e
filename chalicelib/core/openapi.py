"""The OpenAPI 3.1 description of the whole API, served at /v1/openapi.json.

Every route of the app is described here, once: `OPERATIONS` says what it does, which query
parameters it takes, what body it wants and what it answers. tests/unit/test_openapi.py keeps
it true: the document's operations are exactly the app's routes (a new route without its entry
fails), the document validates with openapi-spec-validator, and schemathesis runs it against
the local stack (tests/e2e/test_schemathesis.py). Errors are problem+json everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chalicelib.core.edge import examples
from chalicelib.core.health import VERSION

JSON = dict[str, Any]

ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$"


@dataclass(frozen=True)
class Op:
    summary: str
    tag: str
    status: int = 200
    query: tuple[tuple[str, JSON, str], ...] = ()  # (name, schema, description)
    body: JSON | None = None  # the JSON request body's schema
    response: JSON = field(default_factory=lambda: {"type": "object"})
    staff: bool = False  # needs a staff access token
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()  # (header, description), optional request headers


def _str(**extra: Any) -> JSON:
    return {"type": "string", **extra}


def _obj(properties: dict[str, JSON] | None = None, required: tuple[str, ...] = ()) -> JSON:
    schema: JSON = {"type": "object"}
    if properties:
        schema["properties"] = properties
    if required:
        schema["required"] = list(required)
    return schema


LANG = ("lang", {"type": "string", "enum": ["nl", "fr", "en"]}, "answer language")
INSTANT = _str(format="date-time")

SCAN = _obj(
    {
        "performance": _str(pattern=ID_PATTERN),
        "payload": _str(maxLength=1000),
        "scanner": _str(pattern="^[A-Za-z0-9_.:-]{1,64}$"),
        "nonce": _str(pattern="^[A-Za-z0-9_-]{8,128}$"),
        "scanned_at": INSTANT,
    },
    ("performance", "payload", "scanner"),
)
SCAN_RESULT = _obj(
    {
        "verdict": _str(
            enum=["accepted", "already_used", "revoked", "wrong_performance", "forged"]
        ),
        "ticket": _str(),
        "seat": _str(),
        "seat_label": _str(),
        "first_scanned_at": INSTANT,
        "first_scanner": _str(),
        "reason": _str(),
        "ticket_performance": _str(),
        "replay": {"type": "boolean"},
        "nonce": _str(),
        "performance": _str(),
    },
    ("verdict",),
)
SCAN_KEYS = _obj(
    {
        "performance": _str(),
        "house": _str(),
        "keys": {
            "type": "array",
            "items": _obj({"kid": _str(), "alg": _str(), "public_key": _str()}),
        },
        "revoked": {"type": "array", "items": _str()},
        "generated_at": INSTANT,
    },
    ("performance", "house", "keys", "revoked", "generated_at"),
)

OPERATIONS: dict[tuple[str, str], Op] = {
    # --- door scanning ----------------------------------------------------------------------
    ("GET", "/v1/scan/keys"): Op(
        "A performance's house keys (every kid that must still verify) and revoked tickets",
        "scanning",
        query=(LANG, ("performance", _str(pattern=ID_PATTERN), "the performance at the door")),
        staff=True,
        response=SCAN_KEYS,
    ),
    ("POST", "/v1/scan/checkins"): Op(
        "Check a ticket in: accepted, already used (with when), revoked, wrong performance or "
        "forged",
        "scanning",
        query=(LANG,),
        staff=True,
        body=SCAN,
        response=SCAN_RESULT,
    ),
    ("POST", "/v1/scan/checkins/batch"): Op(
        "An offline scanner's upload: each scan with its nonce; a nonce sent again answers "
        "its first verdict and writes nothing",
        "scanning",
        query=(LANG,),
        staff=True,
        body=_obj(
            {"scans": {"type": "array", "items": SCAN, "minItems": 1, "maxItems": 100}},
            ("scans",),
        ),
        response=_obj({"results": {"type": "array", "items": SCAN_RESULT}}, ("results",)),
    ),
}

PROBLEM = _obj(
    {
        "type": _str(),
        "title": _str(),
        "status": {"type": "integer"},
        "detail": _str(),
        "code": _str(),
        "errors": {"type": "array", "items": _obj()},
    },
    ("type", "title", "status"),
)


def document(routes: dict[str, dict[str, Any]]) -> JSON:
    """The document for these routes (the app's `routes`): every route registered with its
    models (chalicelib/core/edge.py `Doc`); the test makes sure every route of the app is."""
    from chalicelib.core.edge import OPERATIONS as DESCRIBED
    from chalicelib.core.edge import ProblemReply

    wanted = [
        (method, path)
        for path, methods in sorted(routes.items())
        for method in sorted(methods)
        if (method, path) in DESCRIBED or (method, path) in OPERATIONS
    ]
    schemas = _schemas([DESCRIBED[key] for key in wanted if key in DESCRIBED], ProblemReply)
    paths: dict[str, JSON] = {}
    for method, path in wanted:
        if (method, path) in DESCRIBED:
            operation = _described(DESCRIBED[(method, path)], schemas)
        else:
            operation = _operation(method, path, OPERATIONS[(method, path)])
        paths.setdefault(path, {})[method.lower()] = operation
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


def _schemas(operations: list[Any], problem: type) -> _Schemas:
    from pydantic.json_schema import models_json_schema

    wanted: list[tuple[Any, Any]] = [(problem, "serialization")]
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


def _described(op: Any, schemas: _Schemas) -> JSON:
    doc = op.doc
    parameters: list[JSON] = [
        {"name": name, "in": "path", "required": True, "schema": _str(pattern=ID_PATTERN)}
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
        {"name": name, "in": "header", "required": False, "schema": _str(), "description": text}
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
    for media_type in doc.also:
        success.setdefault("content", {})[media_type] = {"schema": _str()}
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


def _operation(method: str, path: str, op: Op) -> JSON:
    parameters: list[JSON] = [
        {"name": name, "in": "path", "required": True, "schema": _str(pattern=ID_PATTERN)}
        for name in re.findall(r"\{(\w+)\}", path)
    ]
    parameters += [
        {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
        for name, schema, text in op.query
    ]
    parameters += [
        {"name": name, "in": "header", "required": False, "schema": _str(), "description": text}
        for name, text in op.headers
    ]
    problem = {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemReply"}}
    }
    success: JSON = {"description": op.summary}
    if op.status != 204:
        success["content"] = {op.content_type: {"schema": op.response}}
    operation: JSON = {
        "operationId": f"{method.lower()}_{re.sub(r'[^a-z0-9]+', '_', path.lower()).strip('_')}",
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": {
            str(op.status): success,
            "4XX": {"description": "a problem with the request", "content": problem},
            "5XX": {"description": "a problem on our side", "content": problem},
        },
    }
    if method == "PUT":  # a PUT that created answers 201, one that replaced 200
        operation["responses"]["201"] = {**success, "description": "created"}
    if op.body is not None:
        operation["requestBody"] = {
            "required": method != "POST" or bool(op.body.get("required")),
            "content": {"application/json": {"schema": op.body}},
        }
    if op.staff:
        operation["security"] = [{"staff": []}]
    return operation
