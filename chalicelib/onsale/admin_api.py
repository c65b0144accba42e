"""Staff configure a waiting room: `PUT /v1/admin/waiting-rooms/{id}` (create or reconfigure,
a draw already made is kept) and `GET` to read it back. Programme rights (house or cluster
admin) for the room's house; another house's room answers 404, as an unknown one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalice.app import Response

from chalicelib.admin.auth import houses_for
from chalicelib.admin.blueprint import admin
from chalicelib.admin.model import Action
from chalicelib.admin.problems import role_required
from chalicelib.bootstrap import container
from chalicelib.core.clock import parse_utc_iso, to_utc_iso
from chalicelib.core.errors import FieldError, invalid, unknown_parameters
from chalicelib.core.http import json_body, json_response, language_only
from chalicelib.onsale.model import WaitingRoom
from chalicelib.onsale.problems import room_not_found

_INSTANTS = ("opens_at", "closes_at")
_COUNTS = (
    "admit_per_minute",
    "session_minutes",
    "claim_minutes",
    "max_holds_per_identity",
    "max_seats_per_identity",
)
_REQUIRED = ("performances", "opens_at", "closes_at", "admit_per_minute")


@admin.route("/v1/admin/waiting-rooms/{room_id}", methods=["PUT"])
def put_waiting_room(room_id: str) -> Response:
    request = admin.current_request
    lang = language_only(request)
    houses = houses_for(request, Action.PROGRAMME)
    parts = container()
    service = parts.waiting_room()
    existing = service.store.get_room(room_id) if _valid_id(room_id) else None
    if existing is not None and existing.house not in houses:
        raise room_not_found(room_id)
    room = room_from_body(room_id, json_body(request), houses, existing)
    saved = service.configure(room)
    parts.rooms().forget(room_id)
    status = 200 if existing else 201
    return json_response(room_view(saved), status=status, lang=lang)


@admin.route("/v1/admin/waiting-rooms/{room_id}", methods=["GET"])
def get_waiting_room(room_id: str) -> Response:
    request = admin.current_request
    lang = language_only(request)
    houses = houses_for(request, Action.PROGRAMME)
    store = container().waiting_room().store
    room = store.get_room(room_id) if _valid_id(room_id) else None
    if room is None or room.house not in houses:
        raise room_not_found(room_id)
    return json_response(room_view(room), lang=lang)


def room_from_body(
    room_id: str, body: Any, houses: frozenset[str], existing: WaitingRoom | None
) -> WaitingRoom:
    """The room a PUT describes. The house: the body's, which must be one of the caller's,
    else the caller's only house; a reconfigured room keeps its house."""
    if not isinstance(body, Mapping):
        raise invalid(FieldError("body", "not a JSON object", "a waiting room", "body"))
    errors = unknown_parameters(body, ("house", *_REQUIRED, *_INSTANTS, *_COUNTS), "body")
    for name in _REQUIRED:
        if name not in body:
            errors.append(FieldError(name, "missing", _expected(name), "body"))
    house = body.get("house", existing.house if existing else None)
    if house is None and len(houses) == 1:
        (house,) = houses
    if not isinstance(house, str):
        errors.append(FieldError("house", "missing", "one of your houses", "body"))
    elif existing is not None and house != existing.house:
        errors.append(FieldError("house", "a room cannot move house", existing.house, "body"))
    performances = body.get("performances")
    if "performances" in body and (
        not isinstance(performances, list) or not all(isinstance(p, str) for p in performances)
    ):
        errors.append(FieldError("performances", "not a list of ids", "[performance ids]", "body"))
    instants: dict[str, datetime] = {}
    for name in _INSTANTS:
        if name in body:
            try:
                instants[name] = parse_utc_iso(str(body[name]))
            except ValueError:
                errors.append(FieldError(name, "not an instant", "2027-01-15T09:00:00Z", "body"))
    counts: dict[str, int] = {}
    for name in _COUNTS:
        value = body.get(name)
        if name in body and (type(value) is not int or value < 1):
            errors.append(FieldError(name, "not a positive whole number", "an integer ≥ 1", "body"))
        elif name in body:
            counts[name] = value
    if errors:
        raise invalid(*errors)
    if house not in houses:
        raise role_required(Action.PROGRAMME.value)
    return WaitingRoom(
        id=room_id,
        house=str(house),
        performances=tuple(performances or ()),
        opens_at=instants["opens_at"],
        closes_at=instants["closes_at"],
        **counts,
    )


def room_view(room: WaitingRoom) -> dict[str, Any]:
    return {
        "id": room.id,
        "house": room.house,
        "performances": list(room.performances),
        "opens_at": to_utc_iso(room.opens_at),
        "closes_at": to_utc_iso(room.closes_at),
        "admit_per_minute": room.admit_per_minute,
        "session_minutes": room.session_minutes,
        "claim_minutes": room.claim_minutes,
        "max_holds_per_identity": room.max_holds_per_identity,
        "max_seats_per_identity": room.max_seats_per_identity,
        "drawn_at": to_utc_iso(room.drawn_at) if room.drawn_at else None,
        "pre_count": room.pre_count,
    }


def _expected(name: str) -> str:
    return {
        "performances": "[performance ids]",
        "admit_per_minute": "an integer ≥ 1",
    }.get(name, "2027-01-15T09:00:00Z")


def _valid_id(room_id: str) -> bool:
    from chalicelib.store.keys import is_valid_id

    return is_valid_id(room_id)
