"""`GET /v1/health`: is this function alive, and can it reach its table? And
`GET /v1/openapi.json`, the API's own description (chalicelib/core/openapi.py)."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.core.http import ApiBlueprint, json_response
from chalicelib.store.models import PodiumItem

health = ApiBlueprint(__name__)

VERSION = "0.1.0"


@health.route("/v1/health", methods=["GET"])
def get_health() -> Response:
    checks = {"dynamodb": _dynamodb()}
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "degraded", "version": VERSION, "checks": checks}
    return json_response(body, status=200 if healthy else 503)


def _dynamodb() -> str:
    try:
        PodiumItem.count("HEALTH", limit=1)  # one key read: cheap and proves reachability
        return "ok"
    except Exception as error:  # health reports every failure instead of raising it
        return f"error: {type(error).__name__}"


@health.route("/v1/openapi.json", methods=["GET"])
def get_openapi() -> Response:
    from chalicelib.core.openapi import document

    return json_response(document(health.current_app.routes), max_age=300)
