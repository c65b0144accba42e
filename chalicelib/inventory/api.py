"""Public seat plan and hold routes: read the request, call the service, render the reply."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import (
    CLIENT_HEADER,
    ApiBlueprint,
    client_identity,
    read_body,
    read_query,
    reply,
    request_language,
)
from chalicelib.inventory.schemas import HoldCommand, HoldReply, NewHoldReply, SeatPlanReply

inventory = ApiBlueprint(__name__)

SEATS_MAX_AGE = 2  # seconds: a CDN may absorb a stampede on a hot map, barely stale
HOLD_TOKEN = ("X-Hold-Token", "the hold's secret, as its creation answered it")


@inventory.route(
    "/v1/performances/{performance_id}/seats",
    methods=["GET"],
    doc=Doc(tag="inventory", query=Query, response=SeatPlanReply),
)
def get_seats(performance_id: str) -> Response:
    """The seat map with each seat's state, the pools, and the waiting room if any

    Held and sold seats both read as unavailable. A CDN may keep the answer two seconds."""
    request = inventory.current_request
    read_query(request, Query)
    lang = request_language(request)
    plan = container().inventory().seat_plan(performance_id)
    return reply(SeatPlanReply.of(plan, lang), lang=lang, max_age=SEATS_MAX_AGE)


@inventory.route(
    "/v1/performances/{performance_id}/holds",
    methods=["POST"],
    doc=Doc(
        tag="inventory",
        query=Query,
        body=HoldCommand,
        response=NewHoldReply,
        status=201,
        headers=(
            CLIENT_HEADER,
            ("X-Admission-Token", "during an on-sale: the waiting room's token"),
        ),
    ),
)
def create_hold(performance_id: str) -> Response:
    """Hold seats: chosen, best available, or standing room

    One conditional write: all the seats or none (409 naming the seats just taken). During an
    on-sale the waiting room's admission token is needed; the answer's `hold_token` is the
    hold's secret, shown once."""
    request = inventory.current_request
    read_query(request, Query)
    lang = request_language(request)
    svc = container().inventory()
    # Whether this client may hold now (404, 422, the waiting room's 401/403) before the body.
    grant = svc.grant(
        performance_id, client_identity(request), request.headers.get("x-admission-token")
    )
    hold, token, seat_map = svc.take(grant, read_body(request, HoldCommand))
    body = NewHoldReply.taken(hold, token, seat_map, lang, svc.clock.now())
    return reply(body, status=201, lang=lang, location=f"/v1/holds/{hold.id}")


@inventory.route(
    "/v1/holds/{hold_id}",
    methods=["GET"],
    doc=Doc(tag="inventory", query=Query, response=HoldReply, headers=(HOLD_TOKEN, CLIENT_HEADER)),
)
def get_hold(hold_id: str) -> Response:
    """A hold, to its holder

    Without its token, or with a wrong one, a hold answers 404 as an unknown one."""
    request = inventory.current_request
    read_query(request, Query)
    lang = request_language(request)
    svc = container().inventory()
    hold, seat_map = svc.get_hold(hold_id, request.headers.get("x-hold-token"))
    return reply(HoldReply.of(hold, seat_map, lang, svc.clock.now()), lang=lang)


@inventory.route(
    "/v1/holds/{hold_id}",
    methods=["DELETE"],
    doc=Doc(
        tag="inventory", query=Query, response=None, status=204, headers=(HOLD_TOKEN, CLIENT_HEADER)
    ),
)
def delete_hold(hold_id: str) -> Response:
    """Release a hold

    Its seats are on sale again at once. A hold already bought cannot be released (422)."""
    request = inventory.current_request
    read_query(request, Query)
    container().inventory().release(hold_id, request.headers.get("x-hold-token"))
    return Response(body="", status_code=204)
