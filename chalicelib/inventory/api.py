"""Public seat plan and hold routes: parse, call the service, render."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.core.http import (
    ApiBlueprint,
    client_identity,
    json_body,
    json_response,
    language_only,
)
from chalicelib.inventory.views import hold_view, seat_plan_view

inventory = ApiBlueprint(__name__)

SEATS_MAX_AGE = 2  # seconds: a CDN may absorb a stampede on a hot map, barely stale


@inventory.route("/v1/performances/{performance_id}/seats", methods=["GET"])
def get_seats(performance_id: str) -> Response:
    lang = language_only(inventory.current_request)
    plan = container().inventory().seat_plan(performance_id)
    return json_response(seat_plan_view(plan, lang), lang=lang, max_age=SEATS_MAX_AGE)


@inventory.route("/v1/performances/{performance_id}/holds", methods=["POST"])
def create_hold(performance_id: str) -> Response:
    request = inventory.current_request
    lang = language_only(request)
    svc = container().inventory()
    hold, token, seat_map = svc.hold(
        performance_id,
        json_body(request),
        client_identity(request),
        request.headers.get("x-admission-token"),
    )
    body = hold_view(hold, seat_map, lang, svc.clock.now())
    body["hold_token"] = token
    response = json_response(body, status=201, lang=lang)
    response.headers["Location"] = f"/v1/holds/{hold.id}"
    return response


@inventory.route("/v1/holds/{hold_id}", methods=["GET"])
def get_hold(hold_id: str) -> Response:
    request = inventory.current_request
    lang = language_only(request)
    svc = container().inventory()
    hold, seat_map = svc.get_hold(hold_id, request.headers.get("x-hold-token"))
    return json_response(hold_view(hold, seat_map, lang, svc.clock.now()), lang=lang)


@inventory.route("/v1/holds/{hold_id}", methods=["DELETE"])
def delete_hold(hold_id: str) -> Response:
    request = inventory.current_request
    language_only(request)
    container().inventory().release(hold_id, request.headers.get("x-hold-token"))
    return Response(body="", status_code=204)
