"""Waiting-room routes: join, position, admission."""

from __future__ import annotations

from urllib.parse import quote

from chalice.app import Response

from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query, parse
from chalicelib.core.http import (
    CLIENT_HEADER,
    ApiBlueprint,
    client_identity,
    json_body,
    read_body,
    read_query,
    reply,
    request_language,
)
from chalicelib.onsale.model import POLL_SOON
from chalicelib.onsale.schemas import (
    AdmissionCommand,
    AdmissionReply,
    JoinCommand,
    JoinReply,
    PositionQuery,
    PositionReply,
)

onsale = ApiBlueprint(__name__)

# A CDN may answer a reload storm on one ticket's URL, never staler than the soonest poll hint.
POSITION_MAX_AGE = POLL_SOON


@onsale.route(
    "/v1/waiting-rooms/{room_id}/join",
    methods=["POST"],
    doc=Doc(
        tag="waiting room",
        query=Query,
        body=JoinCommand,
        body_required=False,
        response=JoinReply,
        status=202,
        headers=(CLIENT_HEADER,),
    ),
)
def join(room_id: str) -> Response:
    """Join an on-sale's waiting room

    One queue message, nothing written yet: the answer's ticket is the place, and
    `position_url` (also in Location) says where it stands. Before the opening every
    arrival gets a random place among the early ones; after it, first come first served."""
    request = onsale.current_request
    read_query(request, Query)
    lang = request_language(request)
    identity = client_identity(request)
    svc = container().waiting_room()
    svc.room(room_id)  # an unknown room is a 404 whatever the body says
    raw = json_body(request)
    command = JoinCommand() if raw is None else parse(JoinCommand, raw)  # no body: no address
    arrival = svc.join(room_id, identity, command)
    position_url = f"/v1/waiting-rooms/{room_id}/position?ticket={quote(arrival.ticket)}"
    body = JoinReply(ticket=arrival.ticket, room=arrival.room, position_url=position_url)
    return reply(body, status=202, lang=lang, location=position_url)


@onsale.route(
    "/v1/waiting-rooms/{room_id}/position",
    methods=["GET"],
    doc=Doc(tag="waiting room", query=PositionQuery, response=PositionReply),
)
def position(room_id: str) -> Response:
    """Where a ticket stands, and when to ask again

    `poll_after_seconds` paces the polling: often near a change, rarely when the turn is far;
    null once there is nothing left to wait for."""
    request = onsale.current_request
    query = read_query(request, PositionQuery)
    lang = request_language(request)
    report = container().waiting_room().position(room_id, query.ticket)
    body = PositionReply.of(report.position, report.room.opens_at, report.sold_out)
    return reply(body, lang=lang, max_age=POSITION_MAX_AGE)


@onsale.route(
    "/v1/waiting-rooms/{room_id}/admission",
    methods=["POST"],
    doc=Doc(
        tag="waiting room",
        query=Query,
        body=AdmissionCommand,
        response=AdmissionReply,
        headers=(CLIENT_HEADER,),
    ),
)
def admission(room_id: str) -> Response:
    """Claim an admitted place: the admission token for holds

    Only the client that joined may claim; asking again answers the same token (the session
    is not renewed)."""
    request = onsale.current_request
    read_query(request, Query)
    lang = request_language(request)
    command = read_body(request, AdmissionCommand)
    parts = container()
    token, granted = parts.waiting_room().admit(room_id, command.ticket, client_identity(request))
    room = parts.rooms().get(granted.room)
    body = AdmissionReply(
        admission_token=token,
        expires_at=granted.expires_at,
        room=granted.room,
        performances=list(room.performances) if room else [],
    )
    return reply(body, lang=lang)
