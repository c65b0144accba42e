"""Staff configure a waiting room: `PUT /v1/admin/waiting-rooms/{id}` (create or reconfigure,
a draw already made is kept) and `GET` to read it back. Programme rights (house or cluster
admin) for the room's house; another house's room answers 404, as an unknown one."""

from __future__ import annotations

from chalice.app import Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.bootstrap import container
from chalicelib.core.edge import Doc, Query
from chalicelib.core.http import read_body, read_query, reply, request_language
from chalicelib.onsale.problems import room_not_found
from chalicelib.onsale.schemas import RoomCommand, RoomReply


@admin.route(
    "/v1/admin/waiting-rooms/{room_id}",
    methods=["PUT"],
    doc=Doc(tag="staff", query=Query, body=RoomCommand, response=RoomReply, staff=True),
)
def put_waiting_room(room_id: str) -> Response:
    """Create or reconfigure a waiting room

    201 when created, 200 when reconfigured; a draw already made is kept. Every performance
    must be of the room's house."""
    request = admin.current_request
    read_query(request, Query)
    lang = request_language(request)
    houses = houses_for(request, Action.PROGRAMME)
    parts = container()
    svc = parts.waiting_room()
    existing = svc.store.get_room(room_id) if _valid_id(room_id) else None
    if existing is not None and existing.house not in houses:
        raise room_not_found(room_id)  # another house's room: 404 before the body is read
    saved = svc.put_room(room_id, read_body(request, RoomCommand), houses, existing)
    parts.rooms().forget(room_id)
    return reply(RoomReply.of(saved), status=200 if existing else 201, lang=lang)


@admin.route(
    "/v1/admin/waiting-rooms/{room_id}",
    methods=["GET"],
    doc=Doc(tag="staff", query=Query, response=RoomReply, staff=True),
)
def get_waiting_room(room_id: str) -> Response:
    """A waiting room as configured"""
    request = admin.current_request
    read_query(request, Query)
    lang = request_language(request)
    houses = houses_for(request, Action.PROGRAMME)
    room = container().waiting_room().store.get_room(room_id) if _valid_id(room_id) else None
    if room is None or room.house not in houses:
        raise room_not_found(room_id)
    return reply(RoomReply.of(room), lang=lang)


def _valid_id(room_id: str) -> bool:
    from chalicelib.store.keys import is_valid_id

    return is_valid_id(room_id)
