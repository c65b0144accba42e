"""`GET /v1/health`: is this function alive, and can it reach its table?"""

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
