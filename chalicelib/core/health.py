"""`GET /v1/health`: is this function alive, and can it reach its table? And
`GET /v1/openapi.json`, the API's own description (chalicelib/core/openapi.py)."""

from __future__ import annotations

from typing import Literal

from chalice.app import Response
from pydantic import ConfigDict, Field

from chalicelib.core.edge import Doc, Reply
from chalicelib.core.http import ApiBlueprint, json_response, reply

health = ApiBlueprint(__name__)

VERSION = "0.1.0"


class HealthReply(Reply):
    """Whether this function is alive and reaches what it needs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"status": "ok", "version": "0.1.0", "checks": {"dynamodb": "ok"}}]
        }
    )

    status: Literal["ok", "degraded"] = Field(description="degraded answers 503")
    version: str
    checks: dict[str, str] = Field(description='each dependency: "ok" or "error: <kind>"')


class ApiDocument(Reply):
    """An OpenAPI 3.1 document: this one."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "openapi": "3.1.0",
                    "info": {"title": "Podium", "version": VERSION},
                    "paths": {"/v1/health": {"get": {"summary": "Liveness"}}},
                }
            ]
        },
    )

    openapi: str
    info: dict[str, object]
    paths: dict[str, object]


@health.route("/v1/health", methods=["GET"], doc=Doc(tag="health", response=HealthReply))
def get_health() -> Response:
    """Liveness, and whether the table answers

    503 with the same body when a dependency fails: a load balancer reads the status."""
    checks = {"dynamodb": _dynamodb()}
    healthy = all(state == "ok" for state in checks.values())
    body = HealthReply(status="ok" if healthy else "degraded", version=VERSION, checks=checks)
    return reply(body, status=200 if healthy else 503)


def _dynamodb() -> str:
    # pynamodb (and botocore under it) is imported here, not with the app: a cold start of a
    # route that never reads the table (the waiting room's position, the OpenAPI document)
    # does not pay for it.
    from chalicelib.store.models import PodiumItem

    try:
        PodiumItem.count("HEALTH", limit=1)  # one key read: cheap and proves reachability
        return "ok"
    except Exception as error:  # health reports every failure instead of raising it
        return f"error: {type(error).__name__}"


@health.route("/v1/openapi.json", methods=["GET"], doc=Doc(tag="health", response=ApiDocument))
def get_openapi() -> Response:
    """This document

    Generated from the routes' own models; Swagger UI renders it at /api/."""
    from chalicelib.core.openapi import document

    # Served as generated: validating the whole document against ApiDocument buys nothing.
    return json_response(document(health.current_app.routes), max_age=300)
